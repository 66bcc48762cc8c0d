import Foundation
import Testing

/// Issue 12: `--step` in a classroom. Each tool runs on a terminal of its own (tmux); the test
/// answers every prompt with Enter and stays 15 s at one step, longer than the 10 s handshake
/// timeout a non-stepping side would grant. The handshake must still complete, the connection
/// close cleanly, and no Enter may leak into the connection as data.
@Suite("--step on a terminal: 15 s at one step, then a clean connection")
struct StepModeTests {
    static let pauseSeconds: UInt32 = 15

    /// The `--step` prompts written to the terminal so far, by the step they name.
    static func prompts(in log: String) -> [String] {
        log.components(separatedBy: "── next: ").dropFirst().map { $0.components(separatedBy: " — Enter").first ?? "" }
    }

    /// Presses Enter once for every prompt, waiting `pauseSeconds` first at the first prompt that
    /// names `pauseAt`; calls `wrapUp` once, when `readyToWrapUp` and no prompt has come for a
    /// while, until `finished`. Returns the prompts answered.
    static func answerPrompts(on terminal: TerminalSession, pauseAt: String, readyToWrapUp: () -> Bool,
                              wrapUp: () throws -> Void, finished: () -> Bool) throws -> [String] {
        var answered: [String] = []
        var paused = false, wrappedUp = false
        var lastPrompt = Date()
        let giveUp = Date().addingTimeInterval(150)
        while !finished() {
            guard Date() < giveUp else {
                throw ProcessFailure("\(terminal.name): not finished; prompts answered: \(answered)\nterminal: \(terminal.contents("terminal.log"))\nstdout: \(terminal.contents("out"))\nstderr: \(terminal.contents("err"))")
            }
            let prompts = prompts(in: terminal.contents("terminal.log"))
            if prompts.count > answered.count {
                let prompt = prompts[answered.count]
                if !paused, prompt.contains(pauseAt) {
                    paused = true
                    sleep(pauseSeconds)
                }
                try terminal.send("Enter")
                answered.append(prompt)
                lastPrompt = Date()
            } else if !wrappedUp, readyToWrapUp(), Date().timeIntervalSince(lastPrompt) > 1.5 {
                wrappedUp = true
                try wrapUp()
            }
            usleep(20_000)
        }
        return answered
    }

    @Test("tls13-server --step with its stdin on the terminal; the client waits with --handshake-timeout 60")
    func server() throws {
        let terminal = try TerminalSession("server", executable: "tls13-server", ["--step", "--once", "--port", "0", "--no-color"])
        defer { terminal.close() }
        var port: UInt16?
        let deadline = Date().addingTimeInterval(30)
        while port == nil, Date() < deadline {
            port = terminal.contents("err").split(separator: "\n").first { $0.hasPrefix("listening on ") }
                .flatMap { UInt16($0.split(separator: ":").last ?? "") }
            usleep(20_000)
        }
        let client = try ToolProcess.ours("tls13-client", ["--port", String(try #require(port)), "--handshake-timeout", "60"])
        let prompts = try Self.answerPrompts(on: terminal, pauseAt: "sign CertificateVerify",
                                             readyToWrapUp: { client.stdoutText.contains("handshake complete") },
                                             wrapUp: { try client.closeInput() }, finished: { terminal.status != nil })
        #expect(try client.waitForExit(seconds: 30) == 0, "client stderr: \(client.stderrText)")
        #expect(terminal.status == 0, "server stderr: \(terminal.contents("err"))")
        #expect(prompts.contains("sign CertificateVerify"))
        #expect(prompts.first == "read the peer's ClientHello")
        // The client waited out the pause and said why; not one Enter went out as data.
        #expect(client.stdoutText.contains("the server has sent nothing for"))
        #expect(!client.stdoutText.contains("← application data"))
        #expect(!terminal.contents("out").contains("→ application data"))
        #expect(terminal.contents("out").contains("[server] → alert close_notify"))
    }

    @Test("tls13-client --step with its stdin on the terminal; the server waits with --handshake-timeout 60")
    func client() throws {
        let server = try ToolProcess.ours("tls13-server", ["--once", "--port", "0", "--handshake-timeout", "60"])
        let port = try server.listeningPort()
        let terminal = try TerminalSession("client", executable: "tls13-client", ["--step", "--port", String(port), "--no-color"])
        defer { terminal.close() }
        let prompts = try Self.answerPrompts(on: terminal, pauseAt: "check the server Finished",
                                             readyToWrapUp: { terminal.contents("out").contains("handshake complete") },
                                             wrapUp: { try terminal.send("C-d") }, finished: { terminal.status != nil })
        #expect(terminal.status == 0, "client stderr: \(terminal.contents("err"))")
        #expect(try server.waitForExit(seconds: 30) == 0, "server stderr: \(server.stderrText)")
        #expect(prompts.first == "create an ephemeral X25519MLKEM768 key pair")
        #expect(prompts.contains("check the server Finished"))
        #expect(server.stdoutText.contains("the client has sent nothing for"))
        #expect(!server.stdoutText.contains("← application data"))
        #expect(!terminal.contents("out").contains("→ application data"))
    }

    @Test("tls13-demo --step: both sides wait for each other while the learner reads")
    func demo() throws {
        let terminal = try TerminalSession("demo", executable: "tls13-demo", ["--step", "--no-color"])
        defer { terminal.close() }
        let prompts = try Self.answerPrompts(on: terminal, pauseAt: "sign CertificateVerify", readyToWrapUp: { false },
                                             wrapUp: {}, finished: { terminal.status != nil })
        #expect(terminal.status == 0, "demo stderr: \(terminal.contents("err"))")
        #expect(prompts.contains("sign CertificateVerify"))
        let out = terminal.contents("out")
        #expect(out.contains("the server received \"Hello from the client!\\n\""))
        #expect(out.contains("both sides sent close_notify"))
        // Every step the page shows was announced by a prompt first.
        #expect(prompts.count == out.split(separator: "\n").filter { $0.hasPrefix("[client] ") || $0.hasPrefix("[server] ") }.count)
    }
}

