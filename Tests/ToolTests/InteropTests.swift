import Foundation
import Testing
import TLS13
import TLSTool

/// Issue 11, "the other stacks a user meets": GnuTLS (gnutls-cli, gnutls-serv), NSS (tstclnt,
/// selfserv) and tlslite-ng (tls.py) against our executables over real loopback sockets, in
/// each role the tool has, with data both ways, x25519 and the cipher suites we implement.
/// A missing tool fails the test with the package that provides it: .ci/run installs them all.
@Suite("Interop with GnuTLS, NSS and tlslite-ng over sockets")
struct InteropTests {
    /// TLS 1.3 only, x25519 only, our three suites.
    static let gnutlsPriority = "NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-X25519:-CIPHER-ALL"
        + ":+CHACHA20-POLY1305:+AES-128-GCM:+AES-256-GCM"

    /// An executable from PATH (or the venv, for tls.py), or a failure naming its package.
    static func tool(_ name: String, package: String) throws -> URL {
        let venv = ProcessInfo.processInfo.environment["TLSFUZZER_VENV"] ?? "/tmp/tlsf-venv"
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for directory in path + ["\(venv)/bin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw ProcessFailure("\(name) is not installed: it comes with \(package) (.ci/run installs it)")
    }

    static func peer(_ name: String, package: String, _ arguments: [String]) throws -> ToolProcess {
        try ToolProcess(try tool(name, package: package), arguments, name: name)
    }

    /// A port nobody listens on yet, for tools that take a fixed port (the listener that found
    /// it is closed when it goes out of scope here).
    static func freePort() throws -> UInt16 {
        try TCPListener(host: "127.0.0.1", port: 0).port
    }

    /// Waits until something accepts connections on `port` of 127.0.0.1.
    static func waitUntilListening(_ port: UInt16, _ server: ToolProcess) throws {
        try server.waitFor("a listening socket on port \(port)") { _ in
            guard let probe = try? TCPSocket.connect(host: "127.0.0.1", port: port) else { return false }
            probe.close()
            return true
        }
    }

    /// An NSS database trusting our CA and holding the server's certificate and key (nickname
    /// "server"), made with certutil, openssl pkcs12 and pk12util.
    static func nssDatabase() throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("nss-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let steps: [(String, String, [String])] = [
            ("certutil", "libnss3-tools", ["-N", "-d", "sql:\(directory)", "--empty-password"]),
            ("certutil", "libnss3-tools", ["-A", "-d", "sql:\(directory)", "-n", "ca", "-t", "C,,", "-i", "cert/ca.crt"]),
            ("openssl", "openssl", ["pkcs12", "-export", "-in", "cert/server.crt", "-inkey", "cert/server.key",
                                    "-name", "server", "-passout", "pass:", "-out", "\(directory)/server.p12"]),
            ("pk12util", "libnss3-tools", ["-i", "\(directory)/server.p12", "-d", "sql:\(directory)", "-W", ""]),
        ]
        for (name, package, arguments) in steps {
            let step = try peer(name, package: package, arguments)
            guard try step.waitForExit() == 0 else { throw ProcessFailure("\(name) \(arguments): \(step.stderrText)") }
        }
        return directory
    }

    // MARK: GnuTLS

    @Test("gnutls-serv --echo ↔ our client: our line comes back")
    func gnutlsServer() throws {
        let port = try Self.freePort()
        let server = try Self.peer("gnutls-serv", package: "gnutls-bin", [
            "--echo", "-p", "\(port)", "--x509certfile", "cert/server.crt", "--x509keyfile", "cert/server.key",
            "--priority", Self.gnutlsPriority,
        ])
        defer { server.terminate() }
        try Self.waitUntilListening(port, server)
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write("from our client\n")
        try client.waitFor("the echo") { $0.stdoutText == "from our client\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(server.stdoutText.contains("(TLS1.3-X.509)-(ECDHE-X25519)"), "\(server.stdoutText)")
    }

    @Test("gnutls-cli ↔ our server, data both ways, certificate verified by GnuTLS")
    func gnutlsClient() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet"])
        let port = try server.listeningPort()
        let client = try Self.peer("gnutls-cli", package: "gnutls-bin", [
            "-p", "\(port)", "--x509cafile", "cert/ca.crt", "--priority", Self.gnutlsPriority, "localhost",
        ])
        defer { client.terminate() }
        try client.write("from gnutls\n")
        try server.waitFor("GnuTLS's line") { $0.stdoutText == "from gnutls\n" }
        try server.write("from our server\n")
        try client.waitFor("our server's line") { $0.stdoutText.contains("from our server\n") }
        try client.closeInput()
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(client.stdoutText.contains("(TLS1.3-X.509)-(ECDHE-X25519)"), "\(client.stdoutText)")
    }

