import TLSCrypto

// The field trees (`TraceField`) of messages and extensions, recorded by the writer that
// encodes them.
//
// The trees keep one promise a printer and a test can rely on: reading every node's `bytes` in
// depth-first order (a node before its children) gives back the exact encoding. So a leaf holds
// its whole field, length prefix included, and a vector with children holds only its length
// prefix, its children the rest. The writer keeps the promise by construction: each `field:`
// form writes its bytes and records the node that holds exactly those bytes.
//
// Every form takes the field's value in words as an autoclosure: a writer that is not
// recording never evaluates it, so encoding for the wire builds no strings.

extension ByteWriter {
    /// The field tree `encode` records. Values decoded from the wire always re-encode; a
    /// constructed value that does not (a vector overflowing its length) has no encoding to
    /// describe, so its tree ends with a node naming the error after the fields that were written.
    static func recordedFields(_ encode: (inout ByteWriter) throws -> Void) -> [TraceField] {
        var w = ByteWriter.recordingFields()
        do {
            try encode(&w)
        } catch {
            return w.fields + [TraceField("unencodable", "\(error)")]
        }
        return w.fields
    }

    /// A uint8 field: `value` in words, the byte itself as its bytes.
    public mutating func u8(_ v: UInt8, field name: String, _ value: @autoclosure () -> String) {
        let start = bytes.count
        u8(v)
        recordLeaf(name, value, from: start)
    }

    /// A uint16 field (a code point such as a CipherSuite, or a number).
    public mutating func u16(_ v: UInt16, field name: String, _ value: @autoclosure () -> String) {
        let start = bytes.count
        u16(v)
        recordLeaf(name, value, from: start)
    }

    /// A uint32 field.
    public mutating func u32(_ v: UInt32, field name: String, _ value: @autoclosure () -> String) {
        let start = bytes.count
        u32(v)
        recordLeaf(name, value, from: start)
    }

    /// A fixed-length field with no length prefix (`opaque Random[32]`, `verify_data`).
    public mutating func bytes(_ b: [UInt8], field name: String, _ value: @autoclosure () -> String) {
        let start = bytes.count
        bytes(b)
        recordLeaf(name, value, from: start)
    }

    /// An `opaque name<..>` vector, recorded as one leaf holding the length prefix and the
    /// content; `value` defaults to the content as hex (or its size, when long).
    public mutating func opaque(_ width: LengthWidth, _ content: [UInt8], field name: String,
                                _ value: @autoclosure () -> String? = nil) throws {
        let start = bytes.count
        try lengthPrefixed(width) { $0.bytes(content) }
        recordLeaf(name, { value() ?? TraceText.opaque(content) }, from: start)
    }

    /// A vector of structures (`CipherSuite cipher_suites<2..2^16-2>`): a node holding the
    /// length prefix, whose children are the fields `body` records.
    public mutating func vector(_ width: LengthWidth, field name: String, _ value: @autoclosure () -> String,
                                _ body: (inout ByteWriter) throws -> Void) throws {
        guard isRecording else { return try lengthPrefixed(width, body) }
        let start = bytes.count
        let children = try recordingChildren { try $0.lengthPrefixed(width, body) }
        fields.append(TraceField(name, value(), bytes: Array(bytes[start..<start + width.byteCount]), children: children))
    }

    /// A length field followed by what it counts, as in `Handshake`'s `uint24 length` and body:
    /// a leaf holding the length, described by `value(length)`, then the fields `body` records.
    public mutating func lengthPrefixed(_ width: LengthWidth, field name: String, _ value: (_ length: Int) -> String,
                                        _ body: (inout ByteWriter) throws -> Void) throws {
        guard isRecording else { return try lengthPrefixed(width, body) }
        let start = bytes.count
        let following = try recordingChildren { try $0.lengthPrefixed(width, body) }
        let prefix = Array(bytes[start..<start + width.byteCount])
        fields.append(TraceField(name, value(bytes.count - start - width.byteCount), bytes: prefix))
        fields.append(contentsOf: following)
    }

    /// A structure inside a vector (a `KeyShareEntry`, an `Extension`): a node without bytes of
    /// its own, whose children are the fields `body` records.
    public mutating func group(field name: String, _ value: @autoclosure () -> String,
                               _ body: (inout ByteWriter) throws -> Void) rethrows {
        guard isRecording else { return try body(&self) }
        let children = try recordingChildren(body)
        fields.append(TraceField(name, value(), children: children))
    }

    /// Appends what another writer wrote, and the fields it recorded: a subtree recorded apart,
    /// e.g. to check it before it is used (`Extension`'s decoded extension_data).
    public mutating func append(_ other: ByteWriter) {
        bytes(other.bytes)
        if isRecording { fields += other.fields }
    }

    private mutating func recordLeaf(_ name: String, _ value: () -> String, from start: Int) {
        guard isRecording else { return }
        fields.append(TraceField(name, value(), bytes: Array(bytes[start...])))
    }

    /// Runs `body` and returns the fields it recorded, which are not left in `fields`. A body
    /// that throws leaves nothing recorded, as an overflowing vector leaves no bytes.
    private mutating func recordingChildren(_ body: (inout ByteWriter) throws -> Void) rethrows -> [TraceField] {
        var outer: [TraceField] = []
        swap(&outer, &fields)
        defer { swap(&outer, &fields) }
        try body(&self)
        return fields
    }
}

extension TraceField {
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
}
