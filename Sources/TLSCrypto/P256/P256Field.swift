extension P256 {
    /// An element of GF(p), p = 2^256 − 2^224 + 2^192 + 2^96 − 1 (SP 800-186 §3.2.1.3), in
    /// Montgomery form with R = 2^256.
    struct FieldElement: MontgomeryResidue {
        var montgomery: U256

        @inline(__always)
        init(montgomery: U256) { self.montgomery = montgomery }

        /// p = ffffffff00000001 0000000000000000 00000000ffffffff ffffffffffffffff, as limbs written
        /// out so that the compiler folds them into the instructions of every reduction.
        @inline(__always)
        static var modulus: U256 { U256(0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001) }
        static let rSquared = computeRSquared()
        static let one = FieldElement(reducing: .one)
        /// The curve coefficient b (SP 800-186 §3.2.1.3).
        static let b = FieldElement(canonical: U256(hex: "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"))!

        /// a·b·2^-256 mod p by CIOS (Koç, Acar, Kaliski 1996): for each limb b_i, add a·b_i to the
        /// accumulator, then add the multiple m·p that clears its lowest limb and drop that limb.
        ///
        /// p's shape makes the reduction cheap. Its lowest limb is 2^64 − 1, so −p⁻¹ mod 2^64 = 1
        /// and the multiplier m is the lowest limb itself (no multiplication to find it). Adding
        /// m·p then needs no multiplication for the low limbs either:
        ///     r0 + m·(2^64 − 1)            = m·2^64           (r0 = m: the limb clears, carry m)
        ///     r1 + m·(2^32 − 1) + m        = r1 + m·2^32      (a shift)
        ///     r2 + m·0                                         (p's third limb is zero)
        ///     r3 + m·0xffffffff00000001                        (the one multiplication)
        /// The accumulator stays below 2p after each step (4 limbs and a carry bit).
        @inline(__always)
        static func montgomeryProduct(_ a: U256, _ b: U256) -> U256 {
            var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0, r4: UInt64 = 0
            step(a, b.w0, &r0, &r1, &r2, &r3, &r4)
            step(a, b.w1, &r0, &r1, &r2, &r3, &r4)
            step(a, b.w2, &r0, &r1, &r2, &r3, &r4)
            step(a, b.w3, &r0, &r1, &r2, &r3, &r4)
            return subtractModulusIfNeeded(U256(r0, r1, r2, r3), carry: r4)
        }

        @inline(__always)
        private static func step(_ a: U256, _ bi: UInt64, _ r0: inout UInt64, _ r1: inout UInt64,
                                 _ r2: inout UInt64, _ r3: inout UInt64, _ r4: inout UInt64) {
            var carry: UInt64
            (r0, carry) = UInt64.multiplyAdd(a.w0, bi, r0, carry: 0)
            (r1, carry) = UInt64.multiplyAdd(a.w1, bi, r1, carry: carry)
            (r2, carry) = UInt64.multiplyAdd(a.w2, bi, r2, carry: carry)
            (r3, carry) = UInt64.multiplyAdd(a.w3, bi, r3, carry: carry)
            let (t4, t5) = UInt64.add(r4, carry, carry: 0)

            let m = r0
            let (s1, c1) = UInt64.add(r1, m << 32, carry: 0)
            let (s2, c2) = UInt64.add(r2, m >> 32, carry: c1)
            let (high, low) = m.multipliedFullWidth(by: 0xffff_ffff_0000_0001)
            let (s3, c3) = UInt64.add(r3, low, carry: c2)
            let (s4, c4) = UInt64.add(t4, high, carry: c3)
            (r0, r1, r2, r3, r4) = (s1, s2, s3, s4, t5 &+ c4)
        }
    }
}
