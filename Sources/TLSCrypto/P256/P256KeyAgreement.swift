extension P256 {
    /// Elliptic Curve Diffie-Hellman on P-256 (SEC 1 v2 §3.3.1), TLS 1.3's `secp256r1` group
    /// (RFC 8446 §4.2.8.2, §7.4.2).
    ///
    ///     let mine = try P256.KeyAgreement.PrivateKey(generatingWith: random)
    ///     send(mine.publicKey.x963Representation)                   // 0x04 || X || Y
    ///     let peer = try P256.KeyAgreement.PublicKey(x963Representation: received)  // validated
    ///     let secret = try mine.sharedSecret(with: peer)             // X of d·Q, 32 bytes
    public enum KeyAgreement {
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

            /// The private scalar d as 32 big-endian bytes (for traces and key logs).
            public var rawRepresentation: [UInt8] { scalar.bigEndianBytes }

            /// SEC 1 v2 §3.3.1: P = d·Q; it is an error for P to be O; the shared secret z is
            /// P's x-coordinate as 32 bytes (the form RFC 8446 §7.4.2 uses). `peer` was validated
            /// when it was decoded, and the multiplication runs in constant time.
            public func sharedSecret(with peer: PublicKey) throws -> [UInt8] {
                guard let shared = ProjectivePoint.multiply(peer.point, by: scalar.canonical).affine else {
                    throw CryptoError(.invalidPublicKey, "P-256 shared point is the point at infinity")
                }
                return shared.x.bigEndianBytes
            }
        }

        /// A public key known to be a point of the curve other than O.
        public struct PublicKey: Sendable, Hashable {
            let point: AffinePoint

            init(point: AffinePoint) { self.point = point }

            /// SEC 1 v2 §2.3.4 uncompressed 0x04 || X || Y (65 bytes), validated as §3.2.2.1
            /// asks: the length, the 0x04 form (compressed 0x02/0x03 and infinity 0x00 are
            /// refused), X and Y below p, and the curve equation. Throws `.invalidPublicKey`.
            public init(x963Representation: [UInt8]) throws {
                point = try AffinePoint(x963Representation: x963Representation)
            }

            /// 0x04 || X || Y, 65 bytes: the key_exchange of a TLS KeyShareEntry.
            public var x963Representation: [UInt8] { point.x963Representation }
            /// The x-coordinate, 32 big-endian bytes.
            public var x: [UInt8] { point.x.bigEndianBytes }
            /// The y-coordinate, 32 big-endian bytes.
            public var y: [UInt8] { point.y.bigEndianBytes }
        }
    }
}
