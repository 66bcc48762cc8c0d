import Foundation
import Testing

/// Issue 3, "Proof": the built executables over real loopback sockets, against each other and
/// against OpenSSL, for each cipher suite, with data both ways.
@Suite("End to end over loopback")
struct EndToEndTests {
    static let suites: [(short: String, rfc: String)] = [
        ("chacha20", "TLS_CHACHA20_POLY1305_SHA256"),
        ("aes128gcm", "TLS_AES_128_GCM_SHA256"),
        ("aes256gcm", "TLS_AES_256_GCM_SHA384"),
    ]
    static let suiteNames = suites.map(\.short)

    /// Every byte value, then a line: stdin is binary-safe.
    static let clientPayload = Data((0...255).map { UInt8($0) } + Array("\nfrom the client\n".utf8))
    static let serverLine = "from the server\n"

    static func rfcName(_ short: String) -> String { suites.first { $0.short == short }?.rfc ?? short }

    static var opensslMissing: Bool { ToolProcess.opensslURL == nil }

    @Test("Our client ↔ our server: handshake, data both ways, close_notify both ways, key log", arguments: suiteNames)
    func ourClientOurServer(suite: String) throws {
        let keyLog = FileManager.default.temporaryDirectory.appendingPathComponent("keylog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keyLog) }
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet", "--cipher-suites", suite])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--cipher-suites", suite, "--keylog", keyLog])
        try client.write(Self.clientPayload)
        try server.waitFor("the client's bytes") { $0.stdout == Self.clientPayload }
        try server.write(Self.serverLine)
        try client.waitFor("the server's line") { $0.stdoutText.contains("│ from the server") }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")

