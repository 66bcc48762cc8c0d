/// Arithmetic modulo one odd number `n` in Montgomery form (P. Montgomery, "Modular
/// multiplication without trial division", 1985), the engine of every RSA operation.
///
/// With `k` limbs and `R = 2^(64k)`, a number `x` is held as `x·R mod n`. The product of two
/// such numbers, divided by `R`, is again in that form, and dividing by `R` is cheap: each of
/// `k` steps adds the multiple of `n` that clears the lowest limb, then drops that limb. No
/// trial division anywhere. The context keeps what every operation needs:
/// `n' = -n⁻¹ mod 2⁶⁴` (which multiple of `n` clears a limb), `R mod n` (one, in Montgomery
/// form) and `R² mod n` (to bring a number in).
///
/// The multiplication is CIOS (Koç, Acar, Kaliski, "Analyzing and comparing Montgomery
/// multiplication algorithms", 1996) with its two inner loops fused, so the product carry
/// chain and the reduction carry chain run side by side. Every routine works in buffers
/// allocated once per exponentiation; nothing allocates inside the loops.
public struct MontgomeryContext: Sendable {
    public let modulus: BigUInt
    public let limbCount: Int
    let modulusLimbs: [UInt64]
    /// `-n⁻¹ mod 2⁶⁴`.
    let modulusInverse: UInt64
    /// `R mod n`: the number 1 in Montgomery form.
    private let montgomeryOne: [UInt64]
    /// `R² mod n`: multiplying by it (and dividing by R) brings a number into Montgomery form.
    private let rSquared: [UInt64]

    /// Exponent bits consumed per table lookup when the exponent is secret: a table of 32
    /// powers, then one multiplication per 5 bits instead of one per set bit.
    static let windowBits = 5

    public init(modulus: BigUInt) throws {
        guard modulus.isOdd, modulus.bitCount > 1 else {
            throw CryptoError(.invalidParameter, "Montgomery arithmetic needs an odd modulus greater than 1")
        }
        self.modulus = modulus
        limbCount = modulus.limbs.count
        modulusLimbs = modulus.limbs

        // Newton's iteration for the inverse mod 2^64: n·n ≡ 1 (mod 8) gives 3 correct bits,
        // and each step doubles them (3, 6, 12, 24, 48, 96).
        let n0 = modulus.limbs[0]
        var inverse = n0
        for _ in 0..<5 { inverse = inverse &* (2 &- n0 &* inverse) }
        modulusInverse = 0 &- inverse

        var r = [UInt64](repeating: 0, count: limbCount + 1)
        r[limbCount] = 1
        let rModN = BigUInt(limbs: r).remainder(dividingBy: modulus)
        montgomeryOne = rModN.limbs(paddedTo: limbCount)
        rSquared = (rModN * rModN).remainder(dividingBy: modulus).limbs(paddedTo: limbCount)
    }

    /// `base^exponent mod n`, for `base < n`.
    ///
    /// A secret exponent (an RSA private exponent) is processed in fixed 5-bit windows over
    /// the full width of the modulus, each window costing the same squarings and one
    /// multiplication by a table entry read with a constant-time scan, so the sequence of
    /// operations and memory accesses does not depend on the exponent's bits. A public
    /// exponent (65537) uses plain square-and-multiply, which is fastest for a sparse exponent.
    public func power(_ base: BigUInt, _ exponent: BigUInt, exponentIsSecret: Bool) -> BigUInt {
        precondition(base < modulus, "Montgomery base must be reduced")
        return BigUInt(limbs: power(limbs: base.limbs(paddedTo: limbCount), exponent, exponentIsSecret: exponentIsSecret))
    }

    /// `power` on a `k`-limb base below n, giving `k` limbs: what the RSA private operation
    /// uses, so that no secret passes through `BigUInt` (whose limb count, comparisons and
    /// normalisation depend on the value).
    ///
    /// The branches that remain depend only on public values: `k` and the modulus's bit
    /// length (loop bounds), `exponentIsSecret` (chosen by the caller), the bits of a public
    /// exponent (the square-and-multiply path), and the window position. `exponent.bitCount`
    /// enters the window count only through `max` with the modulus's bit count, and a secret
    /// exponent (dP < p) is never longer than that, so the count is the modulus's.
    func power(limbs baseLimbs: [UInt64], _ exponent: BigUInt, exponentIsSecret: Bool) -> [UInt64] {
        precondition(baseLimbs.count == limbCount, "Montgomery base must have the modulus's limb count")
        let k = limbCount
        let entries = 1 << Self.windowBits
        // Scratch layout: table (entries·k) | accumulator (k) | selected entry (k) | product (k + 2).
        let scratchCount = (exponentIsSecret ? entries * k : k) + 2 * k + (k + 2)
        let scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: scratchCount)
        defer {
            scratch.update(repeating: 0, count: scratchCount)  // do not leave secrets behind
            scratch.deallocate()
        }
        scratch.initialize(repeating: 0, count: scratchCount)
        let table = scratch
        let accumulator = scratch + (exponentIsSecret ? entries * k : k)
        let selected = accumulator + k
        let product = selected + k

