/// An integer modulo a 256-bit prime m > 2^255, held in Montgomery form (P. Montgomery,
/// "Modular multiplication without trial division", 1985): x is stored as x·R mod m with
/// R = 2^256, so the Montgomery product a·b·R⁻¹ mod m of two stored values is again the stored
/// form of the product, and no division is ever needed.
///
/// P-256's field elements (mod p) and scalars (mod n) are both such numbers. Each writes only
/// the reduction step of the Montgomery product, where the shape of its modulus matters; the
/// product itself, addition, subtraction, conversion in and out and inversion are written once
/// here. Values are always fully reduced
/// (below m), so equal numbers have equal limbs, and nothing branches on a value.
protocol MontgomeryResidue: Sendable {
    static var modulus: U256 { get }
    /// R² mod m: the Montgomery product with it brings a number into Montgomery form.
    static var rSquared: U256 { get }
    /// One, in Montgomery form (R mod m).
    static var one: Self { get }
    /// One reduction step of the product: (r + k·m) / 2^64 for the k in [0, 2^64) that makes
    /// the sum a multiple of 2^64 (k = r0·(−m⁻¹) mod 2^64). `r` is six limbs, least significant
    /// first; the result is five.
    static func reduceLowestLimb(_ r: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64))
        -> (UInt64, UInt64, UInt64, UInt64, UInt64)

    var montgomery: U256 { get }
    init(montgomery: U256)
}

extension MontgomeryResidue {
    static var zero: Self { Self(montgomery: .zero) }

    /// a·b·R⁻¹ mod m, for a, b < m, by CIOS (Koç, Acar, Kaliski, "Analyzing and comparing
    /// Montgomery multiplication algorithms", 1996): for each limb b_i of b, add a·b_i to the
    /// accumulator, then reduce away its lowest limb. The accumulator stays below 2m (four limbs
    /// and a carry bit), so one conditional subtraction finishes. Written out limb by limb.
    @inline(__always)
    static func montgomeryProduct(_ a: U256, _ b: U256) -> U256 {
        var r: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
        r = reduceLowestLimb(multiplyAdd(r, a, b.w0))
        r = reduceLowestLimb(multiplyAdd(r, a, b.w1))
        r = reduceLowestLimb(multiplyAdd(r, a, b.w2))
        r = reduceLowestLimb(multiplyAdd(r, a, b.w3))
        return U256(r.0, r.1, r.2, r.3).reduced(belowTwice: modulus, carry: r.4)
    }

    /// r + a·b_i as six limbs.
    @inline(__always)
    private static func multiplyAdd(_ r: (UInt64, UInt64, UInt64, UInt64, UInt64), _ a: U256, _ bi: UInt64)
        -> (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) {
        let (s0, c0) = UInt64.multiplyAdd(a.w0, bi, r.0, carry: 0)
        let (s1, c1) = UInt64.multiplyAdd(a.w1, bi, r.1, carry: c0)
        let (s2, c2) = UInt64.multiplyAdd(a.w2, bi, r.2, carry: c1)
        let (s3, c3) = UInt64.multiplyAdd(a.w3, bi, r.3, carry: c2)
        let (s4, c4) = UInt64.add(r.4, c3, carry: 0)
        return (s0, s1, s2, s3, s4, c4)
    }

    /// R² mod m without a magic constant: R mod m is 2^256 − m (as m > 2^255), and 256 modular
    /// doublings multiply it by R. Computed once per modulus, when first used.
    static func computeRSquared() -> U256 {
        var value = U256.zero.subtracting(modulus).difference
        for _ in 0..<256 {
            let (doubled, carry) = value.adding(value)
            value = doubled.reduced(belowTwice: modulus, carry: carry)
        }
        return value
    }

    /// The number `value`, which must be below m; nil otherwise. Whether a number is in range is
    /// the caller's public decision (a key or point is rejected), so returning early is safe.
    init?(canonical value: U256) {
        guard value.isLessMask(than: Self.modulus) != 0 else { return nil }
        self.init(montgomery: Self.montgomeryProduct(value, Self.rSquared))
    }

    /// `value` mod m, for any 256-bit value: as m > 2^255, subtracting m once is enough.
    init(reducing value: U256) {
        self.init(montgomery: Self.montgomeryProduct(value.reduced(belowTwice: Self.modulus, carry: 0), Self.rSquared))
    }

    /// The number itself (out of Montgomery form): the product with 1 divides by R.
    var canonical: U256 { Self.montgomeryProduct(montgomery, .one) }

    /// 32 big-endian bytes of the number.
    var bigEndianBytes: [UInt8] { canonical.bigEndianBytes }

    /// a + b, less m when the sum reaches m.
    @inline(__always)
    static func + (a: Self, b: Self) -> Self {
        let (sum, carry) = a.montgomery.adding(b.montgomery)
        return Self(montgomery: sum.reduced(belowTwice: modulus, carry: carry))
    }

    /// a − b, adding m back (masked by the borrow) when the difference went negative.
    @inline(__always)
    static func - (a: Self, b: Self) -> Self {
        let (difference, borrow) = a.montgomery.subtracting(b.montgomery)
        return Self(montgomery: difference.adding(modulus.masked(0 &- borrow)).sum)
    }

    @inline(__always)
    static prefix func - (a: Self) -> Self { zero - a }

    @inline(__always)
    static func * (a: Self, b: Self) -> Self {
        Self(montgomery: montgomeryProduct(a.montgomery, b.montgomery))
    }

    @inline(__always)
    func squared() -> Self { self * self }

    /// `ifSet` where `mask` is all ones, `otherwise` where it is zero.
    @inline(__always)
    static func select(_ mask: UInt64, _ ifSet: Self, otherwise: Self) -> Self {
        Self(montgomery: U256.select(mask, ifSet.montgomery, otherwise: otherwise.montgomery))
    }

    /// All ones when the number is zero (every limb is examined).
    @inline(__always)
    var isZeroMask: UInt64 { montgomery.isZeroMask }

    /// All ones when the numbers are equal (fully reduced, so equal limbs; every limb examined).
    @inline(__always)
    func equalMask(_ other: Self) -> UInt64 {
        let a = montgomery, b = other.montgomery
        return UInt64.isZeroMask((a.w0 ^ b.w0) | (a.w1 ^ b.w1) | (a.w2 ^ b.w2) | (a.w3 ^ b.w3))
    }

    /// self^exponent for a PUBLIC exponent, in fixed 4-bit windows from the top: four squarings,
    /// then one multiplication by the table entry the exponent's digit names. The digits (and so
    /// the table index and the skipped multiplications) depend only on the public exponent, never
    /// on `self`.
    func power(publicExponent exponent: U256) -> Self {
        var table = [Self](repeating: .one, count: 16)
        for i in 1..<16 { table[i] = table[i - 1] * self }
        var result = Self.one
        for window in stride(from: 63, through: 0, by: -1) {
            result = result.squared().squared().squared().squared()
            let digit = Int(truncatingIfNeeded: exponent.word(window / 16) >> UInt64(4 * (window % 16))) & 0xf
            if digit != 0 { result = result * table[digit] }
        }
        return result
    }

    /// Fermat's little theorem (m is prime): x^(m−2) = x⁻¹ for x ≠ 0; zero stays zero. The
    /// exponent m − 2 is a public constant, so this runs the same steps for every x.
    func inverted() -> Self {
        power(publicExponent: Self.modulus.subtracting(U256(2, 0, 0, 0)).difference)
    }
}
