extension P256.Signing {
    /// An ECDSA signature (r, s), both in [1, n − 1] (SEC 1 v2 §4.1.4 step 1 is checked when a
    /// signature is decoded, so every value of this type is in range).
    ///
    /// X.509 and TLS 1.3 (RFC 8446 §4.2.3) carry it DER-encoded (RFC 3279 §2.2.3):
    ///
    ///     Ecdsa-Sig-Value  ::=  SEQUENCE  {
    ///         r     INTEGER,
    ///         s     INTEGER  }
    ///
    /// IEEE P1363 (and JOSE) carry it raw: r || s, 32 bytes each.
    public struct ECDSASignature: Sendable, Hashable {
        let rScalar: P256.Scalar
        let sScalar: P256.Scalar

        init(r: P256.Scalar, s: P256.Scalar) {
            rScalar = r
            sScalar = s
        }

        /// r as 32 big-endian bytes.
        public var r: [UInt8] { rScalar.bigEndianBytes }
        /// s as 32 big-endian bytes.
        public var s: [UInt8] { sScalar.bigEndianBytes }

        /// From r and s as 32 big-endian bytes each; throws unless both are in [1, n − 1].
        public init(r: [UInt8], s: [UInt8]) throws {
            guard let r = P256.Scalar(nonZeroBigEndian: r), let s = P256.Scalar(nonZeroBigEndian: s) else {
                throw CryptoError(.invalidSignature, "ECDSA r and s must be 32-byte numbers in [1, n - 1]")
            }
            self.init(r: r, s: s)
        }

        /// The strict DER Ecdsa-Sig-Value: BER alternatives (long-form or indefinite lengths,
        /// padded integers), trailing bytes, and negative, zero or too large r or s are refused.
        public init(derRepresentation der: [UInt8]) throws {
            let (r, s) = try DERReader.parse(der, "Ecdsa-Sig-Value") { reader in
                try reader.sequence("Ecdsa-Sig-Value") { value in
                    (try value.integerBytes("r"), try value.integerBytes("s"))
                }
            }
            try self.init(r: Self.fixedWidth(r, "r"), s: Self.fixedWidth(s, "s"))
        }

        /// r || s, 64 bytes (IEEE P1363).
        public init(rawRepresentation raw: [UInt8]) throws {
            guard raw.count == 2 * P256.byteCount else {
                throw CryptoError(.invalidSignature, "a raw P-256 ECDSA signature is 64 bytes, not \(raw.count)")
            }
            try self.init(r: Array(raw[..<32]), s: Array(raw[32...]))
        }

        public var rawRepresentation: [UInt8] { r + s }

        public static func == (lhs: ECDSASignature, rhs: ECDSASignature) -> Bool {
            lhs.rawRepresentation == rhs.rawRepresentation
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(rawRepresentation)
        }

        /// The DER encoding. Each INTEGER is the minimal two's complement form: leading zero bytes
        /// dropped, one 0x00 put back when the top bit is set (the number is positive). The whole
        /// is at most 72 bytes, so every length fits the one-byte short form.
        public var derRepresentation: [UInt8] {
            func integer(_ magnitude: [UInt8]) -> [UInt8] {
                var bytes = Array(magnitude.drop { $0 == 0 })  // never empty: r, s ≥ 1
                if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
                return [DERTag.integer.rawValue, UInt8(bytes.count)] + bytes
            }
            let body = integer(r) + integer(s)
            return [DERTag.sequence.rawValue, UInt8(body.count)] + body
        }

        /// A DER INTEGER's contents (already checked minimal) as 32 bytes, refusing negative
        /// numbers and numbers of more than 256 bits.
        private static func fixedWidth(_ integer: ArraySlice<UInt8>, _ name: String) throws -> [UInt8] {
            guard let first = integer.first, first & 0x80 == 0 else {
                throw CryptoError(.invalidSignature, "ECDSA \(name) is negative")
            }
            let magnitude = integer.drop { $0 == 0 }
            guard magnitude.count <= P256.byteCount else {
                throw CryptoError(.invalidSignature, "ECDSA \(name) is larger than n")
            }
            return [UInt8](repeating: 0, count: P256.byteCount - magnitude.count) + magnitude
        }
    }
}
