/// Builds TLS wire bytes (RFC 8446 §3, the presentation language).
///
/// Vectors are written with `lengthPrefixed(.u16) { ... }`: the closure writes the body and the
/// length placeholder in front of it is patched when the closure returns, so the Swift code has
/// the same nesting as the RFC struct it encodes.
///
/// A writer made with `recordingFields()` also records the field tree (`TraceField`) of what
/// is written through the `field:` forms (FieldTrace.swift), so a message describes its layout
/// once, in `encode(into:)`, and its trace cannot drift from its bytes. A plain `ByteWriter()`
/// records nothing: the `field:` forms then only write, and never build the words.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]
    /// The fields recorded so far, in order; always empty unless `isRecording`.
    public internal(set) var fields: [TraceField] = []
    public let isRecording: Bool

    public init(reservingCapacity capacity: Int = 256) {
        self.init(reservingCapacity: capacity, recording: false)
    }

    /// A writer that also records a `TraceField` for every field it is given with a name.
    public static func recordingFields(reservingCapacity capacity: Int = 256) -> ByteWriter {
        ByteWriter(reservingCapacity: capacity, recording: true)
    }

    private init(reservingCapacity capacity: Int, recording: Bool) {
        bytes = []
        bytes.reserveCapacity(capacity)
        isRecording = recording
    }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    public mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
        bytes.append(UInt8(truncatingIfNeeded: v))
    }

    public mutating func u32(_ v: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    public mutating func u64(_ v: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    public mutating func bytes<Bytes: Sequence>(_ b: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: b)
    }

    /// Writes `<width> length || body`, or throws when the body does not fit the length field.
    ///
    /// Encoders re-encode values that came from the peer (a HelloRetryRequest's cookie goes into
    /// the second ClientHello, a stateless server rebuilds its HelloRetryRequest from the
    /// client's cookie), so an overflow is an error to throw, never a trap: peer bytes must not
    /// reach a precondition (issue 11). The handshake checks such values where they arrive, with
    /// the alert the RFC names; this is the last line of defence, an internal_error.
    public mutating func lengthPrefixed(_ width: LengthWidth, _ body: (inout ByteWriter) throws -> Void) throws {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: width.byteCount))
        try body(&self)
        let length = bytes.count - start - width.byteCount
        guard length <= width.maximum else {
            bytes.removeSubrange(start...)
            throw TLSError(.internalError, "vector of \(length) bytes overflows a \(width) length")
        }
        for i in 0..<width.byteCount {
            bytes[start + i] = UInt8(truncatingIfNeeded: length >> (8 * (width.byteCount - 1 - i)))
        }
    }
}

/// The width of a vector's length prefix: `opaque x<0..2^8-1>` has a `.u8` prefix, and so on.
public enum LengthWidth: Int, Sendable, CustomStringConvertible {
    case u8 = 1, u16 = 2, u24 = 3

    public var byteCount: Int { rawValue }
    public var maximum: Int { (1 << (8 * rawValue)) - 1 }
    public var description: String { "uint\(8 * rawValue)" }
}
