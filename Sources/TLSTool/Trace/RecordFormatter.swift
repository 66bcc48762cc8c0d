import TLS13

/// Lays out one record in the terminal from its labelled spans (`RecordSpans`): the hexdump,
/// then every span of the record as a tree (header fields, fragment, or encrypted_record and
/// tag), then for a protected record the inputs that open it and the TLSInnerPlaintext inside.
///
///     record sent: application_data (23), 45 bytes, protected with application keys
///       0000  17 03 03 00 28 25 00 4d  14 65 85 e7 3f b0 85 d6  |....(%.M.e..?...|
///       ├─ opaque_type: application_data (23)                 17
///       ├─ legacy_record_version: TLS 1.2 (0x0303)            03 03
///       ...
struct RecordFormatter {
    var style: TextStyle
    var indent: String
    /// Spans longer than this show only their first bytes (the hexdump above has them all).
    var spanByteLimit = 32
    /// Application-data records longer than this are dumped in part.
    var dumpLimit: Int?
    /// The columns a line may take (hexdump rows and wrapped values adapt to it).
    var width = 80

    func format(_ record: RecordTrace, direction: Direction, explain: (_ key: String) -> String? = { _ in nil }) -> [String] {
        let spans = RecordSpans(record)
        var title = "record \(direction.rawValue): \(record.contentType), \(record.bytes.count) bytes"
        if let protection = record.protection { title += ", protected with \(protection.epoch) keys" }
        var lines = [indent + style.apply(title, .bold)]
        let inner = indent + "  "
        lines += dump(record.bytes, columns: width - inner.count).map { inner + $0 }
        lines += FieldTreeFormatter(style: style, indent: inner, width: width).format(fields(spans.wire, dumped: true), message: "record", explain: explain)
        guard let plaintext = spans.innerPlaintext else { return lines }

        var table = ValueTable()
        for (label, value) in spans.opening {
            switch value {
            case .bytes(let bytes): table.add(label, bytes)
            case .text(let text): table.add(label, text: text)
            }
        }
        lines.append(inner + style.apply("opened with (RFC 8446 §5.3: nonce = iv XOR sequence number; additional data = the header)", .dim))
        lines += table.format(indent: inner + "  ", width: width)
        lines.append(inner + style.apply("TLSInnerPlaintext, \(plaintext.bytes.count) bytes (RFC 8446 §5.2)", .dim))
        lines += FieldTreeFormatter(style: style, indent: inner, width: width).format(fields(plaintext, dumped: false), message: "inner", explain: explain)
        return lines
    }

    /// The spans as a field tree. A long span of bytes `dumped` above says where they lie in the
    /// dump; one that is not (decrypted content) shows its first bytes.
    private func fields(_ labelled: LabelledBytes, dumped: Bool) -> [TraceField] {
        labelled.spans.map { span in
            let bytes = labelled.bytes(of: span)
            guard bytes.count > spanByteLimit else { return TraceField(span.name, span.value, bytes: Array(bytes)) }
            if dumped {
                let range = "\(hex(span.range.lowerBound))-\(hex(span.range.upperBound - 1))"
                return TraceField(span.name, span.value + " (bytes \(range) of the dump)")
            }
            return TraceField(span.name, span.value + ", the first \(spanByteLimit):", bytes: Array(bytes.prefix(spanByteLimit)))
        }
    }

    /// An offset as the hexdump prints it.
    private func hex(_ offset: Int) -> String {
        let digits = String(offset, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    private func dump(_ bytes: [UInt8], columns: Int) -> [String] {
        let shown = dumpLimit.map { Array(bytes.prefix($0)) } ?? bytes
        let lines = HexFormatting.hexdump(shown, perLine: HexFormatting.dumpBytesPerLine(fitting: columns, byteCount: shown.count))
        return shown.count < bytes.count ? lines + ["… \(bytes.count - shown.count) more bytes"] : lines
    }
}
