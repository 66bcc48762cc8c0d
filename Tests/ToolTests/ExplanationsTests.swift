import Foundation
import Loopback
import Synchronization
import Testing
import TLS13
import TLSTool

/// Issue 12, "Why": one table of reasons, in English and in Chinese, for every step and for the
/// fields a learner asks about; the terminal view prints them with --explain.
@Suite("Explanations: one table of reasons, both languages, every step covered")
struct ExplanationsTests {
    /// Every event of the deterministic connection, both sides.
    static func deterministicEvents() throws -> [TLSEvent] {
        var (client, server) = try Transcripts.deterministicConfigurations(locate: { ToolProcess.repositoryRoot.appendingPathComponent($0).path })
        let events = Mutex<[TLSEvent]>([])
        client.observer = { event in events.withLock { $0.append(event) } }
        server.observer = { event in events.withLock { $0.append(event) } }
        _ = try TLSLoopback(client: client, server: server)
            .exchange(clientData: Array(Transcripts.clientMessage.utf8), serverData: Array(Transcripts.serverMessage.utf8))
        return events.withLock { $0 }
    }

    @Test("Every step of a real connection has a reason in both languages")
    func everyStepExplained() throws {
        for event in try Self.deterministicEvents() {
            guard let key = Explanations.stepKey(event) else { continue }
            let english = Explanations.step(event, .en)
            let chinese = Explanations.step(event, .zh)
            #expect(english != nil && chinese != nil, "no reason for step \(key)")
            #expect(english?.section == chinese?.section)
        }
    }

    @Test("Every byte span of every record has a reason")
    func everySpanExplained() throws {
        for record in try RecordSpansTests.deterministicRecords() {
            let spans = RecordSpans(record)
            for span in spans.wire.spans + (spans.innerPlaintext?.spans ?? []) {
                #expect(Explanations.field(span.id, .en) != nil, "no reason for \(span.id)")
            }
        }
    }

    @Test("Each entry is written in both languages: Chinese text is Chinese, and none is empty")
    func bothLanguages() {
        for key in Explanations.fieldKeys {
            let english = Explanations.field(key, .en)!
            let chinese = Explanations.field(key, .zh)!
            #expect(!english.text.isEmpty && english.text != chinese.text, "\(key)")
            #expect(chinese.text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(key) has no Chinese")
            #expect(english.section.hasPrefix("RFC") || english.section.hasPrefix("draft"), "\(key): \(english.section)")
        }
        #expect(Explanations.stepKeys.count >= 40)
        #expect(Explanations.fieldKeys.count >= 60)
    }

    @Test("Field keys: message fields by message, extensions by IANA name, the handshake header as one")
    func fieldKeys() {
        #expect(Explanations.fieldKey(name: "legacy_session_id", value: "", parent: nil, message: "client_hello") == "client_hello.legacy_session_id")
        #expect(Explanations.fieldKey(name: "extension", value: "key_share (0x0033)", parent: "extensions", message: "server_hello") == "extension.key_share")
        #expect(Explanations.fieldKey(name: "msg_type", value: "", parent: nil, message: "finished") == "handshake.msg_type")
        #expect(Explanations.fieldKey(name: "cert_data", value: "", parent: "certificate_entry", message: "certificate") == "certificate_entry.cert_data")
    }

    @Test("--explain puts a reason under the title of each step and under a field, once per field")
    func explainedTranscript() throws {
        let text = try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent("transcripts/deterministic.explained.txt"), encoding: .utf8)
        #expect(text.contains("why: The client opens with everything needed to finish in one round trip"))
        #expect(text.contains("│    why: Always 0x0303 (TLS 1.2)"))
        #expect(text.components(separatedBy: "why: Always 0x0303 (TLS 1.2)").count == 2, "explained once, not for the ServerHello too")
        let chinese = try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent("transcripts/deterministic.explained.zh.txt"), encoding: .utf8)
        #expect(chinese.contains("为什么：客户端一开口就给出一次往返完成握手所需的全部信息"))
    }
}

@Suite("Line wrapping at the terminal's width")
struct LineWrapperTests {
    @Test("Long lines break at spaces and continue under their text; tree connectors continue as │")
    func wrapsAtSpaces() {
        let wrapper = LineWrapper(width: 40)
        let text = "  ├─ random: this is a long value that cannot fit in forty columns at all\n"
        let wrapped = wrapper.wrap(text)
        let lines = wrapped.split(separator: "\n").map(String.init)
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { $0.count <= 40 })
        #expect(lines[1].hasPrefix("  │    "))
        #expect(wrapped.hasSuffix("\n"))
        #expect(lines.joined(separator: " ").split(separator: " ").filter { $0 != "│" }.joined(separator: " ")
                == text.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.joined(separator: " "))
    }

    @Test("Colours do not count, and are closed at the break and reopened after it")
    func colours() {
        let dim = "\u{1B}[2m", reset = "\u{1B}[0m"
        let line = "  " + dim + String(repeating: "word ", count: 12) + reset
        let wrapped = LineWrapper(width: 40).wrap(line)
        let lines = wrapped.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasSuffix(reset))
        #expect(lines[1].contains(dim))
        let visible = lines.map { $0.replacingOccurrences(of: dim, with: "").replacingOccurrences(of: reset, with: "") }
        #expect(visible.allSatisfy { $0.count <= 40 })
    }

    @Test("Chinese characters take two columns and may break anywhere; commands are never broken")
    func chineseAndCommands() {
        let chinese = "  为什么：" + String(repeating: "密钥调度", count: 20)
        for line in LineWrapper(width: 40).wrap(chinese).split(separator: "\n") {
            #expect(line.reduce(0) { $0 + LineWrapperTests.columns($1) } <= 40)
        }
        let command = "    $ openssl kdf " + String(repeating: "-kdfopt x ", count: 20)
        #expect(LineWrapper(width: 40).wrap(command) == command)
    }

    static func columns(_ character: Character) -> Int {
        character.unicodeScalars.first.map { (0x4E00...0x9FFF).contains($0.value) || (0xFF00...0xFF60).contains($0.value) } == true ? 2 : 1
    }

    @Test("Every committed standard-view transcript fits in 80 columns (commands aside)")
    func transcriptsFit() throws {
        let directory = ToolProcess.repositoryRoot.appendingPathComponent("transcripts")
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasSuffix(".txt") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("$ ") {
                #expect(line.reduce(0) { $0 + Self.columns($1) } <= 80, "\(name): \(line)")
            }
        }
    }

    @Test("COLUMNS sets the width; a file or pipe gets 80")
    func width() {
        #expect(TerminalWidth.current(fileDescriptor: -1, environment: ["COLUMNS": "120"]) == 120)
        #expect(TerminalWidth.current(fileDescriptor: -1, environment: ["COLUMNS": "10"]) == TerminalWidth.minimum)
        #expect(TerminalWidth.current(fileDescriptor: -1, environment: [:]) == 80)
    }
}
