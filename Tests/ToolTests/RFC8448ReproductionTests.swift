import RFC8448Reader
import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

@Suite("RFC 8448 §3 reproduced by --rfc8448")
struct RFC8448ReproductionTests {
    static func rfcText() throws -> String { try ToolVectors.text("rfc/rfc8448.txt") }

    /// Both sides in rfc8448 mode, their traces on one page in RFC 8448's layout.
    static func reproduction() throws -> String {
        try RFC8448Profile().reproduce(traces: [TracedExchange.Trace(sides: [.client, .server], view: .rfc8448)]).traces[0]
    }

    @Test("RFC 8448 §3: every one of the RFC's 109 values (106 octet strings, the zero salt, two empty hashes) appears in our trace, equal")
    func everyValueEqual() throws {
        let comparison = try RFC8448Comparison(rfcText: Self.rfcText(), traceText: Self.reproduction())
        #expect(comparison.results.count == 109)
        let octetStrings = comparison.results.filter { ($0.expected.value.octets?.count ?? 0) > 0 }
        #expect(octetStrings.count == 106)
        #expect(comparison.allEqual, "\(comparison.report(colors: false))")
    }

    @Test("RFC 8448 §3: our trace has the RFC's steps, including each \"(same as ...)\" step, with the RFC's wording")
    func sameSteps() throws {
        let rfc = try RFC8448Trace(rfc8448Section3: Self.rfcText())
        let ours = try RFC8448Trace(parsing: Self.reproduction())
        let ourSteps = Set(ours.steps.map { "{\($0.side)}  \($0.title)" })
        let missing = rfc.steps.map { "{\($0.side)}  \($0.title)" }.filter { !ourSteps.contains($0) }
        #expect(missing.isEmpty, "steps of the RFC missing from ours: \(missing)")
    }

    @Test("RFC 8448 §3: values wrap exactly as the RFC wraps them (ClientHello, 196 octets)")
    func wrapping() throws {
        let rfcLines = try Self.rfcText().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let ours = try Self.reproduction().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(ours.firstIndex { $0.hasPrefix("      ClientHello (196 octets):") })
        let rfcStart = try #require(rfcLines.firstIndex { $0.hasPrefix("      ClientHello (196 octets):") })
        #expect(Array(ours[start..<(start + 10)]) == Array(rfcLines[rfcStart..<(rfcStart + 10)]))
    }

    @Test("RFC 8448 §3: the exchange ends with both sides holding the other's 50 bytes")
    func applicationData() throws {
        let profile = try RFC8448Profile()
        let output = try profile.reproduce(traces: [])
        #expect(output.serverReceived == profile.clientApplicationData)
        #expect(output.clientReceived == profile.serverApplicationData)
        #expect(profile.clientApplicationData == Array(0..<50))
    }

    /// Hands out fixed bytes as "random" ones, for a PSS salt.
    final class FixedBytes: RandomSource {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func fill(_ buffer: UnsafeMutableRawBufferPointer) throws { buffer.copyBytes(from: bytes.prefix(buffer.count)) }
    }

    @Test("RFC 8448 §3: the salt recovered from the RFC's CertificateVerify, with §2's key, signs the RFC's transcript to the RFC's signature")
    func recoveredSalt() throws {
        let rfc = try RFC8448Trace(rfc8448Section3: Self.rfcText())
        func message(_ name: String) throws -> [UInt8] {
            let article = "AEIOU".contains(name.prefix(1)) ? "an" : "a"
            let step = "construct \(article) \(name) handshake message"
            return try #require(rfc.entries.first { $0.step == step && $0.label == name }?.value.octets)
        }
        let profile = try RFC8448Profile()
        #expect(profile.signatureSalt.count == 32)
        // RFC 8446 §4.4.3: 64 spaces, the context string, 0, Transcript-Hash(ClientHello … Certificate).
        let transcript = try ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate"].flatMap(message)
        let content = [UInt8](repeating: 0x20, count: 64) + Array("TLS 1.3, server CertificateVerify".utf8) + [0]
            + SHA256.hash(transcript)
        let signature = try profile.serverKey.signPSS(content, hash: SHA256.self, saltSource: FixedBytes(profile.signatureSalt))
        // CertificateVerify: header (4), algorithm (2), signature length (2), signature.
        #expect(signature == Array(try message("CertificateVerify").dropFirst(8)))
    }

