/// How bytes look on the page: the classic three-column hexdump for records, and spaced hex
/// wrapped for values (RFC 8448 writes "1d c8 26 e9 ...", sixteen to a line; fewer when the
/// terminal is narrower).
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

    /// How many spaced bytes ("1d c8 26") fit in `columns`: sixteen when there is room, as RFC
    /// 8448 prints them, else a multiple of four (never fewer than four), so that the rows of a
    /// narrow terminal still line up in columns a reader can count.
    public static func spacedBytesPerLine(fitting columns: Int) -> Int {
        roundedToFours((columns + 1) / 3)
    }

    /// How many bytes a hexdump row of `byteCount` bytes shows in `columns`: each byte costs
    /// four columns (two digits, a space, its ASCII character) beyond the offset and the bars.
    public static func dumpBytesPerLine(fitting columns: Int, byteCount: Int) -> Int {
        let offsetWidth = max(4, String(max(byteCount - 1, 0), radix: 16).count)
        return roundedToFours((columns - offsetWidth - 2 - 1 - 3) / 4)
    }

    private static func roundedToFours(_ count: Int) -> Int {
        count >= 16 ? 16 : max(4, count - count % 4)
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
    /// one dump lines up. A narrow terminal gets fewer bytes a row (`dumpBytesPerLine`).
    public static func hexdump(_ bytes: [UInt8], perLine: Int = 16) -> [String] {
        precondition(perLine > 0, "a line holds at least one byte")
        let offsetWidth = max(4, String(max(bytes.count - 1, 0), radix: 16).count)
        var lines: [String] = []
        lines.reserveCapacity(bytes.count / perLine + 1)
        for start in stride(from: 0, to: bytes.count, by: perLine) {
            let row = bytes[start..<min(start + perLine, bytes.count)]
            let offset = String(start, radix: 16)
            var line = String(repeating: "0", count: offsetWidth - offset.count) + offset + "  "
            for column in 0..<perLine {
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
