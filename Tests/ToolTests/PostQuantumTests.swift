import Foundation
import Testing
import TLS13
import TLSTool

/// Issue 17: the hybrid X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem) with real peers over
/// loopback: tlslite-ng (whose ML-KEM is kyber-py's) and our own tools; and a server without
/// post-quantum support answering our two key shares without a HelloRetryRequest.
@Suite("X25519MLKEM768 over loopback")
struct PostQuantumTests {
    static let tlslite = "tlslite-ng 0.9.0b2 and kyber-py (PyPI, in $TLSFUZZER_VENV)"

    @Test("our default client ↔ tlslite-ng tls.py server --groups x25519mlkem768: the hybrid is negotiated, data both ways")
    func tlsliteServer() throws {
        let port = try InteropTests.freePort()
        let server = try InteropTests.peer("tls.py", package: Self.tlslite, [
            "server", "-k", "cert/server.key", "-c", "cert/server.crt", "--echo", "--groups", "x25519mlkem768", "127.0.0.1:\(port)",
        ])
        defer { server.terminate() }
        try InteropTests.waitUntilListening(port, server)
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--no-color"])
        try client.write("post-quantum hello\n")
        try client.waitFor("the echo") { $0.stdoutText.contains("│ post-quantum hello") }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(client.stdoutText.contains("✓ server's key share is for X25519MLKEM768, one of the groups we offered"),
                "\(client.stdoutText.prefix(4000))")
        #expect(client.stdoutText.contains("ML-KEM ct  1088 octets") || client.stdoutText.contains("key_exchange: 1120 bytes"))
    }

    @Test("our default client ↔ our default server: X25519MLKEM768, and the server's trace explains the hybrid secret")
    func ourServerDefault() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--no-color"])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write("ping\n")
        try client.waitFor("the echo") { $0.stdoutText == "ping\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(server.stdoutText.contains("✓ client sent an X25519MLKEM768 key share"))
        #expect(server.stdoutText.contains("HKDF-Extract is ML-KEM's 32 bytes ‖ X25519's 32"))
    }

    @Test("our default client ↔ openssl s_server (OpenSSL 3.0: no ML-KEM): x25519 from our second share, no HelloRetryRequest")
    func classicServer() throws {
        guard ToolProcess.opensslURL != nil else { throw P256InteropFailure("openssl is not installed (.ci/run installs it)") }
        let server = try ToolProcess.openssl(["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-tls1_3",
                                              "-cert", "cert/server.crt", "-key", "cert/server.key"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--no-color"])
        try client.write("classic\n")
        try server.waitFor("our line") { $0.stdoutText.contains("classic\n") }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(client.stdoutText.contains("two key shares, as browsers send them"))
        #expect(client.stdoutText.contains("✓ server's key share is for x25519, one of the groups we offered"))
        #expect(!client.stdoutText.contains("ClientHello1 becomes message_hash"))
    }
}
