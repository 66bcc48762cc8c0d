/// RFC 8446 §4.3.1: the server's answers that need no key-exchange context, sent encrypted
/// right after the ServerHello.
///
///     struct {
///         Extension extensions<0..2^16-1>;
///     } EncryptedExtensions;
public struct EncryptedExtensions: Hashable, Sendable {
    public var extensions: [Extension]

    public init(extensions: [Extension]) { self.extensions = extensions }

    public init(decoding r: inout ByteReader) throws {
        extensions = try Extension.decodeList(&r, in: .encryptedExtensions, within: 0...0xffff)
    }

    public func encode(into w: inout ByteWriter) throws {
        try Extension.encodeList(extensions, in: .encryptedExtensions, into: &w)
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
