/// Poly1305 over many blocks at once, for long messages (the TLS record payloads).
///
/// The scalar loop in Poly1305.swift is one long chain: each block waits for the previous
/// multiplication. Horner's rule can be split across L lanes: with blocks m1 ... mn (n a multiple
/// of L) and accumulator h,
///
///     ((h + m1)·r + m2)·r ... + mn)·r  =  h·r^n + Σ mi·r^(n-i+1)
///
/// so lane j takes blocks j+1, j+1+L, j+1+2L, ... and multiplies by r^L after each, except for
/// its last block, which it multiplies by r^(L-j) instead; the sum of the lanes is the same
/// number (mod p) as the scalar loop's result. The lanes are `SIMD4/8<UInt64>`; each number is
/// five 26-bit limbs, so limb products (below 2^56) and their sums fit 64-bit lanes, which the
/// vector units multiply natively.
struct Poly1305Limbs<V: SIMD> where V.Scalar == UInt64 {
    var l0, l1, l2, l3, l4: V

    @inline(__always)
    static var mask: V { V(repeating: (1 << 26) - 1) }

    @inline(__always)
    init(_ l0: V, _ l1: V, _ l2: V, _ l3: V, _ l4: V) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    /// The number lo + hi·2^64 + top·2^128 in radix 2^26 (`top` a few bits).
    @inline(__always)
    init(lo: V, hi: V, top: V) {
        let m = Self.mask
        self.init(lo & m, (lo &>> 26) & m, ((lo &>> 52) | (hi &<< 12)) & m, (hi &>> 14) & m,
                  (hi &>> 40) | (top &<< 24))
    }

    @inline(__always)
    static func + (a: Self, b: Self) -> Self {
        Self(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4)
    }

    /// 5·self, for the limb products that land at 2^130 or above (2^130 ≡ 5 mod p).
    @inline(__always)
    var timesFive: Self {
        Self(l0 &* 5, l1 &* 5, l2 &* 5, l3 &* 5, l4 &* 5)
    }

    /// self·b mod p, partially reduced (limbs below 2^26, l1 a little above). Needs self's limbs
    /// below 2^28 and b's below 2^27; `b5` is `b.timesFive`.
    @inline(__always)
    func multiplied(by b: Self, timesFive b5: Self) -> Self {
        let d0 = l0 &* b.l0 &+ l1 &* b5.l4 &+ l2 &* b5.l3 &+ l3 &* b5.l2 &+ l4 &* b5.l1
        let d1 = l0 &* b.l1 &+ l1 &* b.l0 &+ l2 &* b5.l4 &+ l3 &* b5.l3 &+ l4 &* b5.l2
        let d2 = l0 &* b.l2 &+ l1 &* b.l1 &+ l2 &* b.l0 &+ l3 &* b5.l4 &+ l4 &* b5.l3
        let d3 = l0 &* b.l3 &+ l1 &* b.l2 &+ l2 &* b.l1 &+ l3 &* b.l0 &+ l4 &* b5.l4
        let d4 = l0 &* b.l4 &+ l1 &* b.l3 &+ l2 &* b.l2 &+ l3 &* b.l1 &+ l4 &* b.l0
        return Self(d0, d1, d2, d3, d4).carried()
    }

    /// Each limb's bits above 26 move up one limb; the top limb's wrap to the bottom times 5.
    @inline(__always)
    func carried() -> Self {
        let m = Self.mask
        var r = self
        r.l1 &+= r.l0 &>> 26; r.l0 &= m
        r.l2 &+= r.l1 &>> 26; r.l1 &= m
        r.l3 &+= r.l2 &>> 26; r.l2 &= m
        r.l4 &+= r.l3 &>> 26; r.l3 &= m
        r.l0 &+= (r.l4 &>> 26) &* 5; r.l4 &= m
        r.l1 &+= r.l0 &>> 26; r.l0 &= m
        return r
    }
}

/// A vector of 64-bit lanes that Poly1305 can run one block per lane in.
protocol Poly1305Lanes: SIMD where Scalar == UInt64 {
    /// Reads `scalarCount` consecutive 16-byte blocks: their low and high 64-bit halves.
    static func loadBlocks(_ source: UnsafeRawPointer) -> (low: Self, high: Self)
}

extension SIMD4: Poly1305Lanes where Scalar == UInt64 {
    @inline(__always)
    static func loadBlocks(_ source: UnsafeRawPointer) -> (low: Self, high: Self) {
        let words = source.loadUnaligned(as: SIMD8<UInt64>.self).littleEndianWords
        return (words.evenHalf, words.oddHalf)
    }
}

extension SIMD8: Poly1305Lanes where Scalar == UInt64 {
    @inline(__always)
    static func loadBlocks(_ source: UnsafeRawPointer) -> (low: Self, high: Self) {
        let words = SIMD16(lowHalf: source.loadUnaligned(as: SIMD8<UInt64>.self),
                           highHalf: source.loadUnaligned(fromByteOffset: 64, as: SIMD8<UInt64>.self))
            .littleEndianWords
        return (words.evenHalf, words.oddHalf)
    }
}

extension SIMD where Scalar == UInt64 {
    /// Words read from memory as little endian (a no-op on x86 and ARM).
    @inline(__always)
    fileprivate var littleEndianWords: Self {
        #if _endian(little)
        return self
        #else
        var swapped = self
        for i in indices { swapped[i] = self[i].byteSwapped }
        return swapped
        #endif
    }
}

