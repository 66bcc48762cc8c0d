extension P256 {
    /// An integer modulo the group order n (SP 800-186 §3.2.1.3), in Montgomery form with
    /// R = 2^256: private keys, nonces, and the r, s of signatures.
    struct Scalar: MontgomeryResidue {
        var montgomery: U256

        @inline(__always)
        init(montgomery: U256) { self.montgomery = montgomery }

        /// n = ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551, limbs written out
        /// so that the compiler folds them into the instructions.
        @inline(__always)
        static var modulus: U256 { U256(0xf3b9_cac2_fc63_2551, 0xbce6_faad_a717_9e84, 0xffff_ffff_ffff_ffff, 0xffff_ffff_0000_0000) }
        static let rSquared = computeRSquared()
        static let one = Scalar(reducing: .one)
        /// −n⁻¹ mod 2^64: the multiple of n that clears an accumulator's lowest limb is that limb
        /// times this. Newton's iteration x ← x·(2 − n·x) mod 2^64 finds n⁻¹: it doubles the
        /// correct low bits each step, and x = n starts with 3 (n·n ≡ 1 mod 8). A wrong value
        /// would break every scalar product, which the ECDSA vectors would show at once.
        @inline(__always)
        static var negativeInverse: UInt64 { 0xccd1_c8aa_ee00_bc4f }

        /// One reduction step, the textbook way (n has no special shape): k = r0·(−n⁻¹), and
        /// k·n is added limb by limb. Scalars are used a handful of times per signature.
        @inline(__always)
        static func reduceLowestLimb(_ r: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64))
            -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
            let n = modulus
            let k = r.0 &* negativeInverse
            let (_, c0) = UInt64.multiplyAdd(k, n.w0, r.0, carry: 0)
            let (s1, c1) = UInt64.multiplyAdd(k, n.w1, r.1, carry: c0)
            let (s2, c2) = UInt64.multiplyAdd(k, n.w2, r.2, carry: c1)
            let (s3, c3) = UInt64.multiplyAdd(k, n.w3, r.3, carry: c2)
            let (s4, c4) = UInt64.add(r.4, c3, carry: 0)
            return (s1, s2, s3, s4, r.5 &+ c4)
        }

        /// A private key or nonce candidate: 32 big-endian bytes naming a number in [1, n − 1],
        /// or nil. Which candidates are rejected is public (they are discarded), so the early
        /// return leaks nothing about an accepted one.
        init?(nonZeroBigEndian bytes: some Collection<UInt8>) {
            guard bytes.count == P256.byteCount, let scalar = Scalar(canonical: U256(bigEndian: bytes)),
                  scalar.isZeroMask == 0 else { return nil }
            self = scalar
        }
    }
}
