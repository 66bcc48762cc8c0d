extension P256 {
    /// ECDSA on P-256 with SHA-256 (SEC 1 v2 §4.1, FIPS 186-5 §6.4), TLS 1.3's
    /// `ecdsa_secp256r1_sha256` (RFC 8446 §4.2.3) and X.509's ecdsa-with-SHA256 (RFC 5758 §3.2).
    public enum Signing {
        public struct PrivateKey: Sendable {
            let scalar: Scalar
            public let publicKey: PublicKey

            /// A fresh key pair (SEC 1 v2 §3.2.1).
            public init(generatingWith random: some RandomSource) throws {
                self.init(scalar: try Scalar.randomPrivateKey(using: random))
            }

            /// From 32 big-endian bytes naming a number in [1, n − 1].
            public init(rawRepresentation: [UInt8]) throws {
                self.init(scalar: try Scalar(privateKey: rawRepresentation))
            }

            init(scalar: Scalar) {
                self.scalar = scalar
                publicKey = PublicKey(point: AffinePoint(publicKeyFor: scalar))
            }

            /// The private scalar d as 32 big-endian bytes.
            public var rawRepresentation: [UInt8] { scalar.bigEndianBytes }

            /// SEC 1 v2 §4.1.3 signing of SHA-256(message), with the nonce k of RFC 6979 §3.2.
            ///
            /// e is the digest as a number mod n (§4.1.3 step 5: the digest has exactly n's 256
            /// bits, so nothing is truncated); R = k·G in constant time; r = x_R mod n;
            /// s = k⁻¹(e + r·d) mod n, with k⁻¹ by Fermat (a fixed exponent, constant time). A
            /// zero r or s (probability about 2^-256, and public anyway) asks for the next nonce.
            public func signature(for message: [UInt8]) -> ECDSASignature {
                let digest = SHA256.hash(message)
                let e = Scalar(reducing: U256(bigEndian: digest))
                var nonces = RFC6979Nonces(privateKey: scalar, digest: digest)
                while true {
                    let k = nonces.next()
                    let point = ProjectivePoint.multiplyGenerator(by: k.canonical).affine!  // 0 < k < n: never O
                    let r = Scalar(reducing: point.x.canonical)
                    let s = k.inverted() * (e + r * scalar)
                    if r.isZeroMask == 0 && s.isZeroMask == 0 {
                        return ECDSASignature(r: r, s: s)
                    }
                }
            }
        }

        /// A public key known to be a point of the curve other than O.
        public struct PublicKey: Sendable, Hashable {
            let point: AffinePoint

            init(point: AffinePoint) { self.point = point }

            /// SEC 1 v2 §2.3.4 uncompressed 0x04 || X || Y, validated per §3.2.2.1 (see
            /// `P256.KeyAgreement.PublicKey`). Throws `.invalidPublicKey`.
            public init(x963Representation: [UInt8]) throws {
                point = try AffinePoint(x963Representation: x963Representation)
            }

            /// 0x04 || X || Y, 65 bytes: the subjectPublicKey of an X.509 certificate.
            public var x963Representation: [UInt8] { point.x963Representation }

            /// SEC 1 v2 §4.1.4 verification of `signature` over SHA-256(message).
            ///
            /// r, s ∈ [1, n − 1] holds for every `ECDSASignature` (step 1); e = SHA-256(message)
            /// mod n; u1 = e·s⁻¹, u2 = r·s⁻¹; R = u1·G + u2·Q must not be O, and x_R mod n must
            /// equal r. Both s and n − s verify: SEC 1 and FIPS 186-5 do not restrict s to the
            /// lower half. Everything here is public, yet it reuses the constant-time
            /// multiplications: one code path to trust, fast enough.
            public func isValidSignature(_ signature: ECDSASignature, for message: [UInt8]) -> Bool {
                let e = Scalar(reducing: U256(bigEndian: SHA256.hash(message)))
                let w = signature.sScalar.inverted()
                let u1 = e * w, u2 = signature.rScalar * w
                let sum = ProjectivePoint.multiplyGenerator(by: u1.canonical)
                    .adding(ProjectivePoint.multiply(point, by: u2.canonical))
                guard let r = sum.affine else { return false }
                return Scalar(reducing: r.x.canonical).equalMask(signature.rScalar) != 0
            }

            /// Verification of a DER Ecdsa-Sig-Value (as TLS 1.3 and X.509 carry it); a signature
            /// that is not strict DER, or whose r or s is out of range, is false.
            public func isValidSignature(derRepresentation: [UInt8], for message: [UInt8]) -> Bool {
                guard let signature = try? ECDSASignature(derRepresentation: derRepresentation) else { return false }
                return isValidSignature(signature, for: message)
            }
        }
    }
}
