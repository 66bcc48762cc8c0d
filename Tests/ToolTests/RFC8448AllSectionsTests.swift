import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// Issue 15, "RFC 8448, whole": every section we replay, value for value, in memory and over
/// loopback with the two executables, and the README's table of results made from the same
/// comparison (never typed by hand). §6 replays two CertificateVerify signatures whose keys the
/// RFC withholds; §7 adds compatibility mode's session id and change_cipher_spec records.
@Suite("RFC 8448: every section we replay")
struct RFC8448AllSectionsTests {
    static func rfcText() throws -> String { try ToolVectors.text("rfc/rfc8448.txt") }

    static func reproduction(_ section: RFC8448Section) throws -> String {
        try RFC8448Profile(section: section)
            .reproduce(traces: [TracedExchange.Trace(sides: [.client, .server], view: .rfc8448)]).traces[0]
    }

    static func comparison(_ section: RFC8448Section) throws -> RFC8448Comparison {
        try RFC8448Comparison(rfcText: rfcText(), traceText: reproduction(section), section: section.rawValue)
    }

    /// (section, labelled values, of which non-empty octet strings): the RFC's own counts.
    static let counts: [(RFC8448Section, Int, Int)] = [
        (.simple1RTT, 109, 106), (.resumed0RTT, 125, 121), (.helloRetryRequest, 106, 103), (.clientAuthentication, 101, 98), (.compatibilityMode, 102, 99),
    ]

    @Test("in memory, every value of the section is equal", arguments: counts)
    func everyValueEqual(_ section: RFC8448Section, _ total: Int, _ octetStrings: Int) throws {
        let comparison = try Self.comparison(section)
        #expect(comparison.results.count == total)
        #expect(comparison.results.filter { ($0.expected.value.octets?.count ?? 0) > 0 }.count == octetStrings)
        #expect(comparison.allEqual, "\(comparison.report(colors: false))")
    }

    @Test("over loopback, tls13-server and tls13-client print, between them, every value of §4, §6 and §7",
          arguments: [RFC8448Section.resumed0RTT, .clientAuthentication, .compatibilityMode])
    func overLoopback(_ section: RFC8448Section) throws {
        let number = "\(section.rawValue)"
        let server = try ToolProcess.ours("tls13-server", ["--rfc8448", number, "--port", "0"])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--rfc8448", number, "--port", "\(port)"])
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        let both = RFC8448ExecutableTests.temporaryFile("rfc8448-\(number)-both")
        defer { try? FileManager.default.removeItem(atPath: both) }
        try Data((client.stdoutText + server.stdoutText).utf8).write(to: URL(fileURLWithPath: both))
        let compare = try ToolProcess.ours("tls13-compare", [both])
        #expect(try compare.waitForExit() == 0, "\(compare.stdoutText)")
        #expect(compare.stdoutText.hasPrefix("RFC 8448 §\(number)\n"), "tls13-compare finds the section by itself")
        let total = Self.counts.first { $0.0 == section }!.1
        #expect(compare.stdoutText.contains("\(total) of \(total) values equal"))
    }

    @Test("§6: both CertificateVerify signatures are the RFC's, replayed and checked with the certificates' public keys, and the trace says so")
    func replayedSignatures() throws {
        let trace = try Self.reproduction(.clientAuthentication)
        #expect(trace.components(separatedBy: "(the signature is the RFC's, replayed: the RFC withholds this").count == 3)
        let standard = try RFC8448Profile(section: .clientAuthentication).reproduce(
            traces: [.init(sides: [.client], view: .standard), .init(sides: [.server], view: .standard)]).traces.map(\.unwrapped)
        for side in standard {
            #expect(side.contains("✓ \(TLSConnection.replayedSignatureCheck)"))
        }
        #expect(standard[1].contains("✓ client's CertificateVerify signature (rsa_pss_rsae_sha256 (0x0804)) verifies with the certificate's key"))
        #expect(standard[0].contains("[client] ← CertificateRequest"))
    }

    @Test("§6: a replayed signature that does not sign this transcript is refused before it goes out")
    func wrongReplayRefused() throws {
        let profile = try RFC8448Profile(section: .clientAuthentication)
        var server = profile.serverConfiguration()
        var flipped = server.replayedCertificateVerify!
        flipped.signature[flipped.signature.count / 2] ^= 1
        server.replayedCertificateVerify = flipped
        let client = profile.clientConfiguration()
        #expect(throws: (any Error).self) {
            try TracedExchange.run(client: client, server: server, clientData: [], serverData: [], traces: [])
        }
    }

    @Test("§7: a 32-byte legacy_session_id echoed, and one change_cipher_spec record from each side, as the RFC prints them")
    func compatibilityMode() throws {
        let trace = try Self.reproduction(.compatibilityMode)
        #expect(trace.contains("{server}  send change_cipher_spec record:"))
        #expect(trace.contains("{client}  send change_cipher_spec record:"))
        #expect(trace.components(separatedBy: "complete record (6 octets):  14 03 03 00 01 01").count == 3)
    }

    /// The README's table, one row per section, from the comparison itself.
    static func readmeRows() throws -> [String] {
        try counts.map { section, _, _ in
            let comparison = try comparison(section)
            let octets = comparison.results.filter { ($0.expected.value.octets?.count ?? 0) > 0 }
            let equalOctets = octets.filter { if case .equal = $0.outcome { true } else { false } }.count
            return "| §\(section.rawValue) \(section.title) | `--rfc8448 \(section.rawValue)` | \(equalOctets)/\(octets.count) | \(comparison.equalCount)/\(comparison.results.count) |"
        }
    }

    @Test("README's RFC 8448 table is what the comparison gives, row for row")
    func readmeTable() throws {
        let readme = try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for row in try Self.readmeRows() {
            #expect(readme.contains(row), "README.md lacks the row:\n\(row)")
        }
    }
}
