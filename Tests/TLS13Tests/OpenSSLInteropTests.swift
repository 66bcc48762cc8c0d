// Loopback sockets through Glibc: these tests run where the project's CI runs, on Linux.
#if os(Linux)
import Glibc
import Foundation
import Testing
import TLS13
import TLSCrypto

/// A blocking TCP socket with a receive timeout, just enough to talk to an openssl process.
final class TestSocket {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(descriptor) }

    static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    /// Connects to 127.0.0.1:port, retrying while the server starts up.
    static func connect(port: UInt16) throws -> TestSocket {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = loopbackAddress(port: port)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if result == 0 { return TestSocket(descriptor: fd) }
            Glibc.close(fd)
            usleep(50_000)
        }
        throw POSIXError(.ECONNREFUSED)
    }

    /// Listens on an ephemeral loopback port; returns the socket and the port.
    static func listen() throws -> (TestSocket, UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && Glibc.listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { Glibc.close(fd); throw POSIXError(.EADDRINUSE) }
        return (TestSocket(descriptor: fd), UInt16(bigEndian: address.sin_port))
    }

    func accept() throws -> TestSocket {
        var pollDescriptor = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&pollDescriptor, 1, 10_000) == 1 else { throw POSIXError(.ETIMEDOUT) }
        let fd = Glibc.accept(descriptor, nil, nil)
        guard fd >= 0 else { throw POSIXError(.ECONNABORTED) }
        return TestSocket(descriptor: fd)
    }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Up to 16 KiB; empty at end of stream (or timeout).
    func read() -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(buffer[0..<count]) : []
    }
}

/// Our client against `openssl s_server`, and our server against `openssl s_client`, over
/// loopback TCP: the same handshake as in memory, but with the reference implementation on the
/// other end.
let opensslPath = "/usr/bin/openssl"

@Suite("Interop with OpenSSL", .enabled(if: FileManager.default.isExecutableFile(atPath: opensslPath),
                                        "openssl is not installed at /usr/bin/openssl"))
struct OpenSSLInteropTests {
    static let openssl = opensslPath
    static let suites: [CipherSuite] = [.chacha20Poly1305SHA256, .aes128GCMSHA256, .aes256GCMSHA384]

