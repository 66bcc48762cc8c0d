extension RSAPrivateKey {
    /// RFC 8017 §5.2.1 RSASP1 on octet strings: `representative^d mod n` as `modulusByteCount`
    /// bytes, for a big-endian representative below n (a signature primitive, so this is the
    /// "raw" operation under PSS; also what the timing harness measures).
    ///
    /// `blindingSource` supplies the blinding factor (see `RSABlinding`); the result does not
    /// depend on it. The default, the kernel's CSPRNG, is the right choice outside tests.
    public func rawPrivateOperation(_ representative: [UInt8], blindingSource: any RandomSource = SystemRandom()) throws -> [UInt8] {
        guard representative.count == publicKey.modulusByteCount else {
            throw CryptoError(.invalidParameter, "RSA representative is \(representative.count) bytes, the modulus \(publicKey.modulusByteCount)")
        }
        let m = BigUInt(bigEndianBytes: representative)
        guard m < publicKey.modulus else {
            throw CryptoError(.invalidParameter, "RSA message representative out of range")
        }
        return try privateOperation(m, blindingSource: blindingSource).bigEndianBytes(count: publicKey.modulusByteCount)
    }

    /// RFC 8017 §5.2.1 RSASP1, CRT form (case b.2 with u = 2), blinded:
    ///
    ///     m' = m·r^e mod n                      (RSABlinding: fresh r per call)
    ///     s₁ = m'^dP mod p,  s₂ = m'^dQ mod q   (fixed-window Montgomery exponentiation)
    ///     h  = (s₁ − s₂)·qInv mod p,  s' = s₂ + q·h          (Garner's recombination)
    ///     s  = s'·r⁻¹ mod n
    ///
    /// A fault in either half (a glitched CPU, a bit flip) would give a signature that is
    /// right mod one prime and wrong mod the other, and its gcd with n would hand out the key
    /// (Boneh, DeMillo, Lipton 1997). So the result is checked with the public exponent first
    /// and never released when `s^e mod n ≠ m`; the check covers the blinding too.
    func privateOperation(_ m: BigUInt, blindingSource: some RandomSource) throws -> BigUInt {
        precondition(m < publicKey.modulus, "RSA message representative must be reduced")
        let n = publicKey.montgomery
        let blinding = try RSABlinding(for: publicKey, source: blindingSource)
        let blinded = n.multiply(limbs: m.limbs(paddedTo: n.limbCount), blinding.factor)
        let blindedSignature = chineseRemainderPower(blinded)
        let s = BigUInt(limbs: n.multiply(limbs: blindedSignature, blinding.inverse))
        guard s < publicKey.modulus, publicKey.publicOperation(s) == m else {
            throw CryptoError(.invalidParameter, "RSA private operation failed its check (s^e mod n ≠ m): result withheld")
        }
        return s
    }

    /// `x^d mod n` for the `K`-limb `x < n` (K the modulus's limb count), through the CRT with
    /// Garner's recombination, in time that depends only on the sizes of p, q and n.
    ///
    /// Every value here is secret (x is blinded, but the halves would still reveal p and q), so
    /// it stays in fixed-width limb arrays: with `k` the common limb count of p and q (checked
    /// when the key is built), x, and s₂ < q, are below p·2^(64k), which is what the branch-free
    /// Montgomery `reduce(wide:)` needs; the subtraction mod p adds p back under a mask; the
    /// product q·h and the sum run over all limbs. (The earlier version chose between `s₁ − s₂`
    /// and `s₁ + p − s₂` with a branch on the secret comparison, and reduced through `BigUInt`,
    /// whose cost follows the value.) `s' = s₂ + q·h < q + q·(p − 1) = n` fits 2k limbs, and
    /// its limbs above K are zero: n has K = 2k or 2k − 1 limbs.
    func chineseRemainderPower(_ x: [UInt64]) -> [UInt64] {
        let k = primeContext1.limbCount
        let width = publicKey.montgomery.limbCount
        let wide = x + [UInt64](repeating: 0, count: 2 * k - width)
        let s1 = primeContext1.power(limbs: primeContext1.reduce(wide: wide), exponent1, exponentIsSecret: true)
        let s2 = primeContext2.power(limbs: primeContext2.reduce(wide: wide), exponent2, exponentIsSecret: true)
        let s2ModP = primeContext1.reduce(wide: s2 + [UInt64](repeating: 0, count: k))
        let difference = FixedWidthLimbs.subtractModulo(s1, s2ModP, prime1.limbs(paddedTo: k))
        let h = primeContext1.multiply(limbs: difference, coefficient.limbs(paddedTo: k))
        let s = FixedWidthLimbs.sum(FixedWidthLimbs.product(h, prime2.limbs(paddedTo: k)), s2)
        return Array(s.prefix(width))
    }
}
