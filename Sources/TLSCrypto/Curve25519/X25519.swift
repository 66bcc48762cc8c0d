/// X25519 Diffie-Hellman (RFC 7748 §5, §6.1): the key exchange TLS 1.3 names `x25519`
/// (RFC 8446 §4.2.7, §7.4.2).
///
/// Keys are 32-byte strings. A private key is 32 random bytes; the public key is the
/// u-coordinate of (clamped private key)·9 on Curve25519; the shared secret is the
/// u-coordinate of (my clamped private key)·(peer's u-coordinate).
public enum X25519 {
    public static let keyByteCount = 32

    /// RFC 7748 §6.1: "generate 32 random bytes". Clamping happens when the key is used.
    public static func generatePrivateKey(using random: some RandomSource) throws -> [UInt8] {
        try random.bytes(keyByteCount)
    }

    /// X25519(privateKey, 9): the key share to send.
    public static func publicKey(privateKey: [UInt8]) throws -> [UInt8] {
        var basePoint = [UInt8](repeating: 0, count: keyByteCount)
        basePoint[0] = 9
        return try scalarMultiply(scalar: privateKey, uCoordinate: basePoint)
    }

    /// X25519(privateKey, peerPublicKey), refusing the all-zero result.
    ///
    /// RFC 8446 §7.4.2: "For X25519 and X448, ... implementations MUST check whether the computed
    /// Diffie-Hellman shared secret is the all-zero value and abort if so" (RFC 7748 §6.1). A zero
    /// output means the peer sent a point of small order, which would make the secret known to
    /// anyone. Any other 32-byte string is a usable public key (non-canonical encodings and
    /// points on the twist included), as RFC 7748 §5 asks.
    public static func sharedSecret(privateKey: [UInt8], peerPublicKey: [UInt8]) throws -> [UInt8] {
        let secret = try scalarMultiply(scalar: privateKey, uCoordinate: peerPublicKey)
        guard !isAllZero(secret) else {
            throw CryptoError(.zeroSharedSecret, "X25519 shared secret is all zero (peer sent a low-order point)")
        }
        return secret
    }

    /// The raw function X25519(k, u) of RFC 7748 §5, without the zero check: the RFC's test
    /// vectors (§5.2) call it this way. Throws `.invalidKeySize` unless both inputs are 32 bytes.
    public static func scalarMultiply(scalar: [UInt8], uCoordinate: [UInt8]) throws -> [UInt8] {
        guard scalar.count == keyByteCount else {
            throw CryptoError(.invalidKeySize, "X25519 scalar must be 32 bytes, got \(scalar.count)")
        }
        guard uCoordinate.count == keyByteCount else {
            throw CryptoError(.invalidKeySize, "X25519 u-coordinate must be 32 bytes, got \(uCoordinate.count)")
        }
        let clamped = clamp(scalar)
        let u = uCoordinate.withUnsafeBytes { Field25519(decoding: $0) }
        return montgomeryLadder(scalar: clamped, u: u).encoded()
    }

    /// RFC 7748 §5 decodeScalar25519: clear the three low bits (the result is a multiple of the
    /// cofactor 8, so small-subgroup components vanish), clear bit 255 and set bit 254 (every
    /// scalar has the same length, so the ladder always takes the same number of steps).
    /// Returned as four little-endian 64-bit words.
    static func clamp(_ scalar: [UInt8]) -> (UInt64, UInt64, UInt64, UInt64) {
        scalar.withUnsafeBytes { raw in
            func word(_ i: Int) -> UInt64 {
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            }
            return (word(0) & ~7, word(1), word(2), word(3) & ~(1 << 63) | 1 << 62)
        }
    }

    /// The Montgomery ladder of RFC 7748 §5, step for step: for each scalar bit from 254 down to 0,
    /// one differential addition and one doubling on (x2:z2), (x3:z3), with the two points
    /// swapped in constant time instead of branching on the secret bit. Returns x2/z2.
    static func montgomeryLadder(scalar k: (UInt64, UInt64, UInt64, UInt64), u: Field25519) -> Field25519 {
        let x1 = u
        var x2 = Field25519.one, z2 = Field25519.zero
        var x3 = u, z3 = Field25519.one
        var swap: UInt64 = 0
        for t in stride(from: 254, through: 0, by: -1) {
            let word: UInt64  // chosen by the public bit position only
            switch t >> 6 {
            case 3: word = k.3
            case 2: word = k.2
            case 1: word = k.1
            default: word = k.0
            }
            let bit = (word >> UInt64(t & 63)) & 1
            swap ^= bit
            Field25519.conditionalSwap(&x2, &x3, swap)
            Field25519.conditionalSwap(&z2, &z3, swap)
            swap = bit

            let a = x2 + z2
            let aa = a.squared()
            let b = x2 - z2
            let bb = b.squared()
            let e = aa - bb
            let c = x3 + z3
            let d = x3 - z3
            let da = d * a
            let cb = c * b
            x3 = (da + cb).squared()
            z3 = x1 * (da - cb).squared()
            x2 = aa * bb
            // a24 = (486662 - 2) / 4 = 121665, as the RFC's formula z_2 = E * (AA + a24 * E).
            z2 = e * (aa + e.multiplied(bySmall: 121_665))
        }
        Field25519.conditionalSwap(&x2, &x3, swap)
        Field25519.conditionalSwap(&z2, &z3, swap)
        return x2 * z2.inverted()
    }

    /// True when every byte is zero, examining every byte whatever their values.
    static func isAllZero(_ bytes: [UInt8]) -> Bool {
        var accumulated: UInt8 = 0
        for b in bytes { accumulated |= b }
        return accumulated == 0
    }
}
