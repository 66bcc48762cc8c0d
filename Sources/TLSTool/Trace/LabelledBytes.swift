/// The presentation model of bytes on the page: a byte string cut into named spans, each with
/// its RFC field name, its value in words and the RFC section that defines it. One place
/// (`RecordSpans`) decides what each byte of a record is called; renderers (the terminal's
/// `StandardTraceLayout`, later an HTML page) only lay the spans out.
public struct LabelledSpan: Hashable, Sendable {
    /// A stable key for the field ("record.legacy_record_version"): explanations and
    /// translations are looked up by it.
    public var id: String
    /// The RFC's name for the field: "legacy_record_version".
    public var name: String
    /// Where the field lies in the labelled bytes.
    public var range: Range<Int>
    /// The value in words: "TLS 1.0 (0x0301)".
    public var value: String
    /// "RFC 8446 §5.1".
    public var section: String

    public init(id: String, name: String, range: Range<Int>, value: String, section: String) {
        self.id = id
        self.name = name
        self.range = range
        self.value = value
        self.section = section
    }
}

/// Bytes and the spans that label them. Well formed when the spans, in order, cover every byte
/// exactly once (`coversEveryByteOnce`).
public struct LabelledBytes: Hashable, Sendable {
    public var bytes: [UInt8]
    public var spans: [LabelledSpan]

    public init(bytes: [UInt8], spans: [LabelledSpan]) {
        self.bytes = bytes
        self.spans = spans
    }

    /// The spans in order, with no gap and no overlap, from the first byte to the last.
    public var coversEveryByteOnce: Bool {
        var next = 0
        for span in spans {
            guard span.range.lowerBound == next else { return false }
            next = span.range.upperBound
        }
        return next == bytes.count
    }

    public func bytes(of span: LabelledSpan) -> ArraySlice<UInt8> { bytes[span.range] }
}

/// Builds spans front to back, so each starts where the one before ended.
struct SpanBuilder {
    private(set) var spans: [LabelledSpan] = []
    private(set) var offset = 0
    let prefix: String

    init(prefix: String) { self.prefix = prefix }

    mutating func add(_ name: String, count: Int, value: String, section: String) {
        guard count > 0 else { return }
        spans.append(LabelledSpan(id: "\(prefix).\(name)", name: name, range: offset..<(offset + count),
                                  value: value, section: section))
        offset += count
    }
}
