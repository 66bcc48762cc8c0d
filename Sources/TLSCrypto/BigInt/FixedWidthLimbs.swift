/// Fixed-width arithmetic on little-endian `UInt64` limb arrays, for the secret values of the RSA
/// private operation outside the Montgomery exponentiation (the CRT recombination).
///
/// `BigUInt` is the wrong tool there: its limb count follows the value, its comparison stops at
/// the first differing limb, and its subtraction needs the caller to branch on which operand is
/// larger. Here every loop runs over the full width of its operands, carries and borrows travel
/// as 0/1 values through add- and subtract-with-carry chains, and the one choice (whether to add
/// the modulus back) is a mask. Time depends on the widths, which are public (the sizes of p, q
/// and n), never on the values. The same techniques as `subtractModulusIfNeeded` in Montgomery.
enum FixedWidthLimbs {
    /// `(a − b) mod n` for `a, b < n`, all three of one width: `a − b` over the full width, then
    /// `n` added back under a mask made from the final borrow (all ones exactly when `a < b`).
    static func subtractModulo(_ a: [UInt64], _ b: [UInt64], _ n: [UInt64]) -> [UInt64] {
        precondition(a.count == n.count && b.count == n.count, "subtractModulo takes operands of one width")
        var out = [UInt64](repeating: 0, count: n.count)
        var borrow: UInt64 = 0
        for i in 0..<n.count {
            let difference = UInt128(a[i]) &- UInt128(b[i]) &- UInt128(borrow)
            out[i] = UInt64(truncatingIfNeeded: difference)
            borrow = UInt64(truncatingIfNeeded: difference >> 127)
        }
        let addBack = 0 &- borrow
        var carry: UInt64 = 0
        for i in 0..<n.count {
            let sum = UInt128(out[i]) + UInt128(n[i] & addBack) + UInt128(carry)
            out[i] = UInt64(truncatingIfNeeded: sum)
            carry = UInt64(truncatingIfNeeded: sum >> 64)
        }
        return out
    }

    /// The full product `a·b`, `a.count + b.count` limbs (schoolbook over every limb pair).
    static func product(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out = [UInt64](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            for j in 0..<b.count {
                let term = multiplyAdd(a[i], b[j], out[i + j], carry)
                out[i + j] = term.low
                carry = term.high
            }
            out[i + b.count] = carry
        }
        return out
    }

    /// `a + b` in `a.count` limbs, for `b` no wider than `a`. The caller guarantees the sum fits
    /// (a carry out of the top limb is a bug, not a value to branch on, so it traps).
    static func sum(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        precondition(b.count <= a.count, "sum takes the wider operand first")
        var out = a
        var carry: UInt64 = 0
        for i in 0..<a.count {
            let sum = UInt128(a[i]) + UInt128(i < b.count ? b[i] : 0) + UInt128(carry)
            out[i] = UInt64(truncatingIfNeeded: sum)
            carry = UInt64(truncatingIfNeeded: sum >> 64)
        }
        precondition(carry == 0, "fixed-width sum overflowed its width")
        return out
    }
}
