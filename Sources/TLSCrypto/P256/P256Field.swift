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

        /// One reduction step, using p's shape. Its lowest limb is 2^64 − 1, so −p⁻¹ mod 2^64 = 1
        /// and the multiplier k is the lowest limb itself (no multiplication to find it). Adding
        /// k·p then needs no multiplication for the low limbs either:
        ///     r0 + k·(2^64 − 1)            = k·2^64           (r0 = k: the limb clears, carry k)
        ///     r1 + k·(2^32 − 1) + k        = r1 + k·2^32      (a shift)
        ///     r2 + k·0                                         (p's third limb is zero)
        ///     r3 + k·0xffffffff00000001                        (the one multiplication)
        @inline(__always)
        static func reduceLowestLimb(_ r: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64))
            -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
            let k = r.0
            let (s1, c1) = UInt64.add(r.1, k << 32, carry: 0)
            let (s2, c2) = UInt64.add(r.2, k >> 32, carry: c1)
            let (high, low) = k.multipliedFullWidth(by: 0xffff_ffff_0000_0001)
            let (s3, c3) = UInt64.add(r.3, low, carry: c2)
            let (s4, c4) = UInt64.add(r.4, high, carry: c3)
            return (s1, s2, s3, s4, r.5 &+ c4)
        }
    }
}
