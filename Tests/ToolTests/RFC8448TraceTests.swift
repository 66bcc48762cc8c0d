import RFC8448Reader
import Testing
import TLS13
import TLSCrypto
import TLSTool

@Suite("RFC 8448 trace reader and comparison")
struct RFC8448TraceTests {
    static func rfcText() throws -> String { try ToolVectors.text("rfc/rfc8448.txt") }

    static func section3() throws -> RFC8448Trace { try RFC8448Trace(rfc8448Section3: rfcText()) }

    /// Entries in RFC 8448's layout without page breaks, as `--trace rfc8448` prints them.
    static func render(_ entries: [RFC8448Trace.Entry]) -> String {
        var text = ""
        var previousStep: (Side, String)?
        for entry in entries {
            if previousStep.map({ $0 != entry.side || $1 != entry.step }) ?? true {
                text += "   {\(entry.side)}  \(entry.step):\n\n"
                previousStep = (entry.side, entry.step)
            }
            switch entry.value {
            case .allZero:
                text += "      \(entry.label):  0 (all zero octets)\n\n"
            case .octets(let bytes) where bytes.isEmpty:
                text += "      \(entry.label) (0 octets):  (empty)\n\n"
            case .octets(let bytes):
                let lines = stride(from: 0, to: bytes.count, by: 16).map {
                    bytes[$0..<min($0 + 16, bytes.count)].map { [$0].hexString }.joined(separator: " ")
                }
                text += "      \(entry.label) (\(bytes.count) octets):  " + lines.joined(separator: "\n         ") + "\n\n"
            }
        }
        return text
    }

    static func entry(_ trace: RFC8448Trace, _ side: Side, _ step: String, _ label: String) throws -> RFC8448Trace.Entry {
        try #require(trace.entries.first { $0.side == side && $0.step == step && $0.label == label })
    }

