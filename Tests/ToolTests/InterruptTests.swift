import Foundation
import Testing

/// Issue 12, "Diagnosable failures": Ctrl-C sends close_notify (RFC 8446 §6.1), then exits with
/// 130 (128 + SIGINT, what a shell reports for an interrupted program).
@Suite("Ctrl-C says goodbye")
struct InterruptTests {
    @Test("Ctrl-C on the client: close_notify goes out, the server answers and closes cleanly")
    func clientInterrupted() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once"])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)"])
        try server.waitFor("the handshake") { $0.stdoutText.contains("[server] ← Finished") }
        try server.write("hello\n")
        try client.waitFor("the server's line") { $0.stdoutText.contains("│ hello") }
        client.interrupt()
        #expect(try client.waitForExit() == 130, "\(client.stderrText)")
        #expect(client.stderrText.contains("interrupted (Ctrl-C): sending close_notify"))
        #expect(client.stdoutText.contains("[client] → alert close_notify"), "our close_notify is traced")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(server.stderrText.contains("connection #1 closed cleanly"), "\(server.stderrText)")
        #expect(server.stdoutText.contains("[server] ← alert close_notify"))
    }

    @Test("Ctrl-C on the server: every client in conversation gets close_notify; the server exits 130")
    func serverInterrupted() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0"])
        let port = try server.listeningPort()
        let first = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        let second = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try server.waitFor("both handshakes") {
            $0.stdoutText.contains("[server] ← Finished") && $0.stdoutText.contains("[server #2] ← Finished")
        }
        try server.write("to both\n")
        try first.waitFor("the broadcast") { $0.stdoutText == "to both\n" }
        try second.waitFor("the broadcast") { $0.stdoutText == "to both\n" }
        server.interrupt()
        #expect(try server.waitForExit() == 130, "\(server.stderrText)")
        #expect(server.stderrText.contains("interrupted (Ctrl-C): sending close_notify to 2 connected clients"), "\(server.stderrText)")
        #expect(server.stderrText.contains("connection #1 closed cleanly"), "\(server.stderrText)")
        #expect(server.stderrText.contains("connection #2 closed cleanly"), "\(server.stderrText)")
        // A client whose server said goodbye answers it and ends normally.
        #expect(try first.waitForExit() == 0, "\(first.stderrText)")
        #expect(try second.waitForExit() == 0, "\(second.stderrText)")
    }
}
