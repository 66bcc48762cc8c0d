/// An element of GF(p), p = 2^255 - 19, the field Curve25519 is defined over (RFC 7748 §4.1).
///
/// Radix 2^51: the value is `l0 + l1·2^51 + l2·2^102 + l3·2^153 + l4·2^204`, five 64-bit limbs.
/// Each limb has 13 bits of headroom, so a few additions can pile up before a carry is needed,
/// and a product of two limbs (even one multiplied by 19) fits comfortably in 128 bits.
/// Limbs are kept "loosely reduced" (below about 2^54) between operations; only
/// `encoded()` produces the unique canonical value below p.
///
/// Every operation runs in time independent of the values: no branch or memory index depends on
/// a limb. Five stored properties (no array) keep elements on the stack and in registers.
struct Field25519: Sendable {
    var l0, l1, l2, l3, l4: UInt64

    static let mask51: UInt64 = (1 << 51) - 1

    @inline(__always)
    init(_ l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64, _ l4: UInt64) {
        (self.l0, self.l1, self.l2, self.l3, self.l4) = (l0, l1, l2, l3, l4)
    }

    static let zero = Field25519(0, 0, 0, 0, 0)
    static let one = Field25519(1, 0, 0, 0, 0)

    /// RFC 7748 §5 decodeUCoordinate: 32 little-endian bytes, the most significant bit ignored.
    /// Values from p to 2^255 - 1 (non-canonical encodings) are accepted as they are; the
    /// arithmetic is modulo p, so they behave like their reduced value.
    init(decoding bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "a field element is 32 bytes")
        let w0 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        let w1 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        let w2 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        let w3 = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        let m = Field25519.mask51
        self.init(
            w0 & m,
            (w0 >> 51 | w1 << 13) & m,
            (w1 >> 38 | w2 << 26) & m,
            (w2 >> 25 | w3 << 39) & m,
            (w3 >> 12) & m)  // drops bit 255, as §5 requires
    }

    /// RFC 7748 §5 encodeUCoordinate: the canonical value (fully reduced below p), little endian.
    func encoded() -> [UInt8] {
        var h = self
        h.carry()
        h.carry()
        // Now h < 2^255 + small. h ≥ p exactly when h + 19 ≥ 2^255: compute that carry bit q
        // without branching, then h + 19q, dropping bit 255, is h mod p.
        var q = (h.l0 &+ 19) >> 51
        q = (h.l1 &+ q) >> 51
        q = (h.l2 &+ q) >> 51
        q = (h.l3 &+ q) >> 51
        q = (h.l4 &+ q) >> 51
        h.l0 &+= 19 &* q
        let m = Field25519.mask51
        h.l1 &+= h.l0 >> 51; h.l0 &= m
        h.l2 &+= h.l1 >> 51; h.l1 &= m
        h.l3 &+= h.l2 >> 51; h.l2 &= m
        h.l4 &+= h.l3 >> 51; h.l3 &= m
        h.l4 &= m

        let words = [
            h.l0 | h.l1 << 51,
            h.l1 >> 13 | h.l2 << 38,
            h.l2 >> 26 | h.l3 << 25,
            h.l3 >> 39 | h.l4 << 12,
        ]
        var out = [UInt8](repeating: 0, count: 32)
        out.withUnsafeMutableBytes { raw in
            for (i, w) in words.enumerated() {
                raw.storeBytes(of: w.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
            }
        }
        return out
    }

    /// Moves each limb's overflow above 51 bits into the next limb; the overflow of the top
    /// limb wraps to the bottom multiplied by 19, because 2^255 ≡ 19 (mod p).
    @inline(__always)
    mutating func carry() {
        let m = Field25519.mask51
        l1 &+= l0 >> 51; l0 &= m
        l2 &+= l1 >> 51; l1 &= m
        l3 &+= l2 >> 51; l2 &= m
        l4 &+= l3 >> 51; l3 &= m
        l0 &+= 19 &* (l4 >> 51); l4 &= m
    }

    @inline(__always)
    static func + (a: Field25519, b: Field25519) -> Field25519 {
        Field25519(a.l0 &+ b.l0, a.l1 &+ b.l1, a.l2 &+ b.l2, a.l3 &+ b.l3, a.l4 &+ b.l4)
    }

    /// a - b computed as a + 4p - b so no limb goes negative; b's limbs must be below 2^53
    /// (true for every result of `*`, `squared()` and `+` of two such results).
    @inline(__always)
    static func - (a: Field25519, b: Field25519) -> Field25519 {
        // 4p in radix 2^51: 4·(2^51 - 19) for the bottom limb, 4·(2^51 - 1) for the others.
        let fourP0: UInt64 = 0x1F_FFFF_FFFF_FFB4
        let fourP: UInt64 = 0x1F_FFFF_FFFF_FFFC
        var r = Field25519(
            a.l0 &+ fourP0 &- b.l0, a.l1 &+ fourP &- b.l1, a.l2 &+ fourP &- b.l2,
            a.l3 &+ fourP &- b.l3, a.l4 &+ fourP &- b.l4)
        r.carry()
        return r
    }

    /// Schoolbook 5×5 limb product with the reduction folded in: a limb product that lands at
    /// 2^255 or above is multiplied by 19 and added 2^255 lower.
    @inline(__always)
    static func * (a: Field25519, b: Field25519) -> Field25519 {
        let b1_19 = 19 &* b.l1, b2_19 = 19 &* b.l2, b3_19 = 19 &* b.l3, b4_19 = 19 &* b.l4
        let r0 = wide(a.l0, b.l0) &+ wide(a.l1, b4_19) &+ wide(a.l2, b3_19) &+ wide(a.l3, b2_19) &+ wide(a.l4, b1_19)
        let r1 = wide(a.l0, b.l1) &+ wide(a.l1, b.l0) &+ wide(a.l2, b4_19) &+ wide(a.l3, b3_19) &+ wide(a.l4, b2_19)
        let r2 = wide(a.l0, b.l2) &+ wide(a.l1, b.l1) &+ wide(a.l2, b.l0) &+ wide(a.l3, b4_19) &+ wide(a.l4, b3_19)
        let r3 = wide(a.l0, b.l3) &+ wide(a.l1, b.l2) &+ wide(a.l2, b.l1) &+ wide(a.l3, b.l0) &+ wide(a.l4, b4_19)
        let r4 = wide(a.l0, b.l4) &+ wide(a.l1, b.l3) &+ wide(a.l2, b.l2) &+ wide(a.l3, b.l1) &+ wide(a.l4, b.l0)
        return reduce(r0, r1, r2, r3, r4)
    }

    /// Same as `self * self`, sharing the symmetric products (15 multiplications instead of 25).
    @inline(__always)
    func squared() -> Field25519 {
        let d0 = 2 &* l0, d1 = 2 &* l1
        let l2_38 = 38 &* l2, l3_38 = 38 &* l3, l3_19 = 19 &* l3, l4_19 = 19 &* l4
        let r0 = wide(l0, l0) &+ wide(l1, 2 &* l4_19) &+ wide(l2_38, l3)
        let r1 = wide(d0, l1) &+ wide(l2_38, l4) &+ wide(l3, l3_19)
        let r2 = wide(d0, l2) &+ wide(l1, l1) &+ wide(l3_38, l4)
        let r3 = wide(d0, l3) &+ wide(d1, l2) &+ wide(l4, l4_19)
        let r4 = wide(d0, l4) &+ wide(d1, l3) &+ wide(l2, l2)
        return Field25519.reduce(r0, r1, r2, r3, r4)
    }

    /// `self` squared n times in a row (n ≥ 1), for the inversion's addition chain.
    @inline(__always)
    func squared(times n: Int) -> Field25519 {
        var r = squared()
        for _ in 1..<n { r = r.squared() }
        return r
    }

    /// Multiplication by a small constant (below 2^20), e.g. a24 = 121665 in the ladder.
    @inline(__always)
    func multiplied(bySmall k: UInt64) -> Field25519 {
        Field25519.reduce(wide(l0, k), wide(l1, k), wide(l2, k), wide(l3, k), wide(l4, k))
    }

    /// Carries five 128-bit column sums back into 51-bit limbs (the bottom one may exceed
    /// 2^51 by a few units). Callers keep input limbs below 2^53.
    @inline(__always)
    static func reduce(_ r0: UInt128, _ r1: UInt128, _ r2: UInt128, _ r3: UInt128, _ r4: UInt128) -> Field25519 {
        let m = mask51
        var c: UInt64
        let t0 = UInt64(truncatingIfNeeded: r0) & m
        let s1 = r1 &+ (r0 >> 51)
        let t1 = UInt64(truncatingIfNeeded: s1) & m
        let s2 = r2 &+ (s1 >> 51)
        let t2 = UInt64(truncatingIfNeeded: s2) & m
        let s3 = r3 &+ (s2 >> 51)
        let t3 = UInt64(truncatingIfNeeded: s3) & m
        let s4 = r4 &+ (s3 >> 51)
        let t4 = UInt64(truncatingIfNeeded: s4) & m
        // With input limbs below 2^53 the top column stays below 2^109, so the carry out of
        // it (times 19) still fits in 64 bits.
        c = UInt64(truncatingIfNeeded: s4 >> 51)
        var out = Field25519(t0 &+ 19 &* c, t1, t2, t3, t4)
        c = out.l0 >> 51
        out.l0 &= m
        out.l1 &+= c
        return out
    }

    /// a⁻¹ = a^(p-2) by Fermat's little theorem, with the fixed addition chain for
    /// p - 2 = 2^255 - 21 (254 squarings, 11 multiplications) used since the original Curve25519
    /// code. A fixed chain takes the same time for every input; 0 maps to 0.
    func inverted() -> Field25519 {
        let z2 = squared()                                 // 2
        let z9 = z2.squared(times: 2) * self               // 9
        let z11 = z9 * z2                                  // 11
        let z2_5_0 = z11.squared() * z9                    // 2^5 - 1
        let z2_10_0 = z2_5_0.squared(times: 5) * z2_5_0    // 2^10 - 1
        let z2_20_0 = z2_10_0.squared(times: 10) * z2_10_0 // 2^20 - 1
        let z2_40_0 = z2_20_0.squared(times: 20) * z2_20_0 // 2^40 - 1
        let z2_50_0 = z2_40_0.squared(times: 10) * z2_10_0 // 2^50 - 1
        let z2_100_0 = z2_50_0.squared(times: 50) * z2_50_0
        let z2_200_0 = z2_100_0.squared(times: 100) * z2_100_0
        let z2_250_0 = z2_200_0.squared(times: 50) * z2_50_0
        return z2_250_0.squared(times: 5) * z11            // 2^255 - 32 + 11 = p - 2
    }

    /// Exchanges a and b when `swap` is 1 and leaves them when it is 0, with the same
    /// instructions either way (RFC 7748 §5 cswap: "must be implemented in constant time").
    @inline(__always)
    static func conditionalSwap(_ a: inout Field25519, _ b: inout Field25519, _ swap: UInt64) {
        let mask = 0 &- swap  // all ones or all zeros
        var t = mask & (a.l0 ^ b.l0); a.l0 ^= t; b.l0 ^= t
        t = mask & (a.l1 ^ b.l1); a.l1 ^= t; b.l1 ^= t
        t = mask & (a.l2 ^ b.l2); a.l2 ^= t; b.l2 ^= t
        t = mask & (a.l3 ^ b.l3); a.l3 ^= t; b.l3 ^= t
        t = mask & (a.l4 ^ b.l4); a.l4 ^= t; b.l4 ^= t
    }
}

/// The full 128-bit product of two 64-bit limbs (a single MUL instruction on 64-bit CPUs).
@inline(__always)
private func wide(_ a: UInt64, _ b: UInt64) -> UInt128 {
    UInt128(a) &* UInt128(b)
}