    @Test("RFC 8448 §3: 109 labelled values in 55 steps, 17 of them \"(same as ...)\" with none")
    func counts() throws {
        let trace = try Self.section3()
        #expect(trace.steps.count == 55)
        #expect(trace.steps.filter(\.entries.isEmpty).count == 17)
        #expect(trace.steps.filter(\.entries.isEmpty).allSatisfy { $0.title.contains("(same as") })
        let entries = trace.entries
        #expect(entries.count == 109)
        // 108 "LABEL (N octets):" values, 2 of them "(0 octets): (empty)", and the one
        // "salt:  0 (all zero octets)".
        #expect(entries.filter { $0.value == .allZero }.count == 1)
        #expect(entries.filter { $0.value == .octets([]) }.count == 2)
        // 26 are messages and records: 8 handshake messages (ClientHello, ServerHello,
        // EncryptedExtensions, Certificate, CertificateVerify, two Finished, NewSessionTicket),
        // 9 record payloads and 9 complete records. 4 are the two x25519 key pairs, and the
        // other 79 are key-schedule values (PRK, hash, info, expanded, salt, IKM, secret, ...).
        let messageLabels: Set = ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate",
                                  "CertificateVerify", "Finished", "NewSessionTicket", "payload", "complete record"]
        #expect(entries.filter { messageLabels.contains($0.label) }.count == 26)
        #expect(entries.filter { $0.label == "private key" || $0.label == "public key" }.count == 4)
    }

    @Test("RFC 8448 §3: {server} derive secret \"tls13 c hs traffic\", read across a page break")
    func clientHandshakeTrafficSecret() throws {
        let trace = try Self.section3()
        let step = "derive secret \"tls13 c hs traffic\""
        #expect(try Self.entry(trace, .server, step, "PRK").value == .octets([UInt8](hex:
            "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac")!))
        #expect(try Self.entry(trace, .server, step, "hash").value == .octets([UInt8](hex:
            "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8")!))
        #expect(try Self.entry(trace, .server, step, "expanded").value == .octets([UInt8](hex:
            "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21")!))
    }

    @Test("RFC 8448 §3: the Certificate message, whose hex is cut by a page break, has all 445 octets")
    func certificateAcrossPageBreak() throws {
        let certificate = try Self.entry(try Self.section3(), .server, "construct a Certificate handshake message", "Certificate")
        let bytes = try #require(certificate.value.octets)
        #expect(bytes.count == 445)
        #expect(Array(bytes.prefix(4)) == [0x0b, 0x00, 0x01, 0xb9])
        #expect(Array(bytes.suffix(5)) == [0x2b, 0x4d, 0xe1, 0x00, 0x00])
    }

    @Test("RFC 8448 §3: \"salt:  0 (all zero octets)\", \"(empty)\" and a wrapped \"(same as ...)\" heading")
    func specialForms() throws {
        let trace = try Self.section3()
        #expect(try Self.entry(trace, .server, "extract secret \"early\"", "salt").value == .allZero)
        #expect(try Self.entry(trace, .client, "calculate finished \"tls13 finished\"", "hash").value == .octets([]))
        #expect(trace.steps.contains {
            $0.side == .client && $0.title == "extract secret \"handshake\" (same as server handshake secret)" && $0.entries.isEmpty
        })
    }

    @Test("RFC 8448 §3 compared with itself, and with its page-break-free rendering: all equal")
    func selfComparison() throws {
        let entries = try Self.section3().entries
        let withRFC = RFC8448Comparison(expected: entries, actual: try RFC8448Trace(parsing: Self.rfcText()).entries)
        #expect(withRFC.allEqual)
        #expect(withRFC.summary == "109 of 109 values equal")
        let rendered = try RFC8448Trace(parsing: Self.render(entries))
        #expect(rendered.entries.map(\.value) == entries.map(\.value))
        #expect(RFC8448Comparison(expected: entries, actual: rendered.entries).allEqual)
    }

    @Test("One changed byte gives exactly one ✗, with both values")
    func oneChangedByte() throws {
        let entries = try Self.section3().entries
        var changed = entries
        let index = try #require(changed.firstIndex { $0.side == .server && $0.step == "derive secret \"tls13 c hs traffic\"" && $0.label == "expanded" })
        var bytes = try #require(changed[index].value.octets)
        bytes[31] ^= 0x01
        changed[index].value = .octets(bytes)
        let comparison = RFC8448Comparison(expected: entries, actual: try RFC8448Trace(parsing: Self.render(changed)).entries)
        #expect(comparison.equalCount == 108)
        #expect(comparison.differentCount == 1)
        #expect(comparison.missingCount == 0)
        #expect(comparison.summary == "108 of 109 values equal, 1 different")
        let report = comparison.report(colors: false)
        #expect(report.contains("✗ {server}  derive secret \"tls13 c hs traffic\": expanded (32 octets)  different"))
        #expect(report.contains("3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21\n"))
        #expect(report.contains("3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 20\n"))
    }

    @Test("A step left out of the trace gives \"missing\" for each of its values")
    func missingStep() throws {
        let entries = try Self.section3().entries
        let withoutAlert = entries.filter { !($0.side == .client && $0.step == "send alert record") }
        let comparison = RFC8448Comparison(expected: entries, actual: try RFC8448Trace(parsing: Self.render(withoutAlert)).entries)
        #expect(comparison.missingCount == 2)
        #expect(comparison.summary == "107 of 109 values equal, 2 missing")
        #expect(comparison.report(colors: false).contains("– {client}  send alert record: payload (2 octets)  missing"))
    }

    @Test("An extra record of ours does not shift later records of the same step into ✗")
    func extraRecord() throws {
        let entries = try Self.section3().entries
        let extra = RFC8448Trace.Entry(side: .server, step: "send handshake record", label: "payload",
                                       value: .octets([0x14, 0x03, 0x03, 0x00, 0x01, 0x01]), line: 0)
        let comparison = RFC8448Comparison(expected: entries, actual: try RFC8448Trace(parsing: Self.render([extra] + entries)).entries)
        #expect(comparison.allEqual)
    }

    @Test("A zero salt printed as 32 zero octets equals RFC 8448's \"0 (all zero octets)\"")
    func zeroSaltAsOctets() {
        #expect(RFC8448Trace.Value.allZero.matches(.octets([UInt8](repeating: 0, count: 32))))
        #expect(!RFC8448Trace.Value.allZero.matches(.octets([UInt8](repeating: 0, count: 31) + [1])))
    }

    @Test("A value shorter than its \"(N octets)\" is an error naming its line")
    func truncatedValue() {
        let text = """
            {client}  create an ephemeral x25519 key pair:

               private key (32 octets):  49 af 42 ba 7f 79 94 85 2d 71 3e f2 78

            """
        #expect(throws: RFC8448TraceError(line: 3, reason: "private key declares 32 octets but 13 follow")) {
            try RFC8448Trace(parsing: text)
        }
    }

    @Test("Text without RFC 8448's §3 trace is refused")
    func notTheRFC() {
        #expect(throws: RFC8448TraceError.self) { try RFC8448Trace(rfc8448Section3: "3.  Simple 1-RTT Handshake\n") }
        #expect(throws: RFC8448TraceError.self) { try RFC8448Trace(rfc8448Section3: "Simple 1-RTT Handshake\n") }
    }
}
