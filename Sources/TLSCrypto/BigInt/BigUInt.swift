/// An arbitrary-precision unsigned integer: what RSA (RFC 8017) needs and no more.
///
/// Limbs are `UInt64`, least significant first, with no zero limbs at the top (zero is `[]`),
/// so two equal numbers have equal limb arrays. These routines are for key loading and the
/// odd step of CRT recombination; the heavy arithmetic (modular exponentiation) lives in
/// `Montgomery`, which works on fixed-size limb buffers instead.
public struct BigUInt: Hashable, Sendable, Comparable, CustomStringConvertible {
    public private(set) var limbs: [UInt64]

    public init() { limbs = [] }

    public init(_ value: UInt64) { limbs = value == 0 ? [] : [value] }

    /// Takes limbs least significant first; zero limbs at the top are dropped.
    public init(limbs: [UInt64]) {
        self.limbs = limbs
        normalize()
    }

    /// RFC 8017 §4.2 OS2IP: a big-endian octet string as a number (leading zero bytes allowed).
    public init<Bytes: Collection>(bigEndianBytes bytes: Bytes) where Bytes.Element == UInt8 {
        var limbs = [UInt64](repeating: 0, count: (bytes.count + 7) / 8)
        for (position, byte) in bytes.reversed().enumerated() {
            limbs[position / 8] |= UInt64(byte) << (8 * UInt64(position % 8))
        }
        self.init(limbs: limbs)
    }

    /// RFC 8017 §4.1 I2OSP: the number as exactly `count` big-endian bytes.
    /// Throws when it does not fit ("integer too large").
    public func bigEndianBytes(count: Int) throws -> [UInt8] {
        guard byteCount <= count else {
            throw CryptoError(.invalidParameter, "a \(bitCount)-bit integer does not fit in \(count) bytes")
        }
        var out = [UInt8](repeating: 0, count: count)
        for position in 0..<byteCount {
            out[count - 1 - position] = UInt8(truncatingIfNeeded: limbs[position / 8] >> (8 * UInt64(position % 8)))
        }
        return out
    }

    /// The minimal big-endian encoding (empty for zero).
    public var bigEndianBytes: [UInt8] {
        // A number always fits its own byte count.
        (try? bigEndianBytes(count: byteCount)) ?? []
    }

    public var isZero: Bool { limbs.isEmpty }

    public var isOdd: Bool { (limbs.first ?? 0) & 1 == 1 }

    public var bitCount: Int {
        guard let top = limbs.last else { return 0 }
        return limbs.count * 64 - top.leadingZeroBitCount
    }

    public var byteCount: Int { (bitCount + 7) / 8 }

    /// Bit `index` (0 = least significant).
    public func bit(_ index: Int) -> Bool {
        let limb = index / 64
        guard limb < limbs.count else { return false }
        return (limbs[limb] >> UInt64(index % 64)) & 1 == 1
    }

    /// The limbs padded with zeros to exactly `count` (which must hold the number).
    func limbs(paddedTo count: Int) -> [UInt64] {
        precondition(limbs.count <= count, "BigUInt does not fit the requested limb count")
        return limbs + [UInt64](repeating: 0, count: count - limbs.count)
    }

    public var description: String { isZero ? "0x0" : "0x" + bigEndianBytes.hexString }

    private mutating func normalize() {
        while let top = limbs.last, top == 0 { limbs.removeLast() }
    }

    public static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for i in stride(from: lhs.limbs.count - 1, through: 0, by: -1) where lhs.limbs[i] != rhs.limbs[i] {
            return lhs.limbs[i] < rhs.limbs[i]
        }
        return false
    }

    public static func + (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        let count = max(lhs.limbs.count, rhs.limbs.count)
        var out = [UInt64](repeating: 0, count: count + 1)
        var carry: UInt64 = 0
        for i in 0..<count {
            let a = i < lhs.limbs.count ? lhs.limbs[i] : 0
            let b = i < rhs.limbs.count ? rhs.limbs[i] : 0
            let (s1, o1) = a.addingReportingOverflow(b)
            let (s2, o2) = s1.addingReportingOverflow(carry)
            out[i] = s2
            carry = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        out[count] = carry
        return BigUInt(limbs: out)
    }

    /// `lhs - rhs`; the caller guarantees `lhs >= rhs` (a precondition: numbers from outside
    /// are compared before they are subtracted).
    public static func - (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        precondition(lhs >= rhs, "BigUInt subtraction would go negative")
        var out = lhs.limbs
        var borrow: UInt64 = 0
        for i in 0..<out.count {
            let b = i < rhs.limbs.count ? rhs.limbs[i] : 0
            let (d1, o1) = out[i].subtractingReportingOverflow(b)
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            out[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
        return BigUInt(limbs: out)
    }

    /// Schoolbook multiplication.
    public static func * (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        if lhs.isZero || rhs.isZero { return BigUInt() }
        var out = [UInt64](repeating: 0, count: lhs.limbs.count + rhs.limbs.count)
        for i in 0..<lhs.limbs.count {
            var carry: UInt64 = 0
            let a = lhs.limbs[i]
            for j in 0..<rhs.limbs.count {
                let (high, low) = a.multipliedFullWidth(by: rhs.limbs[j])
                let (s1, o1) = low.addingReportingOverflow(out[i + j])
                let (s2, o2) = s1.addingReportingOverflow(carry)
                out[i + j] = s2
                carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
            }
            out[i + rhs.limbs.count] = carry
        }
        return BigUInt(limbs: out)
    }

    /// `self mod modulus`, by binary long division: one shift and at most one subtraction per
    /// bit of `self`. Used on key loading and CRT recombination, never in an inner loop.
    public func remainder(dividingBy modulus: BigUInt) -> BigUInt {
        precondition(!modulus.isZero, "division by zero")
        if self < modulus { return self }
        let width = modulus.limbs.count + 1
        var remainder = [UInt64](repeating: 0, count: width)
        let divisor = modulus.limbs(paddedTo: width)
        for index in stride(from: bitCount - 1, through: 0, by: -1) {
            // remainder = 2 * remainder + bit; it stays below 2 * modulus, so `width` limbs hold it.
            var carry: UInt64 = bit(index) ? 1 : 0
            for i in 0..<width {
                let next = remainder[i] >> 63
                remainder[i] = remainder[i] << 1 | carry
                carry = next
            }
            if !Self.isLess(remainder, divisor) {
                Self.subtract(&remainder, divisor)
            }
        }
        return BigUInt(limbs: remainder)
    }

    private static func isLess(_ a: [UInt64], _ b: [UInt64]) -> Bool {
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i]
        }
        return false
    }

    private static func subtract(_ a: inout [UInt64], _ b: [UInt64]) {
        var borrow: UInt64 = 0
        for i in 0..<a.count {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow)
            a[i] = d2
            borrow = (o1 ? 1 : 0) + (o2 ? 1 : 0)
        }
    }
}
