/// RFC 8449 §4, the "record_size_limit" extension (in RFC 8448's ClientHello and
/// EncryptedExtensions): the largest record plaintext the sender is willing to receive.
///
///     uint16 RecordSizeLimit;
public struct RecordSizeLimit: ExtensionBody, Hashable {
    public var limit: UInt16

    public init(_ limit: UInt16) { self.limit = limit }

    public init(decoding r: inout ByteReader) throws {
        limit = try r.u16("record_size_limit")
    }

    public func encode(into w: inout ByteWriter) { w.u16(limit, field: "record_size_limit", "\(limit) bytes") }
}