        var result = [UInt64](repeating: 0, count: k)
        modulusLimbs.withUnsafeBufferPointer { nBuffer in
        montgomeryOne.withUnsafeBufferPointer { oneBuffer in
        rSquared.withUnsafeBufferPointer { rSquaredBuffer in
        baseLimbs.withUnsafeBufferPointer { baseBuffer in
            let n = nBuffer.baseAddress!
            let one = oneBuffer.baseAddress!
            let nPrime = modulusInverse
            @inline(__always)
            func multiply(_ out: UnsafeMutablePointer<UInt64>, _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>) {
                Self.montgomeryMultiplyDispatched(out, a, b, n, nPrime, k, product)
            }

            // table[1] = base·R; for a secret exponent table[i] = base^i·R for every 5-bit i.
            let baseMont = table + (exponentIsSecret ? k : 0)
            multiply(baseMont, baseBuffer.baseAddress!, rSquaredBuffer.baseAddress!)

            if exponentIsSecret {
                table.update(from: one, count: k)
                for i in 2..<entries {
                    multiply(table + i * k, table + (i - 1) * k, baseMont)
                }
                accumulator.update(from: one, count: k)
                let windowCount = (max(exponent.bitCount, modulus.bitCount) + Self.windowBits - 1) / Self.windowBits
                for window in stride(from: windowCount - 1, through: 0, by: -1) {
                    for _ in 0..<Self.windowBits { multiply(accumulator, accumulator, accumulator) }
                    let digit = Self.windowDigit(exponent, at: window * Self.windowBits)
                    Self.constantTimeSelect(into: selected, table: table, entry: digit, entries: entries, limbCount: k)
                    multiply(accumulator, accumulator, selected)
                }
            } else {
                accumulator.update(from: one, count: k)
                for index in stride(from: exponent.bitCount - 1, through: 0, by: -1) {
                    multiply(accumulator, accumulator, accumulator)
                    if exponent.bit(index) { multiply(accumulator, accumulator, baseMont) }
                }
            }

            // Leave Montgomery form: multiply by plain 1 (which divides by R).
            selected.update(repeating: 0, count: k)
            selected[0] = 1
            result.withUnsafeMutableBufferPointer { out in
                multiply(out.baseAddress!, accumulator, selected)
            }
        }}}}
        return result
    }

    /// `a·b mod n` for `a, b < n` (two Montgomery multiplications: `a·b/R`, then `·R²/R`).
    public func multiply(_ a: BigUInt, _ b: BigUInt) -> BigUInt {
        precondition(a < modulus && b < modulus, "Montgomery operands must be reduced")
        return BigUInt(limbs: multiply(limbs: a.limbs(paddedTo: limbCount), b.limbs(paddedTo: limbCount)))
    }

    /// `a·b mod n` on `k`-limb arrays, `a < R` and `b < n`, in time that depends on `k` only.
    /// (The Montgomery product `a·b/R` stays below 2n for any `a < R`, so one conditional
    /// subtraction reduces it fully; the second product multiplies by `R²/R`.)
    func multiply(limbs a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        precondition(a.count == limbCount && b.count == limbCount, "Montgomery operands must have the modulus's limb count")
        let k = limbCount
        var first = [UInt64](repeating: 0, count: k)
        var result = [UInt64](repeating: 0, count: k)
        var product = [UInt64](repeating: 0, count: k + 2)
        product.withUnsafeMutableBufferPointer { t in
        first.withUnsafeMutableBufferPointer { first in
        result.withUnsafeMutableBufferPointer { result in
            Self.montgomeryMultiplyDispatched(first.baseAddress!, a, b, modulusLimbs, modulusInverse, k, t.baseAddress!)
            Self.montgomeryMultiplyDispatched(result.baseAddress!, first.baseAddress!, rSquared, modulusLimbs, modulusInverse, k, t.baseAddress!)
        }}}
        return result
    }

    /// `x mod n`. When `x < n·R` (true for the CRT halves of an RSA input, which are below
    /// p·q with q < R) this is `reduce(wide:)`; larger `x` fall back to `BigUInt.remainder`.
    public func reduce(_ x: BigUInt) -> BigUInt {
        let k = limbCount
        guard x.limbs.count <= 2 * k, BigUInt(limbs: Array(x.limbs.dropFirst(k))) < modulus else {
            return x.remainder(dividingBy: modulus)
        }
        return BigUInt(limbs: reduce(wide: x.limbs(paddedTo: 2 * k)))
    }

    /// `x mod n` for a `2k`-limb `x < n·R`, as `k` limbs, in time that depends on `k` only: one
    /// Montgomery reduction, `x/R`, and one multiplication by `R²`, no trial division.
    func reduce(wide x: [UInt64]) -> [UInt64] {
        let k = limbCount
        precondition(x.count == 2 * k, "reduce(wide:) takes 2k limbs")
        var wide = x
        var divided = [UInt64](repeating: 0, count: k)
        var result = [UInt64](repeating: 0, count: k)
        var scratch = [UInt64](repeating: 0, count: k + 2)
        wide.withUnsafeMutableBufferPointer { u in
        divided.withUnsafeMutableBufferPointer { divided in
        result.withUnsafeMutableBufferPointer { result in
        scratch.withUnsafeMutableBufferPointer { t in
            Self.montgomeryReduce(divided.baseAddress!, u.baseAddress!, modulusLimbs, modulusInverse, k)
            Self.montgomeryMultiplyDispatched(result.baseAddress!, divided.baseAddress!, rSquared, modulusLimbs, modulusInverse, k, t.baseAddress!)
        }}}}
        return result
    }

    /// `out = a·b/R mod n` (fully reduced, below n) for `a, b < n`. `out` may alias `a` or `b`;
    /// `t` is `k + 2` limbs of scratch.
    @inline(__always)
    private static func montgomeryMultiply(
        _ out: UnsafeMutablePointer<UInt64>, _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>,
        _ n: UnsafePointer<UInt64>, _ nPrime: UInt64, _ k: Int, _ t: UnsafeMutablePointer<UInt64>
    ) {
        t.update(repeating: 0, count: k + 1)
        for i in 0..<k {
            let bi = UInt128(b[i])
            // Limb 0 decides m, the multiple of n that makes the lowest limb of t + a·bᵢ + m·n zero.
            let first = UInt128(a[0]) * bi + UInt128(t[0])
            let m = UInt64(truncatingIfNeeded: first) &* nPrime
            let reduced = UInt128(m) * UInt128(n[0]) + UInt128(UInt64(truncatingIfNeeded: first))
            var productCarry = UInt64(truncatingIfNeeded: first >> 64)
            var reduceCarry = UInt64(truncatingIfNeeded: reduced >> 64)
            let bi64 = b[i]
            // The remaining limbs: add a[j]·bᵢ and m·n[j], store one limb lower (the divide by 2⁶⁴).
            var j = 1
            while j < k {
                let product = multiplyAdd(a[j], bi64, t[j], productCarry)
                let reduction = multiplyAdd(m, n[j], product.low, reduceCarry)
                productCarry = product.high
                reduceCarry = reduction.high
                t[j - 1] = reduction.low
                j += 1
            }
            let top = UInt128(t[k]) + UInt128(productCarry) + UInt128(reduceCarry)
            t[k - 1] = UInt64(truncatingIfNeeded: top)
            t[k] = UInt64(truncatingIfNeeded: top >> 64)
        }
        subtractModulusIfNeeded(out, t, top: t[k], n, k)
    }

    /// `montgomeryMultiply` with the limb count of the usual RSA sizes as a compile-time
    /// constant (16, 24, 32, 48, 64 limbs: the primes and moduli of RSA-2048/3072/4096 and
    /// the 1024-bit key of RFC 8448), which lets the compiler unroll the inner loop
    /// completely (about 5% faster in CPU time). Other sizes take the general loop.
    @inline(never)
    private static func montgomeryMultiplyDispatched(
        _ out: UnsafeMutablePointer<UInt64>, _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>,
        _ n: UnsafePointer<UInt64>, _ nPrime: UInt64, _ k: Int, _ t: UnsafeMutablePointer<UInt64>
    ) {
        switch k {
        case 16: montgomeryMultiply(out, a, b, n, nPrime, 16, t)
        case 24: montgomeryMultiply(out, a, b, n, nPrime, 24, t)
        case 32: montgomeryMultiply(out, a, b, n, nPrime, 32, t)
        case 48: montgomeryMultiply(out, a, b, n, nPrime, 48, t)
        case 64: montgomeryMultiply(out, a, b, n, nPrime, 64, t)
        default: montgomeryMultiply(out, a, b, n, nPrime, k, t)
        }
    }

    /// `out = u/R mod n` for a `2k`-limb `u < n·R` (REDC): k times, add the multiple of n that
    /// clears the lowest remaining limb. `u` is overwritten.
    @inline(never)
    private static func montgomeryReduce(
        _ out: UnsafeMutablePointer<UInt64>, _ u: UnsafeMutablePointer<UInt64>,
        _ n: UnsafePointer<UInt64>, _ nPrime: UInt64, _ k: Int
    ) {
        // `top` holds the carry out of limb i + k, one bit, added in at the next row.
        var top: UInt64 = 0
        for i in 0..<k {
            let row = u + i
            let m = UInt128(row[0] &* nPrime)
            var carry: UInt64 = 0
            var j = 0
            while j < k {
                let sum = m * UInt128(n[j]) + UInt128(row[j]) + UInt128(carry)
                row[j] = UInt64(truncatingIfNeeded: sum)
                carry = UInt64(truncatingIfNeeded: sum >> 64)
                j &+= 1
            }
            let sum = UInt128(row[k]) + UInt128(carry) + UInt128(top)
            row[k] = UInt64(truncatingIfNeeded: sum)
            top = UInt64(truncatingIfNeeded: sum >> 64)
        }
        subtractModulusIfNeeded(out, u + k, top: top, n, k)
    }

    /// `out = t mod n` for the `k`-limb `t` plus a top bit, `t < 2n`: subtract n into `out`
    /// unconditionally, then keep t instead when that borrowed, choosing with a mask rather
    /// than a branch so the timing does not depend on the value.
    @inline(__always)
    private static func subtractModulusIfNeeded(
        _ out: UnsafeMutablePointer<UInt64>, _ t: UnsafePointer<UInt64>, top: UInt64,
        _ n: UnsafePointer<UInt64>, _ k: Int
    ) {
        // The borrow is the top bit of a 128-bit difference, so this is a sub/sbb chain. (Two
        // `subtractingReportingOverflow` flags or-ed together compiled to a branch on each
        // limb's comparison: data-dependent, so mispredicted about half the time, and a timing
        // leak besides; the branch-free chain made RSA-2048 signing ~15% faster.)
        var borrow: UInt64 = 0
        for j in 0..<k {
            let difference = UInt128(t[j]) &- UInt128(n[j]) &- UInt128(borrow)
            out[j] = UInt64(truncatingIfNeeded: difference)
            borrow = UInt64(truncatingIfNeeded: difference >> 127)
        }
        // top and borrow are 0 or 1; t was below n exactly when top - borrow goes negative.
        let keepT = 0 &- ((top &- borrow) >> 63)
        for j in 0..<k {
            out[j] = (t[j] & keepT) | (out[j] & ~keepT)
        }
    }

    /// The `windowBits` exponent bits starting at bit `position`. `BigUInt.bit` branches on
    /// whether the position lies beyond the exponent's limbs: for a secret exponent that tells
    /// only whether its top limb is zero, which for dP and dQ (about as long as p and q) happens
    /// with probability about 2⁻⁶⁴. The bit itself becomes 0 or 1 without a branch.
    private static func windowDigit(_ exponent: BigUInt, at position: Int) -> Int {
        var digit = 0
        for offset in 0..<windowBits {
            digit |= (exponent.bit(position + offset) ? 1 : 0) << offset
        }
        return digit
    }

    /// Copies `table[entry]` into `out` while reading every entry, so the memory access pattern
    /// does not reveal which one was wanted.
    @inline(__always)
    private static func constantTimeSelect(
        into out: UnsafeMutablePointer<UInt64>, table: UnsafePointer<UInt64>, entry: Int, entries: Int, limbCount k: Int
    ) {
        out.update(repeating: 0, count: k)
        for i in 0..<entries {
            // mask = all ones exactly when i == entry, computed without a branch.
            let difference = UInt64(truncatingIfNeeded: i ^ entry)
            let mask = ((difference | (0 &- difference)) >> 63) &- 1
            let row = table + i * k
            for j in 0..<k { out[j] |= row[j] & mask }
        }
    }
}

/// `a·b + c + d` as two limbs. It never overflows: (2⁶⁴-1)² + 2·(2⁶⁴-1) = 2¹²⁸ - 1.
///
/// Written with 64-bit halves and carry flags rather than as a three-term `UInt128` sum: the
/// compiler turns each carry into one add-with-carry of zero into the high half, where the
/// `UInt128` sum cost a `setb` and an extra add per term (RSA signing spends most of its time
/// here, two of these per limb per limb).
@inline(__always)
func multiplyAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> (high: UInt64, low: UInt64) {
    let product = a.multipliedFullWidth(by: b)
    let (low1, carry1) = product.low.addingReportingOverflow(c)
    let (low2, carry2) = low1.addingReportingOverflow(d)
    return (product.high &+ (carry1 ? 1 : 0) &+ (carry2 ? 1 : 0), low2)
}
