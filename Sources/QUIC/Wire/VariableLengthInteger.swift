import TLS13

/// RFC 9000 §16 Variable-Length Integer Encoding: the two most significant bits of the first
/// byte give the length (00: 1 byte, 01: 2, 10: 4, 11: 8), the remaining bits the value, big
/// endian. So 6, 14, 30 or 62 bits of value.
///
///     2MSB  Length  Usable Bits  Range
///     00    1       6            0-63
///     01    2       14           0-16383
///     10    4       30           0-1073741823
///     11    8       62           0-4611686018427387903
public enum VariableLengthInteger {
    public static let maximum: UInt64 = (1 << 62) - 1

    /// The shortest encoding's length. `value` must not exceed `maximum`.
    public static func length(of value: UInt64) -> Int {
        switch value {
        case 0..<(1 << 6): 1
        case 0..<(1 << 14): 2
        case 0..<(1 << 30): 4
        default: 8
        }
    }
}

extension ByteWriter {
    /// A variable-length integer in its shortest form, or in `length` bytes (1, 2, 4 or 8) when
    /// the value must keep a fixed width (a Length field written before its packet is complete).
    public mutating func varint(_ value: UInt64, length: Int? = nil) {
        precondition(value <= VariableLengthInteger.maximum, "varint out of range")
        let length = length ?? VariableLengthInteger.length(of: value)
        precondition(VariableLengthInteger.length(of: value) <= length, "varint does not fit in \(length) bytes")
        let prefix: UInt64 = switch length {
        case 1: 0
        case 2: 0b01
        case 4: 0b10
        default: 0b11
        }
        let encoded = value | prefix << (8 * UInt64(length) - 2)
        for i in (0..<length).reversed() { u8(UInt8(truncatingIfNeeded: encoded >> (8 * UInt64(i)))) }
    }

    public mutating func varint(_ value: Int, length: Int? = nil) { varint(UInt64(value), length: length) }
}

extension ByteReader {
    /// RFC 9000 §16. Truncation throws (a decode_error here; the packet and frame parsers turn
    /// it into the QUIC error their context names). Any of the four lengths is accepted for any
    /// value: §16 does not require the shortest encoding.
    public mutating func varint(_ what: @autoclosure () -> String) throws -> UInt64 {
        let first = try u8(what())
        let length = 1 << (first >> 6)
        var value = UInt64(first & 0x3f)
        for byte in try bytes(length - 1, what()) { value = value << 8 | UInt64(byte) }
        return value
    }

    /// A variable-length integer used as a byte count or index: the same, as an Int.
    public mutating func varintCount(_ what: @autoclosure () -> String) throws -> Int {
        Int(try varint(what()))
    }
}

/// The bytes of one variable-length integer, for traces.
public func encodedVarint(_ value: UInt64, length: Int? = nil) -> [UInt8] {
    var w = ByteWriter(reservingCapacity: 8)
    w.varint(value, length: length)
    return w.bytes
}
