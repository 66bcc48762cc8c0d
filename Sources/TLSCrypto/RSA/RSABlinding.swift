/// Base blinding for the RSA private operation: a fresh random `r` per operation, coprime to n,
/// as the pair `r^e mod n` (applied to the input) and `r⁻¹ mod n` (applied to the output).
///
///     (m·r^e)^d = m^d·r  (mod n),  so  s = (m·r^e)^d · r⁻¹
///
/// The exponentiation then runs on a uniformly random value unrelated to the input, so timing
/// that depends on the base (Kocher, "Timing Attacks on Implementations of Diffie-Hellman, RSA,
/// DSS, and Other Systems", CRYPTO 1996, §10; Brumley and Boneh, "Remote Timing Attacks are
/// Practical", USENIX Security 2003, which recovered an OpenSSL server's key over a network by
/// choosing the inputs to its unblinded RSA decryption) no longer lines up with anything an
/// attacker chose or sees. RFC 8017 does not require it; OpenSSL, BoringSSL, Go and rustls/ring
/// all blind, and so do we on every private operation.
///
/// r comes from its own source, never from a reproducible one: blinding does not change the
/// result, so it needs no reproducibility, and an r that anyone holding the seed can recompute
/// would blind nothing.
struct RSABlinding {
    /// `r^e mod n`, `k` limbs of the modulus.
    let factor: [UInt64]
    /// `r⁻¹ mod n`.
    let inverse: [UInt64]

    /// Draws r, and b for the inversion, uniformly from [1, n) and tries again in the (for a
    /// real key, never observed: probability about 2^-1023) case that r·b shares a factor with n.
    ///
    /// `r⁻¹` comes from the variable-time `inverse(limbs:)` applied to `r·b mod n`, not to r:
    /// that product is uniform and independent of r as long as b stays secret, so the
    /// inversion's timing tells nothing about r; then `r⁻¹ = (r·b)⁻¹·b`.
    init(for key: RSAPublicKey, source: some RandomSource) throws {
        let context = key.montgomery
        while true {
            let r = try Self.uniformBelowModulus(key, source)
            let b = try Self.uniformBelowModulus(key, source)
            guard let productInverse = context.inverse(limbs: context.multiply(limbs: r, b)) else { continue }
            factor = context.power(limbs: r, key.exponent, exponentIsSecret: false)
            inverse = context.multiply(limbs: productInverse, b)
            return
        }
    }

    /// A uniform value in [1, n) as the modulus's limb count, by rejection: draw as many bytes
    /// as n has, clear the bits above n's length, and draw again for 0 or anything ≥ n (fewer
    /// than half the draws). Only rejected values take the other branch, and they are discarded.
    static func uniformBelowModulus(_ key: RSAPublicKey, _ source: some RandomSource) throws -> [UInt64] {
        let unusedTopBits = 8 * key.modulusByteCount - key.modulusBitCount
        while true {
            var bytes = try source.bytes(key.modulusByteCount)
            bytes[0] &= 0xff >> unusedTopBits
            let candidate = BigUInt(bigEndianBytes: bytes)
            if !candidate.isZero && candidate < key.modulus {
                return candidate.limbs(paddedTo: key.montgomery.limbCount)
            }
        }
    }
}