        let trace = client.stdoutText
        #expect(trace.contains("[client] → ClientHello"))
        #expect(trace.contains("[client] ← ServerHello"))
        #expect(trace.contains("cipher suite  \(Self.rfcName(suite))"))
        let lines = try String(contentsOfFile: keyLog, encoding: .utf8).split(separator: "\n")
        let labels = Set(lines.compactMap { $0.split(separator: " ").first.map(String.init) })
        #expect(labels == ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                           "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"])
        let secretHexLength = suite == "aes256gcm" ? 96 : 64
        for line in lines {
            let parts = line.split(separator: " ")
            #expect(parts.count == 3 && parts[1].count == 64 && parts[2].count == secretHexLength, "\(line)")
        }
    }

    @Test("--echo sends every byte straight back: 100 KB of binary through the echo server; SSLKEYLOGFILE")
    func echo() throws {
        var generator = SystemRandomNumberGenerator()
        let payload = Data((0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let keyLog = FileManager.default.temporaryDirectory.appendingPathComponent("sslkeylog-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: keyLog) }
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet", "--echo"],
                                          environment: ["SSLKEYLOGFILE": keyLog])
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(try server.listeningPort())", "--quiet"])
        try client.write(payload)
        try client.waitFor("the echo") { $0.stdout.count >= payload.count }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(client.stdout == payload)
        #expect(server.stdout == payload)
        #expect(try String(contentsOfFile: keyLog, encoding: .utf8).split(separator: "\n").count == 5)
    }

    @Test("Lines typed on the server's stdin go to every connected client")
    func broadcast() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--quiet"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let clients = try (1...2).map { _ in try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"]) }
        for (index, client) in clients.enumerated() { try client.write("client \(index) here\n") }
        try server.waitFor("both clients' lines") { $0.stdoutText.contains("client 0 here\n") && $0.stdoutText.contains("client 1 here\n") }
        try server.write("to everyone\n")
        for client in clients {
            try client.waitFor("the broadcast line") { $0.stdoutText == "to everyone\n" }
            try client.closeInput()
            #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        }
    }

    @Test("A server that vanishes mid-handshake: the client reports the lost connection and exits 1")
    func connectionLost() throws {
        let listener = try RawListener()
        let client = try ToolProcess.ours("tls13-client", ["--host", "127.0.0.1", "--port", "\(listener.port)", "--quiet"])
        listener.acceptAndClose()
        #expect(try client.waitForExit() == 1)
        #expect(client.stderrText.contains("connection lost"), "\(client.stderrText)")
    }

    @Test("openssl s_server ↔ our client, data both ways", .disabled(if: opensslMissing, "openssl is not installed"),
          arguments: suiteNames)
    func opensslServer(suite: String) throws {
        let server = try ToolProcess.openssl(["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-tls1_3",
                                              "-ciphersuites", Self.rfcName(suite),
                                              "-cert", "cert/server.crt", "-key", "cert/server.key"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet", "--cipher-suites", suite])
        try client.write("from our client\n")
        try server.waitFor("our client's line") { $0.stdoutText.contains("from our client\n") }
        try server.write("from openssl\n")
        try client.waitFor("openssl's line") { $0.stdoutText == "from openssl\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(server.stdoutText.contains("CIPHER is \(Self.rfcName(suite))\n"), "\(server.stdoutText)")
    }

    @Test("openssl s_client ↔ our server, data both ways, certificate verified by OpenSSL",
          .disabled(if: opensslMissing, "openssl is not installed"), arguments: suiteNames)
    func opensslClient(suite: String) throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet", "--cipher-suites", suite])
        let port = try server.listeningPort()
        let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3",
                                              "-ciphersuites", Self.rfcName(suite), "-CAfile", "cert/ca.crt",
                                              "-servername", "localhost", "-verify_hostname", "localhost",
                                              "-verify_return_error"])
        defer { client.terminate() }
        try client.write("from openssl\n")
        try server.waitFor("openssl's line") { $0.stdout == Data("from openssl\n".utf8) }
        try server.write("from our server\n")
        try client.waitFor("our server's line") { $0.stdoutText.contains("from our server\n") }
        try client.closeInput()
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(client.stdoutText.contains("Verify return code: 0 (ok)"))
        #expect(client.stdoutText.contains("Cipher is \(Self.rfcName(suite))"))
    }

    @Test("A certificate from an unknown CA: the client sends unknown_ca and exits 1",
          .disabled(if: opensslMissing, "openssl is not installed (needed to make the rogue certificate)"))
    func untrustedCertificate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rogue-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("rogue.crt").path
        let key = directory.appendingPathComponent("rogue.key").path
        let maker = try ToolProcess.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                                             "-out", certificate, "-days", "2", "-subj", "/CN=localhost",
                                             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        #expect(try maker.waitForExit(seconds: 30) == 0, "\(maker.stderrText)")

        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet", "--cert", certificate, "--key", key])
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(try server.listeningPort())", "--quiet"])
        try client.closeInput()
        #expect(try client.waitForExit() == 1)
        #expect(client.stderrText.contains("unknown_ca"), "\(client.stderrText)")
        #expect(try server.waitForExit() == 1)
        #expect(server.stderrText.contains("peer sent unknown_ca"), "\(server.stderrText)")
    }

    @Test("A name the certificate does not carry: the client refuses with an alert and exits 1")
    func wrongServerName() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet"])
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(try server.listeningPort())", "--quiet",
                                                           "--server-name", "wrong.example"])
        try client.closeInput()
        #expect(try client.waitForExit() == 1)
        #expect(client.stderrText.contains(WrongName.alert), "\(client.stderrText)")
        #expect(client.stderrText.contains("alert sent"), "\(client.stderrText)")
        #expect(try server.waitForExit() == 1)
        #expect(server.stderrText.contains("peer sent \(WrongName.alert)"), "\(server.stderrText)")
    }

    @Test("The server keeps serving: a silent client and a garbage client do not stop the next one")
    func survivesBadClients() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--quiet"])
        defer { server.terminate() }
        try server.closeInput()  // EOF on stdin must not stop the server either
        let port = try server.listeningPort()
        let silent = try RawConnection(port: port)
        let garbage = try RawConnection(port: port)
        try garbage.send(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        let reply = try garbage.receiveAll()
        #expect(reply.first == 0x15, "the server answers garbage with an alert record")

        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write("still there?\n")
        try server.waitFor("the good client's line") { $0.stdoutText == "still there?\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        silent.close()
    }

    @Test("Usage errors exit 2 with the usage text; --help exits 0")
    func usageErrors() throws {
        let bogus = try ToolProcess.ours("tls13-client", ["--bogus"])
        #expect(try bogus.waitForExit() == 2)
        #expect(bogus.stderrText.hasPrefix("tls13-client: unknown option --bogus\n\nusage: tls13-client"))
        let badPort = try ToolProcess.ours("tls13-server", ["--port", "http"])
        #expect(try badPort.waitForExit() == 2)
        #expect(badPort.stderrText.contains("usage: tls13-server"))
        let help = try ToolProcess.ours("tls13-demo", ["--help"])
        #expect(try help.waitForExit() == 0)
        #expect(help.stdoutText.hasPrefix("usage: tls13-demo"))
        let missingCA = try ToolProcess.ours("tls13-client", ["--ca", "/nonexistent/ca.crt"])
        #expect(try missingCA.waitForExit() == 2)
        #expect(missingCA.stderrText.contains("/nonexistent/ca.crt"))
    }

    @Test("tls13-demo: both sides in protocol order, one banner per flight, message each way")
    func demo() throws {
        let demo = try ToolProcess.ours("tls13-demo", [])
        #expect(try demo.waitForExit() == 0, "\(demo.stderrText)")
        let text = demo.stdoutText
        let landmarks = [
            "══ client ──ClientHello──▶ server",
            "[client] → ClientHello",
            "[server] ← ClientHello",
            "══ server ──▶ client",
            "[server] → ServerHello",
            "[client] ← ServerHello",
            "[client] check the server Finished",
            "══ client ──Finished──▶ server",
            "[server] check the client Finished",
            "══ client ──application data──▶ server",
            "│ Hello from the client!",
            "══ server ──application data──▶ client",
            "│ Hello from the server!",
            "══ client ──alert close_notify──▶ server",
            "══ server ──alert close_notify──▶ client",
            "both sides sent close_notify",
        ]
        var searchFrom = text.startIndex
        for landmark in landmarks {
            guard let found = text.range(of: landmark, range: searchFrom..<text.endIndex) else {
                Issue.record("\"\(landmark)\" missing or out of order in:\n\(text)")
                return
            }
            searchFrom = found.upperBound
        }
    }

    @Test("--deterministic: two demo runs print the same trace, byte for byte")
    func deterministicDemo() throws {
        func run() throws -> String {
            let demo = try ToolProcess.ours("tls13-demo", ["--deterministic"])
            #expect(try demo.waitForExit() == 0, "\(demo.stderrText)")
            #expect(demo.stderrText.contains("INSECURE"))
            // The first line names the port the kernel picked; everything after it must repeat.
            return String(demo.stdoutText.drop { $0 != "\n" })
        }
        let first = try run()
        #expect(first.contains("[client] → ClientHello"))
        #expect(first == (try run()))
    }
}

/// Which alert our client sends when the certificate does not name the server.
enum WrongName {
    static let alert = "bad_certificate"
}

/// A bare TCP connection, for clients that do not speak TLS.
final class RawConnection {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw ProcessFailure("connect failed: errno \(errno)") }
    }

    func send(_ bytes: [UInt8]) throws {
        guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { throw ProcessFailure("send failed") }
    }

    /// Everything until the server closes.
    func receiveAll() throws -> [UInt8] {
        var all: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return all }
            all += buffer.prefix(count)
        }
    }

    func close() { Glibc.close(fd) }
    deinit { close() }
}

/// A listening socket that takes one connection and hangs up at once.
final class RawListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else { throw ProcessFailure("cannot listen: errno \(errno)") }
        port = UInt16(bigEndian: address.sin_port)
    }

    func acceptAndClose() {
        let connection = accept(fd, nil, nil)
        if connection >= 0 { Glibc.close(connection) }
    }

    deinit { Glibc.close(fd) }
}
