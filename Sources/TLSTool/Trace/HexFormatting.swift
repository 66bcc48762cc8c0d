/// How bytes look on the page: the classic three-column hexdump for records, and spaced hex
/// wrapped at a fixed width for values (RFC 8448 writes "1d c8 26 e9 ...", sixteen to a line).
public enum HexFormatting {
    private static let digits = Array("0123456789abcdef")

    /// "1d c8 26 e9"
    public static func spaced(_ bytes: some Collection<UInt8>) -> String {
        var out = ""
        out.reserveCapacity(bytes.count * 3)
        for (i, b) in bytes.enumerated() {
            if i > 0 { out.append(" ") }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return out
    }

    /// `bytes` as lines of `perLine` spaced bytes.
    public static func wrapped(_ bytes: [UInt8], perLine: Int = 16) -> [String] {
        precondition(perLine > 0, "a line holds at least one byte")
        return stride(from: 0, to: bytes.count, by: perLine).map {
            spaced(bytes[$0..<min($0 + perLine, bytes.count)])
        }
    }

    /// The hexdump of `bytes`: offset, sixteen bytes in two groups of eight, then the printable
    /// ASCII characters (others as "."), e.g.
    ///
    ///     0000  16 03 01 00 c4 01 00 00  c0 03 03 cb 34 ec b1 e7  |............4...|
    ///
    /// The offset has at least four digits and more when the data needs them, so every line of
    /// one dump lines up.
    public static func hexdump(_ bytes: [UInt8]) -> [String] {
        let offsetWidth = max(4, String(max(bytes.count - 1, 0), radix: 16).count)
        var lines: [String] = []
        lines.reserveCapacity(bytes.count / 16 + 1)
        for start in stride(from: 0, to: bytes.count, by: 16) {
            let row = bytes[start..<min(start + 16, bytes.count)]
            let offset = String(start, radix: 16)
            var line = String(repeating: "0", count: offsetWidth - offset.count) + offset + "  "
            for column in 0..<16 {
                if column == 8 { line += " " }
                if column < row.count {
                    let b = row[row.startIndex + column]
                    line.append(digits[Int(b >> 4)])
                    line.append(digits[Int(b & 0x0f)])
                    line += " "
                } else {
                    line += "   "
                }
            }
            line += " |"
            for b in row { line.append(b >= 0x20 && b < 0x7f ? Character(Unicode.Scalar(b)) : ".") }
            line += "|"
            lines.append(line)
        }
        return lines
    }
}
