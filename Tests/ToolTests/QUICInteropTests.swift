import Foundation
import Testing
import TLSCrypto

/// Issue 18, "Done means": aioquic (PyPI) against quic-server and quic-client over real UDP
/// sockets, echoing data both ways on a stream, with and without Retry, with datagrams lost on
/// our side, across a key update; and tshark decrypting our captures with our key log.
@Suite("QUIC interop with aioquic over UDP")
struct QUICInteropTests {
    static let script = ToolProcess.repositoryRoot.appendingPathComponent("Scripts/quic-peer.py").path

    /// The venv's Python with aioquic, or a failure saying how to get it.
    static func python() throws -> URL {
        let venv = ProcessInfo.processInfo.environment["TLSFUZZER_VENV"] ?? "/tmp/tlsf-venv"
        let url = URL(fileURLWithPath: "\(venv)/bin/python")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ProcessFailure("no Python venv at \(venv): .ci/run creates it with aioquic")
        }
        let check = try ToolProcess(url, ["-c", "import aioquic"], name: "python -c import aioquic")
        guard try check.waitForExit() == 0 else { throw ProcessFailure("aioquic is not installed in \(venv): .ci/run installs it (pip install aioquic)") }
        return url
    }

    static func peer(_ arguments: [String]) throws -> ToolProcess {
        try ToolProcess(try python(), [script] + arguments, name: "quic-peer.py \(arguments.first ?? "")")
    }

    /// 100 KB that are not text, so nothing is lost or added on the way.
    static let payload = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ $0 >> 9) })

    @Test("aioquic's client sends 100 KB on a stream through quic-server and gets it back, FIN included",
          arguments: [[], ["--retry"], ["--drop", "20"], ["--retry", "--drop", "20"]])
    func aioquicClient(serverFlags: [String]) throws {
        let server = try ToolProcess.ours("quic-server", ["--port", "0", "--quiet"] + serverFlags)
        defer { server.terminate() }
        let port = try server.listeningPort()
        // The peer's idle timeout is longer than its default 10 s: at 36% loss each way (20% of
        // what we send and receive) a probe timeout can back off past 10 s now and then.
        let client = try Self.peer(["client", "--port", "\(port)", "--ca", "cert/ca.crt", "--timeout", "80", "--idle-timeout", "40"])
        try client.write(Self.payload)
        try client.closeInput()
        #expect(try client.waitForExit(seconds: 90) == 0, "\(client.stderrText)")
        #expect(client.stdout == Self.payload, "echo of \(client.stdout.count) bytes")
        #expect(client.stderrText.contains("alpn=quic-echo-example"))
    }

    @Test("quic-client sends 100 KB from a pipe on one stream to aioquic's server and prints exactly the echo (--quiet), exit 0",
          arguments: [([], []), (["--retry"], []), ([], ["--drop", "20"]), (["--retry"], ["--drop", "20"])])
    func aioquicServer(serverFlags: [String], clientFlags: [String]) throws {
        let server = try Self.peer(["server", "--port", "0", "--cert", "cert/server.crt", "--key", "cert/server.key", "--idle-timeout", "40"] + serverFlags)
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("quic-client", ["--host", "127.0.0.1", "--port", "\(port)", "--quiet"] + clientFlags)
        try client.write(Self.payload)
        try client.closeInput()
        #expect(try client.waitForExit(seconds: 90) == 0, "\(client.stderrText)")
        #expect(client.stdout == Self.payload, "echo of \(client.stdout.count) bytes")
        try server.waitFor("the server's log of the echo") { $0.stderrText.contains("echoed 100000 bytes on stream 0") }
    }

    @Test("key update (RFC 9001 §6) both ways: aioquic's client updates and quic-server follows; quic-client updates and aioquic's server follows")
    func keyUpdate() throws {
        let ours = try ToolProcess.ours("quic-server", ["--port", "0", "--no-color"])
        defer { ours.terminate() }
        let client = try Self.peer(["client", "--port", "\(try ours.listeningPort())", "--ca", "cert/ca.crt", "--key-update", "--message", "after the update"])
        #expect(try client.waitForExit(seconds: 30) == 0, "\(client.stderrText)")
        #expect(client.stdoutText == "after the update")
        try ours.waitFor("the key update in the trace") { $0.stdoutText.unwrapped.contains("1-RTT key update to generation 1 (RFC 9001 §6), the peer flipped Key Phase; we follow") }

        let theirs = try Self.peer(["server", "--port", "0", "--cert", "cert/server.crt", "--key", "cert/server.key"])
        defer { theirs.terminate() }
        let port = try theirs.listeningPort()
        let ourClient = try ToolProcess.ours("quic-client", ["--host", "127.0.0.1", "--port", "\(port)", "--key-update", "--no-color"])
        try ourClient.write("updated\n")
        try ourClient.closeInput()
        #expect(try ourClient.waitForExit(seconds: 30) == 0, "\(ourClient.stderrText)")
        #expect(ourClient.stdoutText.unwrapped.contains("1-RTT key update to generation 1 (RFC 9001 §6), we asked, the peer followed"))
        try theirs.waitFor("aioquic in key phase 1") { $0.stderrText.contains("key_phase=1") }
    }
}

