/// FIPS 203 §4.3: the number-theoretic transform, which turns multiplication in R_q into 128
/// independent multiplications of degree-one polynomials (ζ = 17 is a primitive 256th root of
/// unity mod q).
///
/// The arithmetic is the pq-crystals reference code's: the powers of ζ are stored times 2^16
/// (Montgomery form), so each butterfly's product is one Montgomery multiplication that gives
/// ζ^k·f exactly. Loop bounds and table indices depend only on positions, never on data.
enum NTT {
    /// ζ^BitRev7(i) · 2^16 mod q for i = 0..<128, as signed values in -(q-1)/2...(q-1)/2
    /// (FIPS 203 Appendix A lists ζ^BitRev7(i) itself).
    static let zetas: [Int16] = (0..<128).map { i in
        let power = (0..<7).reduce(0) { reversed, bit in reversed | ((i >> bit) & 1) << (6 - bit) }
        var zeta = 1
        for _ in 0..<power { zeta = zeta * 17 % 3329 }
        let montgomery = (zeta << 16) % 3329
        return Int16(montgomery > 3329 / 2 ? montgomery - 3329 : montgomery)
    }

    /// NTT(f), FIPS 203 Algorithm 9. Input coefficients |c| < q; output Barrett-reduced.
    ///
    /// Seven layers of Cooley-Tukey butterflies (f_j, f_j+len) ← (f_j + ζ·f_j+len, f_j − ζ·f_j+len)
    /// with len = 128, 64, ..., 2. Each layer adds at most q to a coefficient's size, so seven
    /// layers stay below 8q < 2^15 and one reduction at the end suffices.
    static func ntt(_ polynomial: inout Polynomial) {
        polynomial.withCoefficients { f in
            zetas.withUnsafeBufferPointer { zetas in
                var i = 1
                var length = 128
                while length >= 2 {
                    for start in stride(from: 0, to: 256, by: 2 * length) {
                        let zeta = zetas[i]
                        i += 1
                        if length >= 16 {
                            layer(SIMD16<Int16>.self, f, start: start, length: length) { low, high in
                                let t = SIMD16<Int16>.montgomeryMultiply(SIMD16(repeating: zeta), high)
                                high = .difference(low, t)
                                low = .sum(low, t)
                            }
                        } else {
                            layer(Int16.self, f, start: start, length: length) { low, high in
                                let t = Int16.montgomeryMultiply(zeta, high)
                                high = .difference(low, t)
                                low = .sum(low, t)
                            }
                        }
                    }
                    length /= 2
                }
            }
        }
        polynomial.reduce()
    }

    /// NTT^-1(f̂), FIPS 203 Algorithm 10, times 2^16: the inverse butterflies
    /// (f_j, f_j+len) ← (f_j + f_j+len, ζ·(f_j+len − f_j)) with len = 2, 4, ..., 128 and ζ running
    /// down the table, then the final multiplication by 128^-1 (step 14) folded together with
    /// 2^16 into one Montgomery multiplication by 2^32 / 128 mod q = 1441. The extra 2^16 cancels
    /// the 2^-16 that `multiplyNTTs` leaves, so NTT^-1(MultiplyNTTs(â, b̂)) is exactly a·b.
    /// Sums are Barrett-reduced in every layer so they never outgrow 16 bits.
    static func inverseNTT(_ polynomial: inout Polynomial) {
        polynomial.withCoefficients { f in
            zetas.withUnsafeBufferPointer { zetas in
                var i = 127
                var length = 2
                while length <= 128 {
                    for start in stride(from: 0, to: 256, by: 2 * length) {
                        let zeta = zetas[i]
                        i -= 1
                        if length >= 16 {
                            layer(SIMD16<Int16>.self, f, start: start, length: length) { low, high in
                                let t = low
                                low = SIMD16<Int16>.sum(t, high).barrettReduced()
                                high = .montgomeryMultiply(SIMD16(repeating: zeta), .difference(high, t))
                            }
                        } else {
                            layer(Int16.self, f, start: start, length: length) { low, high in
                                let t = low
                                low = Int16.sum(t, high).barrettReduced()
                                high = .montgomeryMultiply(zeta, .difference(high, t))
                            }
                        }
                    }
                    length *= 2
                }
            }
            for j in 0..<256 {
                f[j] = MLKEMField.multiply(f[j], 1441)
            }
        }
    }

    /// One group of butterflies: `butterfly(&f[j], &f[j + length])` for j in start..<start+length,
    /// `Lanes.laneCount` values of j at a time (16 in a vector while the distance allows, else 1).
    @inline(__always)
    private static func layer<Lanes: CoefficientLanes>(
        _: Lanes.Type, _ f: UnsafeMutablePointer<Int16>, start: Int, length: Int,
        _ butterfly: (_ low: inout Lanes, _ high: inout Lanes) -> Void
    ) {
        let raw = UnsafeMutableRawPointer(f)
        for j in stride(from: start, to: start + length, by: Lanes.laneCount) {
            var low = raw.loadUnaligned(fromByteOffset: 2 * j, as: Lanes.self)
            var high = raw.loadUnaligned(fromByteOffset: 2 * (j + length), as: Lanes.self)
            butterfly(&low, &high)
            raw.storeBytes(of: low, toByteOffset: 2 * j, as: Lanes.self)
            raw.storeBytes(of: high, toByteOffset: 2 * (j + length), as: Lanes.self)
        }
    }

