import Foundation
import Testing
import TLS13
import TLSTool

@Suite("Hexdump, field tree, value table")
struct FormattingTests {
    @Test("Hexdump: offset, two groups of eight, ASCII column; a short last line keeps the columns")
    func hexdump() {
        #expect(HexFormatting.hexdump(TraceFixtures.helloRecord) == [
            "0000  16 03 01 00 0f 48 65 6c  6c 6f 2c 20 54 4c 53 20  |.....Hello, TLS |",
            "0010  31 2e 33 21                                       |1.3!|",
        ])
        #expect(HexFormatting.hexdump([]) == [])
        #expect(HexFormatting.hexdump(Array(0x7b...0x82)) == [
            "0000  7b 7c 7d 7e 7f 80 81 82                           |{|}~....|",
        ])
    }

    @Test("Hexdump offsets widen past 64 KiB so every line of one dump aligns")
    func wideOffsets() {
        let lines = HexFormatting.hexdump([UInt8](repeating: 0x2e, count: 0x10001))
        #expect(lines.first?.hasPrefix("00000  2e") == true)
        #expect(lines.last == "10000  2e" + String(repeating: " ", count: 48) + "|.|")
    }

    @Test("Spaced and wrapped hex, sixteen bytes a line as RFC 8448 prints them")
    func wrapped() {
        #expect(HexFormatting.spaced([0x1d, 0xc8, 0x26, 0xe9]) == "1d c8 26 e9")
        #expect(HexFormatting.wrapped(Array(0..<18)) == [
            "00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
            "10 11",
        ])
        #expect(HexFormatting.wrapped([]) == [])
    }

    @Test("Golden: field tree with aligned inline bytes and long values wrapped under their field")
    func fieldTree() {
        let expected = """
              ├─ legacy_version: TLS 1.2 (0x0303)                        03 03
              ├─ random: 32 bytes
              │    00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
              │    10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
              ├─ cipher_suites: 2 suites                                 00 04
              │  ├─ cipher_suite: TLS_CHACHA20_POLY1305_SHA256 (0x1303)  13 03
              │  └─ cipher_suite: TLS_AES_128_GCM_SHA256 (0x1301)        13 01
              └─ extensions: 1 extension                                 00 06
                 └─ extension: supported_versions (0x002b)
                    ├─ extension_type: supported_versions (0x002b)       00 2b
                    └─ extension_data: TLS 1.3                           00 02 03 04
            """
        #expect(FieldTreeFormatter().format(TraceFixtures.clientHelloFields).joined(separator: "\n") == expected)
    }

    @Test("A parent's own long bytes are wrapped with the line to its children running past them")
    func parentBytes() {
        let tree = [TraceField("key_share_entry", "x25519", bytes: Array(repeating: 0xab, count: 10), children: [
            TraceField("group", "x25519 (0x001d)", bytes: [0x00, 0x1d]),
        ])]
        #expect(FieldTreeFormatter(indent: "").format(tree) == [
            "└─ key_share_entry: x25519",
            "   │ ab ab ab ab ab ab ab ab ab ab",
            "   └─ group: x25519 (0x001d)  00 1d",
        ])
    }

    @Test("Golden: value table in RFC 8448's order of label, size, octets")
    func valueTable() {
        var table = ValueTable()
        table.add("PRK", Array(0..<20))
        table.add("info", [0x00, 0x20])
        table.add("sequence number", text: "7")
        table.add("salt", [])
        #expect(table.format(indent: "  ") == [
            "  PRK              20 octets  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
            "                              10 11 12 13",
            "  info              2 octets  00 20",
            "  sequence number  7",
            "  salt              0 octets  (empty)",
        ])
    }
}

@Suite("Key log")
struct KeyLogTests {
    @Test("NSS key log line: label, client_random in hex, secret in hex")
    func line() {
        #expect(KeyLogFormat.line(label: "CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientRandom: [0xcb, 0x34], secret: [0x00, 0xff, 0x10])
                == "CLIENT_HANDSHAKE_TRAFFIC_SECRET cb34 00ff10\n")
    }

    @Test("--keylog and SSLKEYLOGFILE: both paths, each once; lines appended from keyLog events only")
    func writer() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keylog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("# earlier\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(KeyLogWriter.paths(flag: "a", environment: ["SSLKEYLOGFILE": "b"]) == ["a", "b"])
        #expect(KeyLogWriter.paths(flag: nil, environment: ["SSLKEYLOGFILE": ""]) == [])
        let writer = try KeyLogWriter(paths: [path, path])
        writer.observe(.keyLog(label: "EXPORTER_SECRET", clientRandom: [1], secret: [2]))
        writer.observe(.note("not a secret"))
        writer.observe(.keyLog(label: "SERVER_TRAFFIC_SECRET_0", clientRandom: [3], secret: [4]))
        #expect(try String(contentsOfFile: path, encoding: .utf8)
                == "# earlier\nEXPORTER_SECRET 01 02\nSERVER_TRAFFIC_SECRET_0 03 04\n")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode != nil)
    }

    @Test("A key log that cannot be opened is an error, not a silent loss of secrets")
    func unopenable() {
        #expect(throws: (any Error).self) { try KeyLogWriter(paths: ["/nonexistent-dir/keys.txt"]) }
    }
}