/// "tshark decrypts a capture of our client and server with our key log (QUIC frames and the
/// echoed STREAM data visible)".
@Suite("QUIC captures decrypted by tshark")
struct QUICCaptureTests {
    static func tshark(_ arguments: [String]) throws -> String {
        let url = try InteropTests.tool("tshark", package: "tshark")
        let process = try ToolProcess(url, arguments, name: "tshark")
        #expect(try process.waitForExit(seconds: 60) == 0, "\(process.stderrText)")
        return process.stdoutText
    }

    @Test("quic-client --capture and quic-server --capture: tshark reads Initial, Handshake and 1-RTT packets, CRYPTO frames and the echoed STREAM data, with the key log the files carry (and with --keylog's file)")
    func captures() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quic-capture-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let serverCapture = directory.appendingPathComponent("server.pcapng").path
        let clientCapture = directory.appendingPathComponent("client.pcapng").path
        let keyLog = directory.appendingPathComponent("client.keys").path
        let server = try ToolProcess.ours("quic-server", ["--port", "0", "--quiet", "--once", "--capture", serverCapture])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("quic-client", ["--host", "127.0.0.1", "--port", "\(port)", "--quiet",
                                                          "--capture", clientCapture, "--keylog", keyLog])
        try client.write("hello wireshark\n")
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit(seconds: 20) == 0, "--once: the server exits when the connection is gone")
        let hex = Data("hello wireshark\n".utf8).map { String(format: "%02x", $0) }.joined()
        for file in [clientCapture, serverCapture] {
            let fields = try Self.tshark(["-r", file, "-d", "udp.port==\(port),quic", "-T", "fields",
                                          "-e", "quic.long.packet_type", "-e", "quic.frame_type", "-e", "quic.stream_data"])
            #expect(fields.contains(hex), "the echoed STREAM data, decrypted, in \(file)")
            let types = try Self.tshark(["-r", file, "-d", "udp.port==\(port),quic", "-Y", "quic.frame_type == 6", "-T", "fields", "-e", "frame.number"])
            #expect(!types.isEmpty, "CRYPTO frames decrypted")
        }
        // The key log file alone decrypts the client's capture too (as Wireshark's preference).
        let withFile = try Self.tshark(["-r", clientCapture, "-o", "tls.keylog_file:\(keyLog)", "-d", "udp.port==\(port),quic",
                                        "-Y", "quic.stream_data", "-T", "fields", "-e", "quic.stream_data"])
        #expect(withFile.contains(hex))
    }
}

extension QUICCaptureTests {
    @Test("tshark decrypts transcripts/quic.pcapng with its embedded key log: Initial, Handshake and 1-RTT packets, the echoed line in STREAM frames both ways")
    func committedCapture() throws {
        let file = ToolProcess.repositoryRoot.appendingPathComponent("transcripts/quic.pcapng").path
        let summary = try Self.tshark(["-r", file, "-d", "udp.port==50008,quic"])
        #expect(summary.contains("Initial") && summary.contains("Handshake") && summary.contains("Protected Payload (KP0)"))
        let data = try Self.tshark(["-r", file, "-d", "udp.port==50008,quic", "-Y", "quic.stream_data", "-T", "fields", "-e", "quic.stream_data"])
        let hex = Data("Hello over QUIC!\n".utf8).map { String(format: "%02x", $0) }.joined()
        #expect(data.components(separatedBy: hex).count - 1 == 2, "the line goes out and comes back: \(data)")
    }
}