    /// MultiplyNTTs(f̂, ĝ), FIPS 203 Algorithm 11, accumulated into `sum` and times 2^-16:
    /// the 128 products of degree-one polynomials modulo X^2 − γ_i, where
    /// γ_i = ζ^(2·BitRev7(i)+1). Pairs 2i and 2i+1 share |γ| = ζ^BitRev7(64 + i/2) and differ in
    /// sign, since ζ^128 = −1.
    static func multiplyNTTs(_ f: Polynomial, _ g: Polynomial, accumulatingInto sum: inout Polynomial) {
        f.withCoefficients { a in
            g.withCoefficients { b in
                sum.withCoefficients { c in
                    zetas.withUnsafeBufferPointer { zetas in
                        for i in 0..<64 {
                            let gamma = zetas[64 + i]
                            baseCaseMultiply(a + 4 * i, b + 4 * i, gamma: gamma, accumulatingInto: c + 4 * i)
                            baseCaseMultiply(a + 4 * i + 2, b + 4 * i + 2, gamma: 0 &- gamma, accumulatingInto: c + 4 * i + 2)
                        }
                    }
                }
            }
        }
    }

    /// BaseCaseMultiply, FIPS 203 Algorithm 12, times 2^-16, added to `sum`:
    /// (a0 + a1·X)(b0 + b1·X) mod (X^2 − γ) = (a0·b0 + a1·b1·γ) + (a0·b1 + a1·b0)·X.
    @inline(__always)
    private static func baseCaseMultiply(
        _ a: UnsafePointer<Int16>, _ b: UnsafePointer<Int16>, gamma: Int16, accumulatingInto sum: UnsafeMutablePointer<Int16>
    ) {
        let c0 = MLKEMField.multiply(MLKEMField.multiply(a[1], b[1]), gamma) &+ MLKEMField.multiply(a[0], b[0])
        let c1 = MLKEMField.multiply(a[0], b[1]) &+ MLKEMField.multiply(a[1], b[0])
        sum[0] = sum[0] &+ c0
        sum[1] = sum[1] &+ c1
    }

    /// Σ_j MultiplyNTTs(û_j, v̂_j) times 2^-16, Barrett-reduced: one entry of Â∘û, or ûᵀ∘v̂
    /// (FIPS 203 §2.4.7, equation 2.14).
    static func dotProduct(_ u: PolynomialVector, _ v: PolynomialVector) -> Polynomial {
        var sum = Polynomial()
        for j in 0..<3 {
            multiplyNTTs(u[j], v[j], accumulatingInto: &sum)
        }
        sum.reduce()
        return sum
    }
}

/// One coefficient, or 16 side by side in a vector, with the arithmetic of an NTT butterfly.
protocol CoefficientLanes {
    static var laneCount: Int { get }
    /// Sum and difference, wrapping (the bounds in the comments above keep them below 2^15).
    static func sum(_ a: Self, _ b: Self) -> Self
    static func difference(_ a: Self, _ b: Self) -> Self
    /// a·b·2^-16 mod q (Montgomery).
    static func montgomeryMultiply(_ a: Self, _ b: Self) -> Self
    func barrettReduced() -> Self
}

extension Int16: CoefficientLanes {
    static var laneCount: Int { 1 }

    @inline(__always)
    static func sum(_ a: Int16, _ b: Int16) -> Int16 { a &+ b }

    @inline(__always)
    static func difference(_ a: Int16, _ b: Int16) -> Int16 { a &- b }

    @inline(__always)
    static func montgomeryMultiply(_ a: Int16, _ b: Int16) -> Int16 { MLKEMField.multiply(a, b) }

    @inline(__always)
    func barrettReduced() -> Int16 { MLKEMField.barrettReduce(self) }
}

/// The same arithmetic as `MLKEMField`'s, lane by lane (the products widened to 32 bits).
extension SIMD16<Int16>: CoefficientLanes {
    static var laneCount: Int { 16 }

    @inline(__always)
    static func sum(_ a: SIMD16<Int16>, _ b: SIMD16<Int16>) -> SIMD16<Int16> { a &+ b }

    @inline(__always)
    static func difference(_ a: SIMD16<Int16>, _ b: SIMD16<Int16>) -> SIMD16<Int16> { a &- b }

    @inline(__always)
    static func montgomeryMultiply(_ a: SIMD16<Int16>, _ b: SIMD16<Int16>) -> SIMD16<Int16> {
        let product = SIMD16<Int32>(truncatingIfNeeded: a) &* SIMD16<Int32>(truncatingIfNeeded: b)
        let t = SIMD16<Int16>(truncatingIfNeeded: product) &* MLKEMField.qInverse
        return SIMD16<Int16>(truncatingIfNeeded: (product &- SIMD16<Int32>(truncatingIfNeeded: t) &* Int32(MLKEMField.q)) &>> 16)
    }

    @inline(__always)
    func barrettReduced() -> SIMD16<Int16> {
        let t = SIMD16<Int16>(truncatingIfNeeded: (SIMD16<Int32>(truncatingIfNeeded: self) &* 20159 &+ (1 << 25)) &>> 26)
        return self &- t &* MLKEMField.q
    }
}