    @Test("PSS salt recovery: reads back the salt of a signature we made, and refuses a damaged signature")
    func saltRecoveryRoundTrip() throws {
        let profile = try RFC8448Profile()
        let salt = Array(UInt8(1)...UInt8(32))
        let signature = try profile.serverKey.signPSS(Array("message".utf8), hash: SHA256.self, saltSource: FixedBytes(salt))
        #expect(try PSSSaltRecovery.salt(of: signature, key: profile.serverKey.publicKey, hash: SHA256.self, saltLength: 32) == salt)
        var flipped = signature
        flipped[10] ^= 1
        #expect(throws: PSSSaltRecovery.Failure.self) {
            try PSSSaltRecovery.salt(of: flipped, key: profile.serverKey.publicKey, hash: SHA256.self, saltLength: 32)
        }
    }

    @Test("RFC 8448 §2/§3: the embedded inputs equal the RFC's text")
    func embeddedInputs() throws {
        let rfc = try RFC8448Trace(rfc8448Section3: Self.rfcText())
        func value(_ side: Side, _ step: String, _ label: String, index: Int = 0) throws -> [UInt8] {
            let found = rfc.entries.filter { $0.side == side && $0.step == step && $0.label == label }
            return try #require(found.dropFirst(index).first?.value.octets)
        }
        let profile = try RFC8448Profile()
        let client = profile.clientConfiguration()
        let server = profile.serverConfiguration()
        #expect(client.keySharePrivateKey == (try value(.client, "create an ephemeral x25519 key pair", "private key")))
        #expect(server.keySharePrivateKey == (try value(.server, "create an ephemeral x25519 key pair", "private key")))
        let serverHello = try value(.server, "construct a ServerHello handshake message", "ServerHello")
        #expect(server.helloRandom == Array(serverHello[6..<38]))
        let certificateMessage = try value(.server, "construct a Certificate handshake message", "Certificate")
        #expect(certificateMessage.count == 445)
        // Certificate: header (4), context length (1), list length (3), entry length (3), DER.
        #expect(profile.certificate == Array(certificateMessage[11..<(11 + profile.certificate.count)]))
        #expect(profile.clientApplicationData == (try value(.client, "send application_data record", "payload")))
        #expect(profile.serverApplicationData == (try value(.server, "send application_data record", "payload")))
        // §2's modulus is the certificate's key.
        #expect(try Certificate(der: profile.certificate).publicKey == profile.serverKey.publicKey)
    }
}

/// The RFC 8448 mode of the built executables, over loopback.
@Suite("RFC 8448 mode of the executables")
struct RFC8448ExecutableTests {
    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
    }

    @Test("tls13-server --rfc8448 and tls13-client --rfc8448 over loopback print, between them, all of RFC 8448 §3 (tls13-compare exits 0); the server's --capture is the RFC's records")
    func overLoopback() throws {
        let capture = Self.temporaryFile("rfc8448-server-capture")
        defer { try? FileManager.default.removeItem(atPath: capture) }
        let server = try ToolProcess.ours("tls13-server", ["--rfc8448", "--port", "0", "--capture", capture])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--rfc8448", "--port", "\(port)"])
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(client.stderrText.contains("pinned"))
        // The server's --capture holds the records of the in-memory reproduction, byte for byte.
        let expected = try RFC8448Profile().reproduce(traces: [], capture: TCPCapture(serverPort: port)).pcapng
        #expect(FileManager.default.contents(atPath: capture).map(Array.init) == expected)
        let both = Self.temporaryFile("rfc8448-both")
        defer { try? FileManager.default.removeItem(atPath: both) }
        try Data((client.stdoutText + server.stdoutText).utf8).write(to: URL(fileURLWithPath: both))
        let compare = try ToolProcess.ours("tls13-compare", [both])
        #expect(try compare.waitForExit() == 0, "\(compare.stdoutText)")
        #expect(compare.stdoutText.contains("109 of 109 values equal"))
    }

    @Test("tls13-demo --rfc8448 prints both sides on one page; tls13-compare exits 0 on it, 1 on a damaged copy")
    func demoAndCompare() throws {
        let demo = try ToolProcess.ours("tls13-demo", ["--rfc8448"])
        #expect(try demo.waitForExit() == 0, "\(demo.stderrText)")
        let ours = Self.temporaryFile("rfc8448-demo")
        defer { try? FileManager.default.removeItem(atPath: ours) }
        try demo.stdout.write(to: URL(fileURLWithPath: ours))
        let compare = try ToolProcess.ours("tls13-compare", [ours])
        #expect(try compare.waitForExit() == 0, "\(compare.stdoutText)")

        // The same text with one byte of the server's Finished changed must fail.
        let damaged = demo.stdoutText.replacingOccurrences(of: "finished (32 octets):  9b 9b", with: "finished (32 octets):  9b 9c")
        #expect(damaged != demo.stdoutText)
        try Data(damaged.utf8).write(to: URL(fileURLWithPath: ours))
        let failing = try ToolProcess.ours("tls13-compare", [ours])
        #expect(try failing.waitForExit() == 1)
    }
}