    // MARK: NSS

    @Test("NSS tstclnt ↔ our server, data both ways, certificate verified by NSS")
    func nssClient() throws {
        let database = try Self.nssDatabase()
        defer { try? FileManager.default.removeItem(atPath: database) }
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try Self.peer("tstclnt", package: "libnss3-tools", [
            "-h", "127.0.0.1", "-a", "localhost", "-p", "\(port)", "-d", "sql:\(database)",
            "-V", "tls1.3:tls1.3", "-I", "x25519",
        ])
        defer { client.terminate() }
        try client.write("from nss\n")
        try server.waitFor("NSS's line") { $0.stdoutText == "from nss\n" }
        try server.write("from our server\n")
        try client.waitFor("our server's line") { $0.stdoutText.contains("from our server\n") }
    }

    @Test("NSS selfserv ↔ our client: an HTTP request out, selfserv's response back")
    func nssServer() throws {
        let database = try Self.nssDatabase()
        defer { try? FileManager.default.removeItem(atPath: database) }
        let port = try Self.freePort()
        let server = try Self.peer("selfserv", package: "libnss3-tools", [
            "-d", "sql:\(database)", "-n", "server", "-p", "\(port)", "-V", "tls1.3:tls1.3", "-I", "x25519",
        ])
        defer { server.terminate() }
        try Self.waitUntilListening(port, server)
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write("GET / HTTP/1.0\r\n\r\n")
        try client.waitFor("selfserv's response") { $0.stdoutText.hasPrefix("HTTP/1.0 200 OK\r\n") }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
    }

    // MARK: tlslite-ng

    @Test("tlslite-ng tls.py server --echo ↔ our client: our line comes back")
    func tlsliteServer() throws {
        let port = try Self.freePort()
        let server = try Self.peer("tls.py", package: "tlslite-ng 0.9.0b2 (PyPI, in $TLSFUZZER_VENV)", [
            "server", "-k", "cert/server.key", "-c", "cert/server.crt", "--echo", "--groups", "x25519", "127.0.0.1:\(port)",
        ])
        defer { server.terminate() }
        // It prints its start line before it binds; a probe connection only costs it one thread.
        try Self.waitUntilListening(port, server)
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write("from our client\n")
        try client.waitFor("the echo") { $0.stdoutText == "from our client\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
    }

    @Test("tlslite-ng tls.py client ↔ our server --www: its GET in, our HTTP response out")
    func tlsliteClient() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--quiet", "--www"])
        let port = try server.listeningPort()
        let client = try Self.peer("tls.py", package: "tlslite-ng 0.9.0b2 (PyPI, in $TLSFUZZER_VENV)",
                                   ["client", "localhost:\(port)"])
        defer { client.terminate() }
        #expect(try client.waitForExit() == 0, "\(client.stdoutText)\(client.stderrText)")
        // tls.py reads until the server closes, then reports the tickets it got: the response
        // and our close_notify reached it. --once exits 0 only once the response was sent.
        #expect(client.stdoutText.contains("Group used for key exchange: x25519"), "\(client.stdoutText)")
        #expect(client.stdoutText.contains("Received 2 ticket[s]"), "our two NewSessionTickets: \(client.stdoutText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(server.stdoutText == "GET / HTTP/1.0\r\n\r\n")
    }
}
