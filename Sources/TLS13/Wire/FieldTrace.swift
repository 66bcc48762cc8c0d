import TLSCrypto

// Building blocks for the field trees (`TraceField`) of messages and extensions.
//
// The trees keep one promise a printer and a test can rely on: reading every node's `bytes` in
// depth-first order (a node before its children) gives back the exact encoding. So a leaf holds
// its whole field, length prefix included, and a vector with children holds only its length
// prefix, its children the rest.

extension TraceField {
    /// A fixed-width integer field: `value` in words, `bytes` its big-endian encoding.
    static func uint(_ name: String, _ value: String, _ v: UInt64, width: Int) -> TraceField {
        TraceField(name, value, bytes: TraceText.bigEndian(v, width: width))
    }

    /// An `opaque name<..>` vector shown as one leaf: the length prefix and the content.
    static func opaque(_ name: String, _ content: [UInt8], prefix width: LengthWidth,
                       value: String? = nil) -> TraceField {
        TraceField(name, value ?? TraceText.opaque(content), bytes: TraceText.lengthPrefix(width, content.count) + content)
    }

    /// A vector of structures: the node carries the length prefix, the children the elements.
    static func vector(_ name: String, _ value: String, prefix width: LengthWidth,
                       children: [TraceField]) -> TraceField {
        let length = children.reduce(0) { $0 + $1.encodedCount }
        return TraceField(name, value, bytes: TraceText.lengthPrefix(width, length), children: children)
    }

    /// How many wire bytes this node and its children stand for.
    var encodedCount: Int { bytes.count + children.reduce(0) { $0 + $1.encodedCount } }

    /// This node's bytes followed by its children's, depth-first: the field's exact encoding.
    public var encodedBytes: [UInt8] { bytes + children.flatMap(\.encodedBytes) }
}

/// How field values are put in words.
enum TraceText {
    /// Opaque content: short values as hex, long ones by size.
    static func opaque(_ content: [UInt8]) -> String {
        if content.isEmpty { return "(empty)" }
        if content.count <= 64 { return content.hexString }
        return "\(content.count) bytes"
    }

    /// "1 suite", "3 suites".
    static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    static func bigEndian(_ v: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64(width - 1 - $0))) }
    }

    static func lengthPrefix(_ width: LengthWidth, _ count: Int) -> [UInt8] {
        TraceText.bigEndian(UInt64(count), width: width.byteCount)
    }
}
