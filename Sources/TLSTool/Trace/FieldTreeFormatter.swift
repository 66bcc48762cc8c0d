import Foundation
import TLS13

/// Lays out a message's field tree (`TraceField`) with box-drawing connectors, one field a line:
/// the RFC's field name, its value in words, and its bytes.
///
///     ├─ legacy_version: TLS 1.2 (0x0303)              03 03
///     ├─ random
///     │    cb 34 ec b1 e7 16 3b a1 8a f2 ce 9d 92 32 2d a4
///     │    b2 28 e3 07 f7 f7 06 8c 4b 26 5b 25 a3 07 43 f7
///     └─ extensions
///        └─ supported_versions                         00 2b
///
/// Short byte strings (up to `inlineByteLimit`) sit in one aligned column at the right of the
/// tree; longer ones are wrapped sixteen to a line under their field, so a certificate or a
/// signature never pushes the page wider than a terminal.
public struct FieldTreeFormatter: Sendable {
    public var style: TextStyle
    public var indent: String
    public var inlineByteLimit = 8
    /// A field whose text is wider than this never gets an inline byte column.
    public var widestInlineText = 64
    /// The columns a line may take: long byte strings wrap at fewer than sixteen a line when
    /// sixteen would not fit under their field.
    public var width: Int

    public init(style: TextStyle = .plain, indent: String = "  ", width: Int = 80) {
        self.style = style
        self.indent = indent
        self.width = width
    }

    private struct Row {
        var connector: String      // ancestors' continuation lines plus this field's "├─ " or "└─ "
        var blockPrefix: String    // what precedes this field's wrapped byte lines
        var text: String
        var bytes: [UInt8]
        /// The field's key in the table of explanations (`Explanations.fieldKey`).
        var key: String
        var width: Int { connector.count + text.count }
    }

    /// - Parameters:
    ///   - message: what the fields belong to, for their explanation keys: a message's RFC name
    ///     in snake case ("client_hello"), or "record" / "inner" for a record's spans.
    ///   - explain: the line to print under a field (its "why"), by the field's key; nil for none.
    public func format(_ fields: [TraceField], message: String = "",
                       explain: (_ key: String) -> String? = { _ in nil }) -> [String] {
        var rows: [Row] = []
        flatten(fields, continuation: "", parent: nil, message: message, into: &rows)
        for index in rows.indices where !isInline(rows[index]) {
            rows[index].text = rows[index].text.replacingHexValueBySize()
        }
        let inline = rows.filter { isInline($0) }
        let column = (inline.map(\.width).max() ?? 0) + 2

        var lines: [String] = []
        for row in rows {
            let head = indent + style.apply(row.connector, .dim) + row.text
            if row.bytes.isEmpty {
                lines.append(head)
            } else if isInline(row) {
                let padding = String(repeating: " ", count: column - row.width)
                lines.append(head + padding + HexFormatting.spaced(row.bytes))
            } else {
                lines.append(head)
                let perLine = HexFormatting.spacedBytesPerLine(fitting: width - indent.count - row.blockPrefix.count)
                for chunk in HexFormatting.wrapped(row.bytes, perLine: perLine) {
                    lines.append(indent + style.apply(row.blockPrefix, .dim) + chunk)
                }
            }
            if let why = explain(row.key) {
                lines.append(indent + style.apply(row.blockPrefix, .dim) + style.apply(why, .dim))
            }
        }
        return lines
    }

    private func isInline(_ row: Row) -> Bool {
        !row.bytes.isEmpty && row.bytes.count <= inlineByteLimit && row.width <= widestInlineText
    }

    private func flatten(_ fields: [TraceField], continuation: String, parent: String?, message: String,
                         into rows: inout [Row]) {
        for (index, field) in fields.enumerated() {
            let isLast = index == fields.count - 1
            let childContinuation = continuation + (isLast ? "   " : "│  ")
            let text = field.value.isEmpty ? field.name : "\(field.name): \(field.value)"
            let key = Explanations.fieldKey(name: field.name, value: field.value, parent: parent, message: message)
            rows.append(Row(connector: continuation + (isLast ? "└─ " : "├─ "),
                            blockPrefix: childContinuation + (field.children.isEmpty ? "  " : "│ "),
                            text: text, bytes: field.bytes, key: key))
            flatten(field.children, continuation: childContinuation, parent: field.name, message: message, into: &rows)
        }
    }
}

extension String {
    /// "random: cb34ecb1..." becomes "random: 32 bytes" when the bytes are printed under the
    /// field anyway: the same hex twice would only be noise.
    fileprivate func replacingHexValueBySize() -> String {
        guard let colon = range(of: ": ", options: .backwards) else { return self }
        let value = self[colon.upperBound...]
        guard value.count >= 16, value.count % 2 == 0, value.allSatisfy(\.isHexDigit) else { return self }
        return self[..<colon.upperBound] + "\(value.count / 2) bytes"
    }
}
