import RFC8448Reader
import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// RFC 8448 §5 "HelloRetryRequest": the client shares x25519, the server prefers P-256, asks again
/// with a cookie, and the handshake completes on P-256.
@Suite("RFC 8448 §5 reproduced by --rfc8448 5")
struct RFC8448Section5Tests {
    static func rfcText() throws -> String { try ToolVectors.text("rfc/rfc8448.txt") }

    static func reproduction() throws -> String {
        try RFC8448Profile(section: .helloRetryRequest)
            .reproduce(traces: [TracedExchange.Trace(sides: [.client, .server], view: .rfc8448)]).traces[0]
    }

    @Test("RFC 8448 §5: every one of the RFC's 106 values (103 octet strings, the zero salts, the empty hashes) appears in our trace, equal")
    func everyValueEqual() throws {
        let comparison = try RFC8448Comparison(rfcText: Self.rfcText(), traceText: Self.reproduction(), section: 5)
        #expect(comparison.results.count == 106)
        #expect(comparison.results.filter { ($0.expected.value.octets?.count ?? 0) > 0 }.count == 103)
        #expect(comparison.allEqual, "\(comparison.report(colors: false))")
    }

    @Test("RFC 8448 §5: our trace has the RFC's steps, with the RFC's wording (\"create an ephemeral P-256 key pair\")")
    func sameSteps() throws {
        let rfc = try RFC8448Trace(rfc8448Section: 5, of: Self.rfcText())
        let ours = try RFC8448Trace(parsing: Self.reproduction())
        let ourSteps = Set(ours.steps.map { "{\($0.side)}  \($0.title)" })
        let missing = rfc.steps.map { "{\($0.side)}  \($0.title)" }.filter { !ourSteps.contains($0) }
        #expect(missing.isEmpty, "steps of the RFC missing from ours: \(missing)")
        #expect(ourSteps.contains("{server}  create an ephemeral P-256 key pair"))
    }

    @Test("RFC 8448 §5: the standard view shows the server asking for secp256r1 and the client's second ClientHello answering with it")
    func standardView() throws {
        let output = try RFC8448Profile(section: .helloRetryRequest).reproduce(
            traces: [.init(sides: [.client], view: .standard), .init(sides: [.server], view: .standard)])
            .traces.map(\.unwrapped)
        #expect(output[1].contains("the ClientHello has no secp256r1 (0x0017) key share: asking for one with a HelloRetryRequest"))
        #expect(output[0].contains("✓ HelloRetryRequest asks for a group we offered but sent no share for (secp256r1 (0x0017))"))
        #expect(output[0].contains("✓ server's key share is for secp256r1, the group we offered"))
    }

    @Test("tls13-compare picks §5 for a §5 trace and §3 for a §3 trace; --section 3 on a §5 trace fails")
    func compareChoosesTheSection() throws {
        let both = RFC8448ExecutableTests.temporaryFile("rfc8448-5")
        defer { try? FileManager.default.removeItem(atPath: both) }
        try Data(try Self.reproduction().utf8).write(to: URL(fileURLWithPath: both))
        let compare = try ToolProcess.ours("tls13-compare", [both])
        #expect(try compare.waitForExit() == 0, "\(compare.stdoutText)")
        #expect(compare.stdoutText.hasPrefix("RFC 8448 §5\n"))
        #expect(compare.stdoutText.contains("106 of 106 values equal"))
        let wrong = try ToolProcess.ours("tls13-compare", ["--section", "3", both])
        #expect(try wrong.waitForExit() == 1)
    }

    @Test("tls13-server --rfc8448 5 and tls13-client --rfc8448 5 over loopback print, between them, all of RFC 8448 §5")
    func overLoopback() throws {
        let server = try ToolProcess.ours("tls13-server", ["--rfc8448", "5", "--port", "0"])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--rfc8448", "5", "--port", "\(port)"])
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        let both = RFC8448ExecutableTests.temporaryFile("rfc8448-5-both")
        defer { try? FileManager.default.removeItem(atPath: both) }
        try Data((client.stdoutText + server.stdoutText).utf8).write(to: URL(fileURLWithPath: both))
        let compare = try ToolProcess.ours("tls13-compare", ["--section", "5", both])
        #expect(try compare.waitForExit() == 0, "\(compare.stdoutText)")
        #expect(compare.stdoutText.contains("106 of 106 values equal"))
    }
}
