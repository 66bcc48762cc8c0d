import Foundation
import Testing
import TLSTool

/// transcripts/ holds what the code prints; docs quote it, so it must never go stale.
@Suite("Committed transcripts")
struct TranscriptsTests {
    static let directory = ToolProcess.repositoryRoot.appendingPathComponent("transcripts")

    static func locate(_ relativePath: String) -> String {
        ToolProcess.repositoryRoot.appendingPathComponent(relativePath).path
    }

    @Test("transcripts/ is exactly what the code prints now (else run Scripts/regenerate-transcripts.sh)")
    func upToDate() throws {
        let files = try Transcripts.files(locate: Self.locate)
        #expect(files.count == 56)
        for file in files {
            let committed = FileManager.default.contents(atPath: Self.directory.appendingPathComponent(file.name).path)
            #expect(committed.map(Array.init) == file.contents,
                    "transcripts/\(file.name) differs from what the code prints now: run Scripts/regenerate-transcripts.sh and commit the result")
        }
    }

    @Test("Two generations of the transcripts are byte-identical")
    func deterministic() throws {
        #expect(try Transcripts.files(locate: Self.locate) == (try Transcripts.files(locate: Self.locate)))
    }

    @Test("transcripts/rfc8448.txt holds all 109 values of RFC 8448 §3, equal")
    func rfc8448TranscriptMatchesRFC() throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent("rfc8448.txt"), encoding: .utf8)
        let comparison = try RFC8448Comparison(rfcText: ToolVectors.text("rfc/rfc8448.txt"), traceText: text)
        #expect(comparison.allEqual, "\(comparison.summary)")
    }

    static let tsharkURL: URL? = ["/usr/bin/tshark", "/usr/local/bin/tshark"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }

    /// tshark's decryption of a capture: the handshake types it decrypted and the application
    /// data plaintext, one hex string per record. Only the key log inside the file is available.
    static func tshark(_ name: String) throws -> (handshakeTypes: Set<Int>, applicationData: [String]) {
        let url = try #require(tsharkURL)
        let process = try ToolProcess(url, ["-r", directory.appendingPathComponent(name).path, "-T", "fields",
                                            "-e", "tls.handshake.type", "-e", "data.data"], name: "tshark")
        #expect(try process.waitForExit(seconds: 60) == 0, "\(process.stderrText)")
        var types = Set<Int>()
        var data: [String] = []
        for line in process.stdoutText.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            types.formUnion(fields[0].split(separator: ",").compactMap { Int($0) })
            if fields.count > 1, !fields[1].isEmpty { data += fields[1].split(separator: ",").map(String.init) }
        }
        return (types, data)
    }

    static func hex(_ text: String) -> String { Array(text.utf8).map { String(format: "%02x", $0) }.joined() }

    @Test("tshark decrypts transcripts/deterministic.pcapng with its embedded key log: every handshake message, both messages",
          .enabled(if: tsharkURL != nil, "tshark is not installed (Debian package tshark)"))
    func deterministicCapture() throws {
        let decrypted = try Self.tshark("deterministic.pcapng")
        // ClientHello, ServerHello in the clear; EncryptedExtensions, Certificate, CertificateVerify,
        // Finished and the two NewSessionTickets only after decryption.
        #expect(decrypted.handshakeTypes == [1, 2, 4, 8, 11, 15, 20])
        #expect(decrypted.applicationData == [Self.hex(Transcripts.clientMessage), Self.hex(Transcripts.serverMessage)])
    }

    @Test("tshark decrypts transcripts/resumed.pcapng: the 0-RTT data with the early key, EndOfEarlyData, no Certificate",
          .enabled(if: tsharkURL != nil, "tshark is not installed (Debian package tshark)"))
    func resumedCapture() throws {
        let decrypted = try Self.tshark("resumed.pcapng")
        // No Certificate (11) or CertificateVerify (15): the PSK authenticates; EndOfEarlyData (5).
        #expect(decrypted.handshakeTypes == [1, 2, 4, 5, 8, 20])
        #expect(decrypted.applicationData.first == Self.hex(Transcripts.resumptionEarlyData), "the early data, decrypted with CLIENT_EARLY_TRAFFIC_SECRET")
    }

    @Test("tshark decrypts transcripts/rfc8448.pcapng: RFC 8448's messages, its ticket and its 50 bytes each way",
          .enabled(if: tsharkURL != nil, "tshark is not installed (Debian package tshark)"))
    func rfc8448Capture() throws {
        let decrypted = try Self.tshark("rfc8448.pcapng")
        #expect(decrypted.handshakeTypes == [1, 2, 4, 8, 11, 15, 20])
        let fifty = (0..<50).map { String(format: "%02x", $0) }.joined()
        #expect(decrypted.applicationData == [fifty, fifty])
    }
}

/// The committed transcripts are what the executables print, not only what the in-memory run
/// prints: a real --deterministic connection over loopback gives the same two traces.
@Suite("Transcripts match the executables")
struct TranscriptsMatchExecutablesTests {
    static func committed(_ name: String) throws -> String {
        try String(contentsOf: TranscriptsTests.directory.appendingPathComponent(name), encoding: .utf8)
    }

    @Test("tls13-server and tls13-client --deterministic over loopback print transcripts/deterministic-{client,server}.txt byte for byte",
          arguments: [TraceView.standard, .rfc8448])
    func deterministicConnection(view: TraceView) throws {
        let suffix = view == .standard ? ".txt" : ".rfc8448.txt"
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--deterministic", "--trace", view.rawValue])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--deterministic", "--trace", view.rawValue])
        // The exchange of the transcripts, one step at a time: client data, server data, then the
        // client's close_notify (end of its stdin), answered by the server's. The RFC 8448 view
        // shows only what a side sends, so there it is enough that the server has taken the
        // connection before its line is typed, and has sent that line before the client closes.
        // The server's two tickets first, as in the transcripts (each derives its resumption secret).
        try client.waitFor("both tickets") { $0.stdoutText.components(separatedBy: "resumption\"").count == 3 }
        try client.write(Transcripts.clientMessage)
        try server.waitFor("the client's message") { server in
            server.stdoutText.contains(view == .standard ? "Hello from the client!" : "send handshake record")
        }
        try server.write(Transcripts.serverMessage)
        if view == .standard {
            try client.waitFor("the server's message") { $0.stdoutText.contains("Hello from the server!") }
        } else {
            try server.waitFor("the server's message sent") { $0.stdoutText.contains("send application_data record") }
        }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(client.stdoutText == (try Self.committed("deterministic-client" + suffix)))
        #expect(server.stdoutText == (try Self.committed("deterministic-server" + suffix)))
    }
}
