import Foundation
import Testing
import TLSTool

/// Issue 15 over real loopback sockets, our two executables: compatibility mode on and off
/// (RFC 8446 Appendix D.4), `/keyupdate` typed on either side (§4.6.3, §7.2) and `/auth` typed
/// on the server (§4.6.2).
@Suite("Chat commands and compatibility mode over loopback")
struct ChatCommandsTests {
    /// A server for one connection that echoes, and a connected client: both traces in full.
    struct Pair {
        let server: ToolProcess
        let client: ToolProcess

        init(server serverArguments: [String] = [], client clientArguments: [String] = []) throws {
            server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--no-color", "--deterministic"] + serverArguments,
                                          environment: ["COLUMNS": "200"])
            let port = try server.listeningPort()
            client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--no-color", "--deterministic"] + clientArguments,
                                          environment: ["COLUMNS": "200"])
            try client.waitFor("the handshake") { $0.stdoutText.contains("handshake complete") || !$0.isRunning }
        }

        /// Sends `line` from the client and waits for the server's echo of it.
        func roundTrip(_ line: String) throws {
            let echoes = client.stdoutText.components(separatedBy: "│ \(line)").count
            try client.write(line + "\n")
            try client.waitFor("the echo of \(line)") { $0.stdoutText.components(separatedBy: "│ \(line)").count >= echoes + 2 || !$0.isRunning }
        }

        func finish() throws -> (server: Int32, client: Int32) {
            try client.closeInput()
            let clientStatus = try client.waitForExit()
            let serverStatus = try server.waitForExit()
            return (serverStatus, clientStatus)
        }
    }

    @Test("compatibility mode, the default: a 32-byte legacy_session_id echoed, and one dummy change_cipher_spec from each side")
    func compatibilityMode() throws {
        let pair = try Pair()
        defer { pair.client.terminate(); pair.server.terminate() }
        try pair.roundTrip("hello")
        let status = try pair.finish()
        #expect(status.server == 0 && status.client == 0, "\(pair.server.stderrText)\(pair.client.stderrText)")
        for process in [pair.client, pair.server] {
            let trace = process.stdoutText
            #expect(trace.contains("legacy_session_id: 32 bytes"), "\(process.name)")
            #expect(trace.components(separatedBy: "record sent: change_cipher_spec (20), 6 bytes").count == 2)
            #expect(trace.contains("· a dummy record for middlebox compatibility mode (RFC 8446 Appendix D.4)"))
            #expect(trace.contains("ignored, as RFC 8446 §5 allows for middlebox compatibility"))
        }
        #expect(pair.client.stdoutText.contains("✓ ServerHello echoes our legacy_session_id"))
    }

    @Test("--no-compat: an empty legacy_session_id, and no change_cipher_spec from either side")
    func withoutCompatibilityMode() throws {
        let pair = try Pair(client: ["--no-compat", "--explain"])
        defer { pair.client.terminate(); pair.server.terminate() }
        try pair.roundTrip("hello")
        let status = try pair.finish()
        #expect(status.server == 0 && status.client == 0, "\(pair.server.stderrText)\(pair.client.stderrText)")
        for process in [pair.client, pair.server] {
            #expect(process.stdoutText.contains("legacy_session_id: (empty)"), "\(process.name)")
            #expect(!process.stdoutText.contains("change_cipher_spec (20)"), "\(process.name)")
        }
    }

    @Test("--explain says what a middlebox sees in compatibility mode")
    func explainedCompatibility() throws {
        let pair = try Pair(client: ["--explain"])
        defer { pair.client.terminate(); pair.server.terminate() }
        _ = try pair.finish()
        #expect(pair.client.stdoutText.unwrapped.contains("why: A middlebox that only knows TLS 1.2 sees a ClientHello with a session id"))
    }

    @Test("/keyupdate on the client: its sending key and then the server's move to generation 1; data keeps flowing")
    func clientKeyUpdate() throws {
        let pair = try Pair()
        defer { pair.client.terminate(); pair.server.terminate() }
        try pair.roundTrip("before")
        try pair.client.write("/keyupdate\n")
        try pair.roundTrip("after")
        let status = try pair.finish()
        #expect(status.server == 0 && status.client == 0, "\(pair.server.stderrText)\(pair.client.stderrText)")
        let client = pair.client.stdoutText, server = pair.server.stdoutText
        #expect(client.contains("[client] → KeyUpdate"))
        #expect(client.contains("request_update: update_requested (1)"))
        #expect(client.contains("update the client application traffic secret (our sending key) to generation 1"))
        #expect(client.contains("client_application_traffic_secret_1 = HKDF-Expand-Label(client_application_traffic_secret_0, \"traffic upd\", \"\", Hash.length)"))
        #expect(client.contains("[client] ← KeyUpdate"))
        #expect(client.contains("request_update: update_not_requested (0)"))
        #expect(client.contains("update the server application traffic secret (our receiving key) to generation 1"))
        #expect(server.contains("update the client application traffic secret (our receiving key) to generation 1"))
        #expect(server.contains("update the server application traffic secret (our sending key) to generation 1"))
        #expect(!client.contains("│ /keyupdate") && !server.contains("│ /keyupdate"), "a command never goes out as data")
        // Both sides derive the same next secret: compare the client's and the server's values.
        func secrets(_ trace: String, _ usage: String) -> [String] {
            trace.components(separatedBy: "\(usage)_application_traffic_secret_1 = ").dropFirst().map {
                String($0.split(separator: "\n").first { $0.contains("secret") && $0.contains("octets") } ?? "")
            }
        }
        #expect(secrets(client, "client").first == secrets(server, "client").first && secrets(client, "client").first != nil)
        #expect(secrets(client, "server").first == secrets(server, "server").first && secrets(client, "server").first != nil)
    }

    @Test("/keyupdate on the server's stdin reaches every client; the echo still works after it")
    func serverKeyUpdate() throws {
        let pair = try Pair()
        defer { pair.client.terminate(); pair.server.terminate() }
        try pair.roundTrip("before")
        try pair.server.write("/keyupdate\n")
        try pair.client.waitFor("the server's KeyUpdate") { $0.stdoutText.contains("client_application_traffic_secret_1 = ") }
        try pair.roundTrip("after")
        let status = try pair.finish()
        #expect(status.server == 0 && status.client == 0, "\(pair.server.stderrText)\(pair.client.stderrText)")
        #expect(pair.server.stdoutText.contains("[server] → KeyUpdate"))
        #expect(pair.client.stdoutText.contains("[client] ← KeyUpdate"))
    }

    @Test("/auth on the server's stdin: post-handshake CertificateRequest, the client's certificate checked, data keeps flowing")
    func postHandshakeAuthentication() throws {
        let pair = try Pair(server: ["--request-client-cert", "cert/ca.crt"], client: ["--cert", "cert/client.crt", "--key", "cert/client.key"])
        defer { pair.client.terminate(); pair.server.terminate() }
        try pair.roundTrip("before")
        try pair.server.write("/auth\n")
        try pair.server.waitFor("the client's answer") { $0.stdoutText.contains("client's CertificateVerify signature") || !$0.isRunning }
        try pair.roundTrip("after")
        let status = try pair.finish()
        #expect(status.server == 0 && status.client == 0, "\(pair.server.stderrText)\(pair.client.stderrText)")
        let server = pair.server.stdoutText.unwrapped, client = pair.client.stdoutText.unwrapped
        #expect(client.contains("post_handshake_auth"))
        #expect(server.contains("post-handshake authentication (RFC 8446 §4.6.2): asking the client for a certificate"))
        #expect(client.contains("[client] ← CertificateRequest"))
        #expect(server.contains("· the client's certificate: \"CN=tls13-swift client, O=tls13-swift teaching PKI\""))
        #expect(server.contains("✓ client's CertificateVerify signature"))
    }

    @Test("/auth to a client that did not offer post_handshake_auth: refused on the server, nothing sent")
    func authWithoutOffer() throws {
        let pair = try Pair(server: ["--request-client-cert", "cert/ca.crt"])
        defer { pair.client.terminate(); pair.server.terminate() }
        try pair.roundTrip("before")
        try pair.server.write("/auth\n")
        try pair.server.waitFor("the refusal") { $0.stderrText.contains("/auth:") || !$0.isRunning }
        try pair.roundTrip("after")
        let status = try pair.finish()
        #expect(status.server == 0 && status.client == 0, "\(pair.server.stderrText)\(pair.client.stderrText)")
        #expect(pair.client.stdoutText.components(separatedBy: "[client] ← CertificateRequest").count == 2, "only the handshake's request")
    }
}
