/// Labelled values in aligned columns, the way RFC 8448 lists the inputs and output of each
/// key-schedule step ("PRK (32 octets): 1d c8 26 e9 ..."), but as a table:
///
///     PRK       32 octets  1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01
///                          04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac
///     hash      32 octets  86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed
///     sequence             0
public struct ValueTable: Sendable {
    public enum Value: Sendable {
        case bytes([UInt8])
        case text(String)
    }

    public private(set) var rows: [(label: String, value: Value)] = []

    public init() {}

    public mutating func add(_ label: String, _ bytes: [UInt8]) { rows.append((label, .bytes(bytes))) }
    public mutating func add(_ label: String, text: String) { rows.append((label, .text(text))) }

    /// - Parameter width: the columns a line may take; long values wrap at fewer than sixteen
    ///   bytes a line when sixteen would not fit.
    public func format(indent: String, width: Int = 80) -> [String] {
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let counts = rows.map { row -> String in
            if case .bytes(let b) = row.value { return "\(b.count) octet" + (b.count == 1 ? "" : "s") }
            return ""
        }
        let countWidth = counts.map(\.count).max() ?? 0
        let valueColumn = indent.count + labelWidth + 2 + (countWidth > 0 ? countWidth + 2 : 0)
        var lines: [String] = []
        for (row, count) in zip(rows, counts) {
            let label = indent + row.label + String(repeating: " ", count: labelWidth - row.label.count + 2)
            switch row.value {
            case .text(let text):
                lines.append(label + text)
            case .bytes(let bytes):
                let countColumn = String(repeating: " ", count: countWidth - count.count) + count + "  "
                let chunks = HexFormatting.wrapped(bytes, perLine: HexFormatting.spacedBytesPerLine(fitting: width - valueColumn))
                lines.append(label + countColumn + (chunks.first ?? "(empty)"))
                for chunk in chunks.dropFirst() {
                    lines.append(String(repeating: " ", count: valueColumn) + chunk)
                }
            }
        }
        return lines.map { $0.trailingSpacesTrimmed }
    }
}

extension String {
    var trailingSpacesTrimmed: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