/// "Hostile input ... server keeps serving, memory flat", against the running quic-server.
@Suite("quic-server under a flood of hostile datagrams")
struct QUICServerFloodTests {
    /// Sends datagrams to 127.0.0.1:`port` from one UDP socket.
    static func send(_ datagrams: [[UInt8]], to port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        for datagram in datagrams {
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    datagram.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, sa, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            usleep(50)   // let the kernel's receive buffer drain; this is a flood, not a burst test
        }
    }

    /// Garbage of every kind: short, long, long-header lookalikes with bad lengths and varints,
    /// short headers for unknown connections, other versions.
    static func garbage(_ count: Int, seed: UInt64) -> [[UInt8]] {
        let dice = DeterministicRandom(seed: seed)
        return (0..<count).map { i in
            let size = [1, 3, 20, 64, 1199, 1200, 1350, 4000][i % 8]
            var bytes = (try? dice.bytes(size)) ?? [UInt8](repeating: 0, count: size)
            switch i % 4 {
            case 0: bytes[0] = 0xc0 | bytes[0] & 0x0f                      // an "Initial" of garbage
            case 1: if size > 5 { bytes[0] = 0xc0; bytes[1...4] = [0, 0, 0, 1]; if size > 6 { bytes[5] = 0xff } }   // DCID length 255
            case 2: bytes[0] = 0x40 | bytes[0] & 0x3f                      // a short header
            default: break
            }
            return bytes
        }
    }

    @Test("40,000 garbage datagrams: nothing crashes, memory stays flat, and aioquic's client is still echoed")
    func flood() throws {
        let server = try ToolProcess.ours("quic-server", ["--port", "0", "--quiet"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        Self.send(Self.garbage(4000, seed: 1), to: port)
        usleep(300_000)
        let before = try HostileServerTests.memoryKiB("VmRSS", pid: server.processIdentifier)
        Self.send(Self.garbage(40_000, seed: 2), to: port)
        usleep(300_000)
        let after = try HostileServerTests.memoryKiB("VmRSS", pid: server.processIdentifier)
        #expect(server.isRunning)
        #expect(after - before < 4096, "RSS grew from \(before) KiB to \(after) KiB")
        let client = try QUICInteropTests.peer(["client", "--port", "\(port)", "--ca", "cert/ca.crt", "--message", "still here"])
        #expect(try client.waitForExit(seconds: 30) == 0, "\(client.stderrText)")
        #expect(client.stdoutText == "still here")
    }
}

/// quic-client at a terminal: each line typed goes on a stream of its own (the echo example),
/// Ctrl-D ends the connection cleanly.
@Suite("quic-client at a terminal")
struct QUICTerminalTests {
    @Test("two lines typed: streams 0 and 4, each with FIN, each echoed; Ctrl-D closes with NO_ERROR and exit 0")
    func linesOnStreams() throws {
        let server = try ToolProcess.ours("quic-server", ["--port", "0", "--no-color"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let terminal = try TerminalSession("quic", executable: "quic-client", ["--host", "127.0.0.1", "--port", "\(port)", "--quiet"])
        defer { terminal.close() }
        for line in ["first line", "second line"] {
            try terminal.send(line)
            try terminal.send("Enter")
            let deadline = Date().addingTimeInterval(15)
            while !terminal.contents("out").contains(line + "\n"), Date() < deadline { usleep(20_000) }
        }
        #expect(terminal.contents("out") == "first line\nsecond line\n", "\(Array(terminal.contents("out").utf8))")
        try terminal.send("C-d")
        let deadline = Date().addingTimeInterval(15)
        while terminal.status == nil, Date() < deadline { usleep(20_000) }
        #expect(terminal.status == 0, "\(terminal.contents("err"))")
        let trace = server.stdoutText.unwrapped
        #expect(trace.contains("STREAM 0 offset 0, 11 bytes, FIN"))
        #expect(trace.contains("STREAM 4 offset 0, 12 bytes, FIN"))
        try server.waitFor("the client's CONNECTION_CLOSE") { $0.stdoutText.unwrapped.contains("connection closed (the peer closed): no error") }
    }
}
