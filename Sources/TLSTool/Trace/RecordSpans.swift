import TLS13

/// What every byte of a record is called (RFC 8446 §5), as labelled spans:
///
/// - the record as on the wire: the 5-byte header (content_type / opaque_type,
///   legacy_record_version, length), then the fragment, or for a protected record
///   encrypted_record followed by the AEAD tag (its last 16 bytes);
/// - for a protected record, the TLSInnerPlaintext its encrypted_record opens to: content,
///   the real content type, and the zero padding;
/// - and the inputs that open it: key, IV, sequence number, nonce, additional data.
public struct RecordSpans: Sendable {
    public var wire: LabelledBytes
    /// TLSInnerPlaintext (content ‖ type ‖ zeros), for a protected record.
    public var innerPlaintext: LabelledBytes?
    /// The AEAD's inputs, for a protected record.
    public var opening: [(label: String, value: OpeningValue)]

    public enum OpeningValue: Sendable {
        case bytes([UInt8])
        case text(String)
    }

    public static let tagLength = 16

    public init(_ record: RecordTrace) {
        let bytes = record.bytes
        let length = bytes.count >= 5 ? Int(bytes[3]) << 8 | Int(bytes[4]) : 0
        var wire = SpanBuilder(prefix: "record")
        let protection = record.protection
        if bytes.count >= 5 {
            let version = ProtocolVersion(rawValue: UInt16(bytes[1]) << 8 | UInt16(bytes[2]))
            wire.add(protection == nil ? "content_type" : "opaque_type", count: 1,
                     value: ContentType(rawValue: bytes[0]).description, section: "RFC 8446 §5.1")
            wire.add("legacy_record_version", count: 2, value: version.description, section: "RFC 8446 §5.1")
            wire.add("length", count: 2, value: bytesText(length), section: "RFC 8446 §5.1")
        } else {
            wire.add("truncated_header", count: bytes.count, value: "\(bytes.count) of 5 header bytes", section: "RFC 8446 §5.1")
        }
        let body = bytes.count - wire.offset
        if let protection, body >= Self.tagLength {
            wire.add("encrypted_record", count: body - Self.tagLength,
                     value: "\(protection.innerContentType.name ?? "?") inside, encrypted", section: "RFC 8446 §5.2")
            wire.add("tag", count: Self.tagLength, value: "AEAD authentication tag", section: "RFC 8446 §5.2")
        } else {
            wire.add("fragment", count: body, value: "\(bytesText(body)) of \(record.contentType.name ?? "?")", section: "RFC 8446 §5.1")
        }
        self.wire = LabelledBytes(bytes: bytes, spans: wire.spans)

        guard let protection else {
            innerPlaintext = nil
            opening = []
            return
        }
        var inner = SpanBuilder(prefix: "inner")
        inner.add("content", count: protection.content.count,
                  value: "\(bytesText(protection.content.count)) of \(protection.innerContentType.name ?? "?")", section: "RFC 8446 §5.2")
        inner.add("type", count: 1, value: protection.innerContentType.description, section: "RFC 8446 §5.2")
        inner.add("zeros", count: protection.paddingLength, value: "\(bytesText(protection.paddingLength)) of padding", section: "RFC 8446 §5.4")
        innerPlaintext = LabelledBytes(bytes: protection.content + [protection.innerContentType.rawValue]
                                       + Array(repeating: 0, count: protection.paddingLength), spans: inner.spans)
        opening = [
            ("key", .bytes(protection.key)),
            ("iv", .bytes(protection.iv)),
            ("sequence number", .text("\(protection.sequenceNumber) (\(protection.epoch) keys)")),
            ("nonce", .bytes(protection.nonce)),
            ("additional data", .bytes(protection.additionalData)),
        ]
    }
}

/// "1 byte", "2 bytes".
func bytesText(_ count: Int) -> String { count == 1 ? "1 byte" : "\(count) bytes" }
