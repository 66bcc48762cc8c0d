import Foundation
import Testing
import TLSTool

/// Issue 12: "Terminal width respected (wrap hex rows and long values at the width)". Hex rows
/// shrink to fit in whole groups of four bytes rather than leaving a stray byte on a line of its
/// own; everything else wraps at spaces.
@Suite("Narrow terminals")
struct NarrowTerminalTests {
    @Test("Bytes per line: sixteen when they fit, else a multiple of four, never fewer than four")
    func bytesPerLine() {
        #expect(HexFormatting.spacedBytesPerLine(fitting: 47) == 16)   // 16 × 3 − 1
        #expect(HexFormatting.spacedBytesPerLine(fitting: 46) == 12)
        #expect(HexFormatting.spacedBytesPerLine(fitting: 23) == 8)
        #expect(HexFormatting.spacedBytesPerLine(fitting: 5) == 4)
        // "0000  " + 16 × "xx " + " " + " |" + 16 characters + "|" = 74 columns.
        #expect(HexFormatting.dumpBytesPerLine(fitting: 74, byteCount: 100) == 16)
        #expect(HexFormatting.dumpBytesPerLine(fitting: 73, byteCount: 100) == 12)
        #expect(HexFormatting.hexdump(Array(0..<20), perLine: 8) == [
            "0000  00 01 02 03 04 05 06 07  |........|",
            "0008  08 09 0a 0b 0c 0d 0e 0f  |........|",
            "0010  10 11 12 13              |....|",
        ])
    }

    @Test("The value table wraps a 32-byte key at eight a line where sixteen would overflow")
    func valueTable() {
        var table = ValueTable()
        table.add("key", Array(0..<32))
        // The values start at column 22 ("      key  32 octets  "): 30 columns leave room for 10
        // bytes, rounded down to 8.
        let lines = table.format(indent: "      ", width: 52)
        #expect(lines.allSatisfy { $0.count <= 52 }, "\(lines)")
        #expect(lines == ["      key  32 octets  00 01 02 03 04 05 06 07",
                          "                      08 09 0a 0b 0c 0d 0e 0f",
                          "                      10 11 12 13 14 15 16 17",
                          "                      18 19 1a 1b 1c 1d 1e 1f"])
    }

    @Test("tls13-demo at a narrow width: no line wider (the copy-paste commands aside), no orphan hex byte", arguments: [48, 64])
    func demoFits(columns: Int) throws {
        let demo = try ToolProcess.ours("tls13-demo", ["--deterministic"], environment: ["COLUMNS": "\(columns)"])
        #expect(try demo.waitForExit(seconds: 60) == 0, "\(demo.stderrText)")
        let lines = demo.stdoutText.split(separator: "\n", omittingEmptySubsequences: false)
        let tooWide = lines.filter { $0.count > columns && !$0.drop { $0 == " " }.hasPrefix("$ ") }
        #expect(tooWide.isEmpty, "\(tooWide.prefix(5))")
        // A hexdump row is "offset  xx xx …  |ascii|": every row of a dump but its last holds the
        // same number of bytes, a multiple of four.
        let rows = lines.compactMap { line -> Int? in
            guard let bar = line.firstIndex(of: "|"), line.hasSuffix("|"),
                  line.drop(while: { $0 == " " }).prefix(4).allSatisfy(\.isHexDigit) else { return nil }
            return line[line.index(after: bar)..<line.index(before: line.endIndex)].count
        }
        #expect(!rows.isEmpty)
        let full = rows.max() ?? 0
        #expect(full % 4 == 0 && full < 16, "rows of \(full) bytes at \(columns) columns")
    }
}
