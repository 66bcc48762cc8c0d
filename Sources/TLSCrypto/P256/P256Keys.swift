/// What the ECDH and ECDSA key types share: making, reading and writing a private scalar, and
/// deriving its public point.
extension P256.Scalar {
    /// SEC 1 v2 §3.2.1 key pair generation, d uniform in [1, n − 1], by rejection sampling
    /// (FIPS 186-5 §A.2.2): draw 32 bytes, retry if they name 0 or a number ≥ n. A retry happens
    /// with probability about 2^-32, and a rejected draw is discarded, so it reveals nothing.
    static func randomPrivateKey(using random: some RandomSource) throws -> P256.Scalar {
        while true {
            if let scalar = P256.Scalar(nonZeroBigEndian: try random.bytes(P256.byteCount)) { return scalar }
        }
    }

    /// A private key as SEC 1 §2.3.7 writes it: 32 big-endian bytes, a number in [1, n − 1].
    init(privateKey bytes: [UInt8]) throws {
        guard bytes.count == P256.byteCount else {
            throw CryptoError(.invalidKeySize, "P-256 private key is \(bytes.count) bytes, not 32")
        }
        guard let scalar = P256.Scalar(nonZeroBigEndian: bytes) else {
            throw CryptoError(.invalidParameter, "P-256 private key is not in [1, n - 1]")
        }
        self = scalar
    }
}

extension P256.AffinePoint: Hashable {
    /// SEC 1 v2 §3.2.1 step 3: Q = d·G. Never O, since 0 < d < n.
    init(publicKeyFor privateKey: P256.Scalar) {
        self = P256.ProjectivePoint.multiplyGenerator(by: privateKey.canonical).affine!
    }

    /// Public points only: compares the encodings, which are unique.
    static func == (lhs: P256.AffinePoint, rhs: P256.AffinePoint) -> Bool {
        lhs.x963Representation == rhs.x963Representation
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(x963Representation)
    }
}