extension Poly1305 {
    /// r, r^2, ..., r^8 in lanes 0 ... 7.
    static func powers(of r0: UInt64, _ r1: UInt64) -> Poly1305Limbs<SIMD8<UInt64>> {
        typealias Pair = Poly1305Limbs<SIMD2<UInt64>>
        func pair(_ a: Pair, _ i: Int, _ b: Pair, _ j: Int) -> Pair {
            Pair(SIMD2(a.l0[i], b.l0[j]), SIMD2(a.l1[i], b.l1[j]), SIMD2(a.l2[i], b.l2[j]),
                 SIMD2(a.l3[i], b.l3[j]), SIMD2(a.l4[i], b.l4[j]))
        }
        let r = Pair(lo: SIMD2(repeating: r0), hi: SIMD2(repeating: r1), top: .zero)
        let r2 = r.multiplied(by: r, timesFive: r.timesFive)                     // (r^2, r^2)
        let r12 = pair(r, 0, r2, 0)                                              // (r, r^2)
        let r34 = r2.multiplied(by: r12, timesFive: r12.timesFive)               // (r^3, r^4)
        let r4 = pair(r34, 1, r34, 1)
        let r56 = r4.multiplied(by: r12, timesFive: r12.timesFive)               // (r^5, r^6)
        let r78 = r4.multiplied(by: r34, timesFive: r34.timesFive)               // (r^7, r^8)
        func join(_ a: SIMD2<UInt64>, _ b: SIMD2<UInt64>, _ c: SIMD2<UInt64>, _ d: SIMD2<UInt64>) -> SIMD8<UInt64> {
            SIMD8(lowHalf: SIMD4(lowHalf: a, highHalf: b), highHalf: SIMD4(lowHalf: c, highHalf: d))
        }
        return Poly1305Limbs(join(r12.l0, r34.l0, r56.l0, r78.l0), join(r12.l1, r34.l1, r56.l1, r78.l1),
                             join(r12.l2, r34.l2, r56.l2, r78.l2), join(r12.l3, r34.l3, r56.l3, r78.l3),
                             join(r12.l4, r34.l4, r56.l4, r78.l4))
    }

    /// Absorbs `groups · V.scalarCount` full blocks, V.scalarCount at a time (see the top of
    /// this file), leaving the same accumulator as the scalar `processBlocks` would.
    mutating func processBlocksInParallel<V: Poly1305Lanes>(_: V.Type, _ source: UnsafeRawPointer, groups: Int) {
        guard groups > 0 else { return }
        let lanes = V.scalarCount
        let powers = Self.powers(of: r0, r1)
        // Every lane multiplies by r^L between blocks, and lane j by r^(L-j) after its last.
        var step = Poly1305Limbs<V>(.zero, .zero, .zero, .zero, .zero)
        var last = step
        for j in 0..<lanes {
            step.l0[j] = powers.l0[lanes - 1]; last.l0[j] = powers.l0[lanes - 1 - j]
            step.l1[j] = powers.l1[lanes - 1]; last.l1[j] = powers.l1[lanes - 1 - j]
            step.l2[j] = powers.l2[lanes - 1]; last.l2[j] = powers.l2[lanes - 1 - j]
            step.l3[j] = powers.l3[lanes - 1]; last.l3[j] = powers.l3[lanes - 1 - j]
            step.l4[j] = powers.l4[lanes - 1]; last.l4[j] = powers.l4[lanes - 1 - j]
        }
        let step5 = step.timesFive, last5 = last.timesFive

        // The accumulator so far enters lane 0, to be multiplied by r^n with the first block.
        var lo = V.zero, hi = V.zero, top = V.zero
        lo[0] = h0; hi[0] = h1; top[0] = h2
        var accumulator = Poly1305Limbs<V>(lo: lo, hi: hi, top: top)
        let highBit = V(repeating: 1)
        var p = source
        for _ in 1..<groups {
            let (low, high) = V.loadBlocks(p)
            accumulator = (accumulator + Poly1305Limbs(lo: low, hi: high, top: highBit))
                .multiplied(by: step, timesFive: step5)
            p += 16 * lanes
        }
        let (low, high) = V.loadBlocks(p)
        accumulator = (accumulator + Poly1305Limbs(lo: low, hi: high, top: highBit))
            .multiplied(by: last, timesFive: last5)

        // Sum the lanes (limbs below 2^27 each, so the sums cannot overflow), carry with the
        // wrap-around, then once more without it so that l0 ... l3 are exactly 26 bits and the
        // radix-2^64 words can be assembled with shifts; l4 may reach 2^26, leaving h2 ≤ 4,
        // which is what the scalar loop expects.
        var sum = Poly1305Limbs<SIMD2<UInt64>>(.zero, .zero, .zero, .zero, .zero)
        sum.l0[0] = accumulator.l0.wrappedSum(); sum.l1[0] = accumulator.l1.wrappedSum()
        sum.l2[0] = accumulator.l2.wrappedSum(); sum.l3[0] = accumulator.l3.wrappedSum()
        sum.l4[0] = accumulator.l4.wrappedSum()
        sum = sum.carried()
        let m: UInt64 = (1 << 26) - 1
        var (l0, l1, l2, l3, l4) = (sum.l0[0], sum.l1[0], sum.l2[0], sum.l3[0], sum.l4[0])
        l2 &+= l1 >> 26; l1 &= m
        l3 &+= l2 >> 26; l2 &= m
        l4 &+= l3 >> 26; l3 &= m
        h0 = l0 | l1 << 26 | l2 << 52
        h1 = l2 >> 12 | l3 << 14 | l4 << 40
        h2 = l4 >> 24
    }
}
