/// RFC 8446 §4.2
///
///     struct {
///         ExtensionType extension_type;
///         opaque extension_data<0..2^16-1>;
///     } Extension;
///
/// The raw carrier: every extension of a message is kept as its type and its undecoded data, in
/// the order received, so that unknown extensions round-trip byte for byte. The typed views
/// (`KeyShareClientHello`, `SupportedVersionsClientHello`, ...) decode `data` on demand:
/// `try clientHello.extensions.decode(.keyShare, as: KeyShareClientHello.self)`.
public struct Extension: Hashable, Sendable {
    public var type: ExtensionType
    public var data: [UInt8]

    public init(type: ExtensionType, data: [UInt8]) {
        self.type = type
        self.data = data
    }

    /// An extension whose data is the encoding of a typed body.
    public init(_ type: ExtensionType, _ body: some ExtensionBody) throws {
        var w = ByteWriter()
        try body.encode(into: &w)
        self.init(type: type, data: w.bytes)
    }

    public func encode(into w: inout ByteWriter) throws { try encode(into: &w, in: nil) }

    /// A recording writer shows `extension_data` decoded as far as this library understands it
    /// in `context`'s message; the bytes written are `data` either way.
    func encode(into w: inout ByteWriter, in context: ExtensionContext?) throws {
        try w.group(field: "extension", type.description) { w in
            w.u16(type.rawValue, field: "extension_type", type.description)
            guard w.isRecording, let context, let bodyType = context.bodyType(of: type) else {
                return try w.opaque(.u16, data, field: "extension_data")
            }
            let body: any ExtensionBody
            do {
                body = try decode(as: bodyType)
            } catch {
                return try w.opaque(.u16, data, field: "extension_data", "malformed (\(error)): " + TraceText.opaque(data))
            }
            // The body's fields stand for the data only if they are exactly its bytes; every
            // body this library decodes re-encodes to them (the fuzz targets check it).
            var recorded = ByteWriter.recordingFields()
            guard (try? body.encode(into: &recorded)) != nil, recorded.bytes == data, !recorded.fields.isEmpty else {
                return try w.opaque(.u16, data, field: "extension_data")
            }
            try w.vector(.u16, field: "extension_data", TraceText.count(data.count, "byte")) { $0.append(recorded) }
        }
    }

    public init(decoding r: inout ByteReader) throws {
        let type = ExtensionType(rawValue: try r.u16("extension_type"))
        let data = try r.vector(.u16, "\(type.name ?? "extension") extension_data")
        self.init(type: type, data: data)
    }

    /// Decodes `data` as `Body`, insisting the body uses all of it (decode_error otherwise).
    public func decode<Body: ExtensionBody>(as: Body.Type) throws -> Body {
        var r = ByteReader(data)
        let body = try Body(decoding: &r)
        try r.expectEnd("\(type.name ?? "extension") extension_data")
        return body
    }
}

/// The decoded `extension_data` of one kind of extension, in one kind of message. `encode`
/// names its fields as it writes them, so a recording writer gets the body's field tree.
public protocol ExtensionBody: Sendable {
    init(decoding r: inout ByteReader) throws
    func encode(into w: inout ByteWriter) throws
}

extension ExtensionBody {
    /// The fields of `extension_data`, for a learner; see `TraceField`.
    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}

/// RFC 8446 §4.2.1, §4.2.10, RFC 6066 §3: `struct {} Empty;` the data of an extension whose
/// presence is the whole message (early_data in ClientHello and EncryptedExtensions,
/// server_name in the server's EncryptedExtensions, post_handshake_auth).
public struct EmptyExtensionData: ExtensionBody, Hashable {
    public init() {}
    public init(decoding r: inout ByteReader) throws {}
    public func encode(into w: inout ByteWriter) {}
}

extension Extension {
    /// Reads `Extension extensions<range>` (a uint16-prefixed list) and enforces RFC 8446 §4.2:
    /// "There MUST NOT be more than one extension of the same type in a given extension block"
    /// (illegal_parameter). The data of every extension this library understands in `context`
    /// is decoded once here, so a malformed one is a decode_error at message parse time.
    static func decodeList(_ r: inout ByteReader, in context: ExtensionContext,
                           within range: ClosedRange<Int>) throws -> [Extension] {
        let list = try r.lengthPrefixed(.u16, "\(context.messageName) extensions", within: range) { r in
            var list: [Extension] = []
            while !r.isAtEnd { list.append(try Extension(decoding: &r)) }
            return list
        }
        var seen: Set<ExtensionType> = []
        for ext in list {
            guard seen.insert(ext.type).inserted else {
                throw TLSError(.illegalParameter, "\(context.messageName) contains \(ext.type) more than once")
            }
            if let bodyType = context.bodyType(of: ext.type) {
                _ = try ext.decode(as: bodyType)
            }
        }
        return list
    }

    /// The length of `list` encoded as an extensions block, without its uint16 prefix: what
    /// must fit in 2^16-1 for the list to be sent.
    static func encodedLength(of list: [Extension]) -> Int {
        list.reduce(0) { $0 + 4 + $1.data.count }
    }

    /// Writes `Extension extensions<..>` of `context`'s message: in a field tree, one child per
    /// extension, each with its `extension_type` and its `extension_data`.
    static func encodeList(_ list: [Extension], in context: ExtensionContext, into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "extensions", TraceText.count(list.count, "extension")) { w in
            for ext in list { try ext.encode(into: &w, in: context) }
        }
    }
}

extension Array where Element == Extension {
    /// The extension of `type`, if present (lists are duplicate-free once decoded).
    public func first(_ type: ExtensionType) -> Extension? {
        first { $0.type == type }
    }

    /// The extension of `type` decoded as `Body`, or nil when absent.
    public func decode<Body: ExtensionBody>(_ type: ExtensionType, as: Body.Type) throws -> Body? {
        try first(type)?.decode(as: Body.self)
    }

    /// The extension types in this list, e.g. to remember what a ClientHello offered.
    public var types: Set<ExtensionType> { Set(map(\.type)) }
}
