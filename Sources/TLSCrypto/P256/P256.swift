/// NIST P-256 (FIPS 186-5, SP 800-186 §3.2.1.3; SEC 2 v2 §2.4.2 secp256r1; TLS's `secp256r1`):
/// the short Weierstrass curve y² = x³ − 3x + b over GF(p), whose points form a group of prime
/// order n (cofactor 1).
///
///     p  = 2^256 − 2^224 + 2^192 + 2^96 − 1
///     n  = ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
///     b  = 5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b
///     Gx = 6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296
///     Gy = 4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5
///
/// The layers, bottom up: `U256` (four 64-bit limbs), `FieldElement` (mod p) and `Scalar`
/// (mod n) in Montgomery form, `ProjectivePoint` with the complete formulas of Renes, Costello
/// and Batina, scalar multiplication, and on top the two things TLS does with the curve:
/// `P256.KeyAgreement` (ECDH, SEC 1 §3.3.1) and `P256.Signing` (ECDSA with SHA-256, SEC 1 §4.1,
/// nonces per RFC 6979). Everything that touches a secret runs in constant time.
public enum P256 {
    /// Bytes in a field element or scalar.
    public static let byteCount = 32

    static let generator = AffinePoint(
        x: FieldElement(canonical: U256(hex: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"))!,
        y: FieldElement(canonical: U256(hex: "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"))!)
}

extension U256 {
    /// A constant written as the standards print it (64 hex digits, most significant first).
    init(hex: String) {
        guard let bytes = [UInt8](hex: hex), bytes.count == 32 else { preconditionFailure("bad 256-bit constant \(hex)") }
        self.init(bigEndian: bytes)
    }
}
