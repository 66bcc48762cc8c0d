/// Reads TLS wire bytes from a peer. Every read is bounds-checked and throws
/// `TLSError(.decodeError, ...)` naming what was being read; nothing here can trap on peer data.
///
/// `lengthPrefixed` hands the body of a vector to a closure and insists that the closure consumes
/// it exactly (RFC 8446 §4: a message whose lengths do not add up is a decode_error).
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    private let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.end = bytes.count
    }

    private init(_ bytes: [UInt8], offset: Int, end: Int) {
        self.bytes = bytes
        self.offset = offset
        self.end = end
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset == end }

    /// The bytes not yet read, without consuming them.
    public var rest: ArraySlice<UInt8> { bytes[offset..<end] }

    public mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 {
        try need(1, what())
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 {
        UInt16(try uint(2, what()))
    }

    public mutating func u24(_ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(try uint(3, what()))
    }

    public mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 {
        UInt32(try uint(4, what()))
    }

    public mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 {
        try uint(8, what())
    }

    public mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws -> [UInt8] {
        try need(count, what())
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// `opaque x<min..max>` with a `width` length prefix. The length must lie in `range`
    /// (RFC 8446 §3.4: vectors have a floor and a ceiling; anything outside is a decode_error).
    public mutating func vector(_ width: LengthWidth, _ what: @autoclosure () -> String,
                                within range: ClosedRange<Int>? = nil) throws -> [UInt8] {
        let length = Int(try uint(width.byteCount, what() + " length"))
        if let range, !range.contains(length) {
            throw TLSError(.decodeError, "\(what()) has length \(length), outside \(range.lowerBound)..\(range.upperBound)")
        }
        return try bytes(length, what())
    }

    /// Reads a `width` length, then lets `body` parse exactly that many bytes.
    public mutating func lengthPrefixed<T>(_ width: LengthWidth, _ what: @autoclosure () -> String,
                                           within range: ClosedRange<Int>? = nil,
                                           _ body: (inout ByteReader) throws -> T) throws -> T {
        let name = what()
        let length = Int(try uint(width.byteCount, name + " length"))
        if let range, !range.contains(length) {
            throw TLSError(.decodeError, "\(name) has length \(length), outside \(range.lowerBound)..\(range.upperBound)")
        }
        try need(length, name)
        var inner = ByteReader(bytes, offset: offset, end: offset + length)
        let value = try body(&inner)
        try inner.expectEnd(name)
        offset += length
        return value
    }

    /// Throws decode_error if anything is left: trailing bytes are never silently ignored.
    public func expectEnd(_ what: @autoclosure () -> String) throws {
        if offset != end {
            throw TLSError(.decodeError, "\(remaining) unexpected trailing byte(s) after \(what())")
        }
    }

    private mutating func uint(_ count: Int, _ what: @autoclosure () -> String) throws -> UInt64 {
        try need(count, what())
        var v: UInt64 = 0
        for i in 0..<count { v = v << 8 | UInt64(bytes[offset + i]) }
        offset += count
        return v
    }

    private func need(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw TLSError(.decodeError, "truncated \(what()): need \(count) byte(s), \(remaining) left")
        }
    }
}
