/// FIPS 203 §2.3-§2.4: integers modulo q = 3329, and polynomials of R_q = Z_q[X]/(X^256 + 1)
/// or their NTT representations in T_q, both stored as 256 coefficients.
///
/// Coefficients are `Int16` and are not always fully reduced: between steps a coefficient is any
/// representative of its class that fits (|c| < 2^15), as in the pq-crystals reference code.
/// `barrettReduce` brings one into -(q-1)/2...(q-1)/2 and `canonical` into 0..<q; encodings and
/// the trace see canonical values only. Every reduction is multiplications and shifts: no
/// division and no branch, because the coefficients are secret.
enum MLKEMField {
    static let q: Int16 = 3329

    /// q^-1 mod 2^16, as a signed 16-bit value: -3327.
    static let qInverse: Int16 = -3327

    /// Montgomery reduction: for |a| < q·2^15, a value congruent to a·2^-16 mod q in -q+1...q-1.
    /// t = a·q^-1 mod 2^16 makes a - t·q divisible by 2^16.
    @inline(__always)
    static func montgomeryReduce(_ a: Int32) -> Int16 {
        let t = Int16(truncatingIfNeeded: a) &* qInverse
        return Int16(truncatingIfNeeded: (a &- Int32(t) &* Int32(q)) >> 16)
    }

    /// a·b·2^-16 mod q: multiplication where one factor carries a Montgomery factor 2^16.
    @inline(__always)
    static func multiply(_ a: Int16, _ b: Int16) -> Int16 {
        montgomeryReduce(Int32(a) &* Int32(b))
    }

    /// Barrett reduction: a - round(a·v / 2^26)·q with v = round(2^26 / q) = 20159, which lies in
    /// -(q-1)/2...(q-1)/2 for every Int16 a.
    @inline(__always)
    static func barrettReduce(_ a: Int16) -> Int16 {
        let v: Int32 = 20159
        let t = Int16(truncatingIfNeeded: (v &* Int32(a) &+ (1 << 25)) >> 26)
        return a &- t &* q
    }

    /// The representative in 0..<q of a coefficient already in -q+1..<q: q is added when the sign
    /// bit is set, by a mask rather than a branch.
    @inline(__always)
    static func canonical(_ a: Int16) -> Int16 {
        a &+ ((a >> 15) & q)
    }

    /// The representative in 0..<q of any Int16.
    @inline(__always)
    static func fullyReduce(_ a: Int16) -> Int16 {
        canonical(barrettReduce(a))
    }
}

/// 256 coefficients: f_0 + f_1·X + ... + f_255·X^255 in R_q, or the 128 degree-one
/// polynomials of T_q (FIPS 203 §4.3), pairs (f̂_2i, f̂_2i+1) in the same slots.
struct Polynomial: Sendable {
    var coefficients = InlineArray<256, Int16>(repeating: 0)

    /// Unchecked: every index comes from a loop over 0..<256 or a fixed layout, never from data.
    @inline(__always)
    subscript(index: Int) -> Int16 {
        get {
            assert(index >= 0 && index < 256)
            return coefficients[unchecked: index]
        }
        set {
            assert(index >= 0 && index < 256)
            coefficients[unchecked: index] = newValue
        }
    }

    /// The coefficients in place, for the inner loops (NTT, products, sums): through a pointer
    /// the compiler neither copies the 512 bytes nor checks bounds, and vectorises the loops.
    @inline(__always)
    mutating func withCoefficients<R>(_ body: (UnsafeMutablePointer<Int16>) -> R) -> R {
        withUnsafeMutablePointer(to: &coefficients) { $0.withMemoryRebound(to: Int16.self, capacity: 256, body) }
    }

    @inline(__always)
    borrowing func withCoefficients<R>(_ body: (UnsafePointer<Int16>) -> R) -> R {
        withUnsafePointer(to: coefficients) { $0.withMemoryRebound(to: Int16.self, capacity: 256, body) }
    }

    /// Coefficient-wise sum, not reduced (callers reduce once after several additions).
    static func += (lhs: inout Polynomial, rhs: Polynomial) {
        rhs.withCoefficients { g in
            lhs.withCoefficients { f in
                for i in 0..<256 { f[i] = f[i] &+ g[i] }
            }
        }
    }

    static func -= (lhs: inout Polynomial, rhs: Polynomial) {
        rhs.withCoefficients { g in
            lhs.withCoefficients { f in
                for i in 0..<256 { f[i] = f[i] &- g[i] }
            }
        }
    }

    /// Every coefficient Barrett-reduced into -(q-1)/2...(q-1)/2.
    mutating func reduce() {
        withCoefficients { f in
            for i in 0..<256 { f[i] = MLKEMField.barrettReduce(f[i]) }
        }
    }

    /// Multiplies by 2^16 mod q (a Montgomery multiplication by 2^32 mod q = 1353), undoing the
    /// 2^-16 a Montgomery product leaves behind.
    mutating func multiplyByMontgomeryFactor() {
        withCoefficients { f in
            for i in 0..<256 { f[i] = MLKEMField.multiply(f[i], 1353) }
        }
    }

    /// The coefficients as integers in 0..<q, as FIPS 203 writes them (for the trace).
    var canonicalCoefficients: [UInt16] {
        (0..<256).map { UInt16(MLKEMField.fullyReduce(self[$0])) }
    }
}

/// k polynomials: the vectors of R_q^k and T_q^k (FIPS 203 §2.4.6). ML-KEM-768 has k = 3.
typealias PolynomialVector = InlineArray<3, Polynomial>

extension InlineArray where Element == Polynomial {
    static var zero: Self { Self(repeating: Polynomial()) }
}
