import Foundation
import Testing

/// Issue 3, "Proof": the key log our tools write decrypts a real capture of our own connection.
/// tshark captures the loopback traffic of one client/server chat while it happens; afterwards
/// tshark reads that capture with nothing but our --keylog file and must show the encrypted
/// handshake messages and the application data in clear.
@Suite("Live capture decrypted with our key log")
struct LiveCaptureTests {
    static let tsharkURL: URL? = ["/usr/bin/tshark", "/usr/local/bin/tshark"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }
    static var tsharkMissing: Bool { tsharkURL == nil }

    /// Capturing needs the right to open the loopback interface (root or CAP_NET_RAW);
    /// `tshark -D` lists only the interfaces we may capture on.
    static var cannotCaptureLoopback: Bool {
        guard let tshark = tsharkURL, let process = try? ToolProcess(tshark, ["-D"], name: "tshark -D"),
              (try? process.waitForExit(seconds: 30)) == 0 else { return true }
        return !process.stdoutText.split(separator: "\n").contains { $0.contains(". lo") }
    }

    @Test("tshark decrypts a loopback capture of tls13-client ↔ tls13-server using only our --keylog",
          .disabled(if: tsharkMissing, "tshark is not installed (.ci/run installs it)"),
          .disabled(if: cannotCaptureLoopback, "tshark may not capture on the loopback interface here (needs root or CAP_NET_RAW)"))
    func liveCaptureDecrypts() throws {
        guard let tshark = Self.tsharkURL else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyLog = directory.appendingPathComponent("keylog.txt").path
        let capture = directory.appendingPathComponent("live.pcapng").path

        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet", "--keylog", keyLog])
        let port = try server.listeningPort()
        // The capture stops by itself (-a duration): a signal could be blocked in a process the
        // test runner spawned, an autostop cannot.
        let capturer = try ToolProcess(tshark, ["-i", "lo", "-f", "tcp port \(port)", "-a", "duration:3", "-w", capture],
                                       name: "tshark capture")
        try capturer.waitFor("capture start") { $0.stderrText.contains("Capturing on") }
        // dumpcap announces itself a moment before its filter is live on the interface.
        usleep(1_000_000)

        let clientLine = "a secret the capture must not show without the key log\n"
        let serverLine = "and the server's answer, decrypted as well\n"
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write(clientLine)
        try server.waitFor("the client's line") { $0.stdoutText == clientLine }
        try server.write(serverLine)
        try client.waitFor("the server's line") { $0.stdoutText == serverLine }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")

        try capturer.waitForExit(seconds: 15)

        // Without the key log: nothing but opaque application_data records.
        let blind = try Self.run(tshark, ["-r", capture, "-o", "tls.keylog_file:", "-Y", "tls.handshake.type == 11"])
        #expect(blind.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
                "the Certificate must be invisible without keys: \(blind)")

        // With our key log: every handshake message and both application-data plaintexts.
        let types = try Self.run(tshark, ["-r", capture, "-o", "tls.keylog_file:\(keyLog)", "-Y", "tls",
                                          "-T", "fields", "-e", "tls.handshake.type"])
        let seen = Set(types.split(whereSeparator: { $0 == "\n" || $0 == "," }).map(String.init))
        #expect(seen.isSuperset(of: ["1", "2", "8", "11", "15", "20"]),
                "handshake types decrypted: \(seen.sorted())")
        let dump = try Self.run(tshark, ["-r", capture, "-o", "tls.keylog_file:\(keyLog)", "-Y", "tls", "-x"])
        #expect(dump.contains("Decrypted TLS"))
        for line in [clientLine, serverLine] {
            let hex = Array(line.utf8.prefix(16)).map { String(format: "%02x", $0) }.joined(separator: " ")
            #expect(dump.contains(hex), "decrypted bytes of \(line.debugDescription) not found")
        }
    }

    static func run(_ tshark: URL, _ arguments: [String]) throws -> String {
        let process = try ToolProcess(tshark, arguments, name: "tshark")
        let status = try process.waitForExit(seconds: 30)
        guard status == 0 else { throw ProcessFailure("tshark \(arguments) exited \(status): \(process.stderrText)") }
        return process.stdoutText
    }
}
