/// A 256-bit unsigned number as four 64-bit limbs, least significant first: the raw material of
/// P-256's field elements and scalars.
///
/// Every operation runs in time independent of the values: carries and borrows are computed as
/// 0 or 1 and folded into the arithmetic, never branched on, and choices are made with masks
/// (all ones or all zeros). Four stored properties (no array) keep numbers in registers.
struct U256: Sendable {
    var w0, w1, w2, w3: UInt64

    @inline(__always)
    init(_ w0: UInt64, _ w1: UInt64, _ w2: UInt64, _ w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    static let zero = U256(0, 0, 0, 0)
    static let one = U256(1, 0, 0, 0)

    /// SEC 1 v2 §2.3.8 (octet string to integer): 32 big-endian bytes.
    init(bigEndian bytes: some Collection<UInt8>) {
        precondition(bytes.count == 32, "a 256-bit number is 32 bytes")
        self.init(0, 0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            let shifted = UInt64(byte) << (8 * UInt64(7 - index % 8))
            switch index / 8 {
            case 0: w3 |= shifted
            case 1: w2 |= shifted
            case 2: w1 |= shifted
            default: w0 |= shifted
            }
        }
    }

    /// SEC 1 v2 §2.3.7 (integer to octet string): 32 big-endian bytes.
    var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for word in [w3, w2, w1, w0] {
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return bytes
    }

    /// Limb `index` (0 is least significant). The index is a public loop position.
    @inline(__always)
    func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: w0
        case 1: w1
        case 2: w2
        default: w3
        }
    }

    /// `self + other` and the carry out (0 or 1).
    @inline(__always)
    func adding(_ other: U256) -> (sum: U256, carry: UInt64) {
        let (s0, c0) = UInt64.add(w0, other.w0, carry: 0)
        let (s1, c1) = UInt64.add(w1, other.w1, carry: c0)
        let (s2, c2) = UInt64.add(w2, other.w2, carry: c1)
        let (s3, c3) = UInt64.add(w3, other.w3, carry: c2)
        return (U256(s0, s1, s2, s3), c3)
    }

    /// `self - other` modulo 2^256 and the borrow out (1 when `other > self`).
    @inline(__always)
    func subtracting(_ other: U256) -> (difference: U256, borrow: UInt64) {
        let (d0, b0) = UInt64.subtract(w0, other.w0, borrow: 0)
        let (d1, b1) = UInt64.subtract(w1, other.w1, borrow: b0)
        let (d2, b2) = UInt64.subtract(w2, other.w2, borrow: b1)
        let (d3, b3) = UInt64.subtract(w3, other.w3, borrow: b2)
        return (U256(d0, d1, d2, d3), b3)
    }

    /// (carry·2^256 + self) mod m, for a 257-bit number below 2m: m is subtracted unless that
    /// would go negative, which happens when the subtraction borrows and there is no carry bit
    /// to absorb the borrow.
    @inline(__always)
    func reduced(belowTwice m: U256, carry: UInt64) -> U256 {
        let (difference, borrow) = subtracting(m)
        let keepSelf = 0 &- (borrow & (carry ^ 1))
        return U256.select(keepSelf, self, otherwise: difference)
    }

    /// Each limb ANDed with `mask`: the number itself for an all-ones mask, zero for zero.
    @inline(__always)
    func masked(_ mask: UInt64) -> U256 {
        U256(w0 & mask, w1 & mask, w2 & mask, w3 & mask)
    }

    /// `ifSet` where `mask` is all ones, `otherwise` where it is zero: the constant-time choice.
    @inline(__always)
    static func select(_ mask: UInt64, _ ifSet: U256, otherwise: U256) -> U256 {
        U256(otherwise.w0 ^ (mask & (otherwise.w0 ^ ifSet.w0)),
             otherwise.w1 ^ (mask & (otherwise.w1 ^ ifSet.w1)),
             otherwise.w2 ^ (mask & (otherwise.w2 ^ ifSet.w2)),
             otherwise.w3 ^ (mask & (otherwise.w3 ^ ifSet.w3)))
    }

    /// All ones when the number is zero, else zero, looking at every limb.
    @inline(__always)
    var isZeroMask: UInt64 {
        UInt64.isZeroMask(w0 | w1 | w2 | w3)
    }

    /// All ones when `self < other`: the borrow of the subtraction, spread to a mask.
    @inline(__always)
    func isLessMask(than other: U256) -> UInt64 {
        0 &- subtracting(other).borrow
    }
}

/// The carry-propagating steps the 4-limb arithmetic is built from. Each reports its carry or
/// borrow as the number 0 or 1, computed as the high half of a 128-bit sum or difference.
///
/// The first version or-ed or added two `addingReportingOverflow` flags (`(c1 ? 1 : 0) |
/// (c2 ? 1 : 0)`), and the compiler turned that into conditional jumps around an `inc`
/// (seen in the disassembly of the field multiplication): branches on the carries of secret
/// values, which the dudect harness (tls13-timing) showed as ECDSA signing 50% slower for a
/// random nonce than for a fixed one. The 128-bit forms compile to add/adc and sub/sbb chains,
/// as in `MontgomeryContext.subtractModulusIfNeeded`.
extension UInt64 {
    /// `a + b + carry` and the carry out.
    @inline(__always)
    static func add(_ a: UInt64, _ b: UInt64, carry: UInt64) -> (UInt64, UInt64) {
        let sum = UInt128(a) &+ UInt128(b) &+ UInt128(carry)
        return (UInt64(truncatingIfNeeded: sum), UInt64(truncatingIfNeeded: sum >> 64))
    }

    /// `a - b - borrow` modulo 2^64 and the borrow out.
    @inline(__always)
    static func subtract(_ a: UInt64, _ b: UInt64, borrow: UInt64) -> (UInt64, UInt64) {
        let difference = UInt128(a) &- UInt128(b) &- UInt128(borrow)
        return (UInt64(truncatingIfNeeded: difference), UInt64(truncatingIfNeeded: difference >> 127))
    }

    /// `a·b + c + carry` as (low word, high word); it always fits in 128 bits.
    @inline(__always)
    static func multiplyAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64, carry: UInt64) -> (low: UInt64, high: UInt64) {
        let sum = UInt128(a) &* UInt128(b) &+ UInt128(c) &+ UInt128(carry)
        return (UInt64(truncatingIfNeeded: sum), UInt64(truncatingIfNeeded: sum >> 64))
    }

    /// All ones when `x` is zero, else zero: bit 63 of `~x & (x - 1)` is set only for zero
    /// (for x ≥ 2^63, ~x clears it; for 0 < x < 2^63, x - 1 does).
    @inline(__always)
    static func isZeroMask(_ x: UInt64) -> UInt64 {
        0 &- ((~x & (x &- 1)) >> 63)
    }

    /// All ones when `a == b`, else zero.
    @inline(__always)
    static func equalMask(_ a: UInt64, _ b: UInt64) -> UInt64 {
        isZeroMask(a ^ b)
    }
}
