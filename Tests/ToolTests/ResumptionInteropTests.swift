import Foundation
import Testing

/// Issue 14, "Done means", over real loopback sockets: OpenSSL resuming with our server (and its
/// 0-RTT data echoed), our client resuming with OpenSSL's server (and its 0-RTT data arriving),
/// our two tools with each other, and a session file that cannot be used.
@Suite("Resumption and 0-RTT over loopback")
struct ResumptionInteropTests {
    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("tls13-resume-\(getpid())-\(name)").path
    }

    /// openssl s_client with `arguments`, one line typed, its output once the echo came back.
    func opensslClient(port: UInt16, _ arguments: [String], line: String) throws -> ToolProcess {
        let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3", "-CAfile", "cert/ca.crt",
                                              "-servername", "localhost"] + arguments)
        try client.write(line + "\n")
        _ = try? client.waitFor("the echo", seconds: 5) { $0.stdoutText.contains("\n\(line)\n") || !$0.isRunning }
        // s_client reads the tickets after the handshake; give them a moment before we quit.
        usleep(200_000)
        try client.closeInput()
        _ = try client.waitForExit()
        return client
    }

    @Test("openssl s_client -sess_out, then -sess_in -early_data against tls13-server --early-data: Reused, and the early data echoed")
    func opensslResumesWithUs() throws {
        try P256InteropTests.requireOpenSSL()
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--echo", "--early-data", "16384", "--no-color"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let session = Self.temporary("openssl.sess"), early = Self.temporary("early.txt")
        defer { try? FileManager.default.removeItem(atPath: session); try? FileManager.default.removeItem(atPath: early) }
        let first = try opensslClient(port: port, ["-sess_out", session], line: "first")
        #expect(first.stdoutText.contains("New, TLSv1.3"), "\(first.stdoutText)")
        try "zero round trips\n".write(toFile: early, atomically: true, encoding: .utf8)
        let second = try opensslClient(port: port, ["-sess_in", session, "-early_data", early], line: "second")
        #expect(second.stdoutText.contains("Reused, TLSv1.3"), "\(second.stdoutText)")
        #expect(second.stdoutText.contains("Early data was accepted"), "\(second.stdoutText)")
        #expect(second.stdoutText.contains("zero round trips\n"), "the early data comes back in the echo")
        let trace = server.stdoutText.unwrapped
        #expect(trace.contains("✓ binder 0 proves the client holds the ticket's PSK"))
        #expect(trace.contains("← 0-RTT early data, 17 bytes"))
        #expect(trace.contains("handshake complete (resumed)"))
    }

    @Test("tls13-client --sess-out, then --sess-in --early-data against openssl s_server -early_data: resumed, and OpenSSL reads the early data")
    func weResumeWithOpenSSL() throws {
        try P256InteropTests.requireOpenSSL()
        let server = try ToolProcess.openssl(["s_server", "-accept", "127.0.0.1:0", "-tls1_3", "-cert", "cert/server.crt",
                                              "-key", "cert/server.key", "-early_data", "-naccept", "2"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let session = Self.temporary("ours.sess"), early = Self.temporary("ours-early.txt")
        defer { try? FileManager.default.removeItem(atPath: session); try? FileManager.default.removeItem(atPath: early) }
        let first = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--sess-out", session, "--no-color"])
        try first.write("one\n")
        try server.waitFor("our first line") { $0.stdoutText.contains("one\n") }
        try first.closeInput()
        #expect(try first.waitForExit() == 0, "\(first.stderrText)")
        let saved = try String(contentsOfFile: session, encoding: .utf8)
        #expect(saved.hasPrefix("# TLS 1.3 session"))
        try "EARLY BIRD\n".write(toFile: early, atomically: true, encoding: .utf8)
        let second = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--sess-in", session, "--early-data", early, "--no-color"])
        try second.write("two\n")
        try server.waitFor("our second line") { $0.stdoutText.contains("two\n") }
        try second.closeInput()
        #expect(try second.waitForExit() == 0, "\(second.stderrText)")
        let trace = second.stdoutText.unwrapped
        #expect(trace.contains("✓ server accepts our ticket (pre_shared_key selected_identity 0)"))
        #expect(trace.contains("✓ server accepts our 0-RTT early data"))
        #expect(trace.contains("[client] → EndOfEarlyData"))
        #expect(server.stdoutText.contains("Early data received:") && server.stdoutText.contains("EARLY BIRD"), "\(server.stdoutText)")
        #expect(server.stdoutText.contains("Reused session-id"), "\(server.stdoutText)")
    }

    @Test("our client and server: a ticket without 0-RTT allowance sends the early data after the handshake, nothing lost")
    func earlyDataWithoutAllowance() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--echo", "--no-color"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let session = Self.temporary("plain.sess"), early = Self.temporary("plain-early.txt")
        defer { try? FileManager.default.removeItem(atPath: session); try? FileManager.default.removeItem(atPath: early) }
        let first = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--sess-out", session, "--quiet"])
        try first.write("hello\n")
        try first.waitFor("the echo") { $0.stdoutText == "hello\n" }
        try first.closeInput()
        #expect(try first.waitForExit() == 0)
        try "not early after all\n".write(toFile: early, atomically: true, encoding: .utf8)
        let second = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--sess-in", session, "--early-data", early, "--quiet"])
        try second.waitFor("the echo") { $0.stdoutText == "not early after all\n" }
        try second.closeInput()
        #expect(try second.waitForExit() == 0)
        #expect(second.stderrText.contains("the 0-RTT data was not accepted as early data: sending its 20 bytes now"))
        #expect(server.stdoutText.unwrapped.contains("handshake complete (resumed)"))
    }

    @Test("a damaged session file is reported and a full handshake follows (exit 0)")
    func damagedSessionFile() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--no-color"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let session = Self.temporary("damaged.sess")
        defer { try? FileManager.default.removeItem(atPath: session) }
        try "cipher_suite: 1301\npsk: not hex\n".write(toFile: session, atomically: true, encoding: .utf8)
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--sess-in", session, "--quiet"])
        try client.write("still works\n")
        try client.waitFor("the echo") { $0.stdoutText == "still works\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0)
        #expect(client.stderrText.contains("--sess-in \(session): not a session file"), "\(client.stderrText)")
        #expect(server.stdoutText.unwrapped.contains("handshake complete\n") || server.stdoutText.contains("[server] handshake complete ─"))
    }

    @Test("--ticket-key FILE is created with mode 0600, and a second server with the same file resumes the first one's sessions")
    func sharedTicketKey() throws {
        let keyFile = Self.temporary("ticket.key"), session = Self.temporary("shared.sess")
        defer { try? FileManager.default.removeItem(atPath: keyFile); try? FileManager.default.removeItem(atPath: session) }
        let one = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--ticket-key", keyFile, "--quiet"])
        defer { one.terminate() }
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(try one.listeningPort())", "--sess-out", session, "--quiet"])
        try client.write("a\n")
        try client.waitFor("the echo") { $0.stdoutText == "a\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let two = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--ticket-key", keyFile, "--no-color"])
        defer { two.terminate() }
        let again = try ToolProcess.ours("tls13-client", ["--port", "\(try two.listeningPort())", "--sess-in", session, "--quiet"])
        try again.write("b\n")
        try again.waitFor("the echo") { $0.stdoutText == "b\n" }
        try again.closeInput()
        #expect(try again.waitForExit() == 0)
        #expect(two.stdoutText.unwrapped.contains("handshake complete (resumed)"))
    }
}