    func launch(_ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.openssl)
        process.arguments = arguments
        process.currentDirectoryURL = TestPKI.directory
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return (process, input, output)
    }

    /// openssl s_server ignores SIGTERM; SIGKILL it and reap it.
    func stop(_ process: Process) {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    static func freePort() throws -> UInt16 {
        let (socket, port) = try TestSocket.listen()
        _ = socket
        return port
    }

    func clientConfiguration(suite: CipherSuite, log: EventLog) throws -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = [suite]
        configuration.serverName = "localhost"
        configuration.trustAnchors = [try TestPKI.caCertificate()]
        configuration.observer = log.observer
        return configuration
    }

    /// Runs our client over `socket` until the server closes; returns the application data.
    func runClient(_ connection: TLSConnection, over socket: TestSocket, request: [UInt8], updateKeys: Bool = false) throws -> [UInt8] {
        try connection.start()
        socket.write(connection.takeOutgoing())
        var sentRequest = false
        var response: [UInt8] = []
        while !connection.peerClosed {
            let bytes = socket.read()
            if bytes.isEmpty { break }
            try connection.receive(bytes)
            if connection.isHandshakeComplete && !sentRequest {
                sentRequest = true
                if updateKeys { try connection.updateKeys(requestPeerUpdate: true) }
                try connection.send(request)
            }
            response += connection.takeApplicationData()
            socket.write(connection.takeOutgoing())
        }
        connection.close()
        socket.write(connection.takeOutgoing())
        return response
    }

    @Test("our client ↔ openssl s_server -www", arguments: suites)
    func clientAgainstOpenSSL(suite: CipherSuite) throws {
        let port = try Self.freePort()
        let (process, _, _) = try launch(["s_server", "-accept", "\(port)", "-tls1_3", "-cert", "server.crt",
                                          "-key", "server.key", "-www", "-ciphersuites", suite.name ?? ""])
        defer { stop(process) }
        let socket = try TestSocket.connect(port: port)
        let log = EventLog()
        let connection = TLSConnection(side: .client, configuration: try clientConfiguration(suite: suite, log: log))
        let response = try runClient(connection, over: socket, request: Array("GET / HTTP/1.0\r\n\r\n".utf8), updateKeys: true)
        let text = String(decoding: response, as: UTF8.self)
        #expect(connection.negotiatedCipherSuite == suite)
        #expect(text.hasPrefix("HTTP/1.0 200 ok"))
        #expect(text.contains(suite.name ?? "?"))
        // s_server sends two NewSessionTickets, which the client keeps as sessions to resume with.
        let keptTickets = log.events.filter { if case .note(let text) = $0 { text.hasPrefix("ticket ") && text.contains(" kept") } else { false } }
        #expect(keptTickets.count == 2)
        #expect(connection.receivedSessions.count == 2)
    }

    @Test("a server that asks for a client certificate gets an empty Certificate (RFC 8446 §4.4.2.4)")
    func certificateRequest() throws {
        let port = try Self.freePort()
        let process = try launch(["s_server", "-accept", "\(port)", "-tls1_3", "-cert", "server.crt",
                                  "-key", "server.key", "-www", "-verify", "1"]).0
        defer { stop(process) }
        let socket = try TestSocket.connect(port: port)
        let log = EventLog()
        let connection = TLSConnection(side: .client, configuration: try clientConfiguration(suite: .chacha20Poly1305SHA256, log: log))
        let response = try runClient(connection, over: socket, request: Array("GET / HTTP/1.0\r\n\r\n".utf8))
        #expect(String(decoding: response, as: UTF8.self).hasPrefix("HTTP/1.0 200 ok"))
        #expect(log.events.contains { if case .handshakeMessage(.sent, .certificate, _, _) = $0 { true } else { false } })
    }

    @Test("a TLS 1.2-only openssl s_server → our client sends protocol_version (RFC 8446 §4.2.1)")
    func tls12Server() throws {
        let port = try Self.freePort()
        let process = try launch(["s_server", "-accept", "\(port)", "-tls1_2", "-cert", "server.crt", "-key", "server.key", "-www"]).0
        defer { stop(process) }
        let socket = try TestSocket.connect(port: port)
        let connection = TLSConnection(side: .client, configuration: try clientConfiguration(suite: .aes128GCMSHA256, log: EventLog()))
        #expect { try runClient(connection, over: socket, request: []) } throws: { ($0 as? TLSError)?.alert == .protocolVersion }
    }

    @Test("a TLS 1.2-only openssl s_client → our server sends protocol_version (RFC 8446 §4.2.1)")
    func tls12Client() throws {
        let (listener, port) = try TestSocket.listen()
        let (process, _, output) = try launch(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2"])
        defer { stop(process) }
        let socket = try listener.accept()
        var configuration = TLSConfiguration()
        configuration.certificateChain = [try TestPKI.serverCertificateDER()]
        configuration.privateKey = .rsa(try TestPKI.serverKey())
        let connection = TLSConnection(side: .server, configuration: configuration)
        try connection.start()
        #expect {
            while true {
                let bytes = socket.read()
                if bytes.isEmpty { return }
                try connection.receive(bytes)
            }
        } throws: { ($0 as? TLSError)?.alert == .protocolVersion }
        socket.write(connection.takeOutgoing())
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("protocol version"))
    }

    @Test("openssl s_client ↔ our server", arguments: suites)
    func serverAgainstOpenSSL(suite: CipherSuite) throws {
        let (listener, port) = try TestSocket.listen()
        // s_client offers P-256 first with a key share only for it, so our server must ask for
        // x25519 with a HelloRetryRequest.
        let (process, input, output) = try launch(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3",
                                                   "-CAfile", "ca.crt", "-servername", "localhost", "-verify_return_error",
                                                   "-groups", "P-256:X25519", "-ciphersuites", suite.name ?? "", "-quiet"])
        defer { stop(process) }
        let socket = try listener.accept()
        var configuration = TLSConfiguration()
        configuration.certificateChain = [try TestPKI.serverCertificateDER()]
        configuration.privateKey = .rsa(try TestPKI.serverKey())
        let log = EventLog()
        configuration.observer = log.observer
        let connection = TLSConnection(side: .server, configuration: configuration)
        try connection.start()
        input.fileHandleForWriting.write(Data("ping from openssl\n".utf8))
        var received: [UInt8] = []
        while !received.contains(UInt8(ascii: "\n")) {
            let bytes = socket.read()
            if bytes.isEmpty { break }
            try connection.receive(bytes)
            received += connection.takeApplicationData()
            socket.write(connection.takeOutgoing())
        }
        #expect(String(decoding: received, as: UTF8.self) == "ping from openssl\n")
        #expect(connection.negotiatedCipherSuite == suite)
        #expect(log.events.contains { if case .handshakeMessage(.sent, .serverHello, let bytes, _) = $0 {
            bytes.count > 38 && Array(bytes[6..<38]) == HelloRetryRequest.specialRandom
        } else { false } })
        try connection.send(Array("pong from tls13-swift\n".utf8))
        try connection.updateKeys(requestPeerUpdate: true)
        try connection.send(Array("after KeyUpdate\n".utf8))
        connection.close()
        socket.write(connection.takeOutgoing())
        input.fileHandleForWriting.closeFile()
        process.waitUntilExit()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("pong from tls13-swift"))
        #expect(printed.contains("after KeyUpdate"))
    }
}
#endif
