import Foundation
import TLS13
import TLSCrypto
import TLSTool

/// Resumed handshakes per second (RFC 8446 §2.2, psk_dhe_ke). `openssl s_time -reuse` cannot
/// measure them in TLS 1.3: it closes each connection before the server's NewSessionTicket
/// arrives, so it never holds a ticket and every "reused" connection is a full handshake. So the
/// same client, our library in this process, resumes against each server in turn: it makes one
/// full handshake to collect a ticket, then resumes with that ticket back to back. Both servers
/// run with their default two tickets; the client ignores the new ones.
extension EndToEndBenchmark {
    func compareResumedHandshakes() -> (ours: Result<HandshakeFigures, any Error>, openssl: Result<HandshakeFigures, any Error>) {
        func measure(_ start: (UInt16, ChildProcess.Output) throws -> ChildProcess) -> Result<HandshakeFigures, any Error> {
            Result {
                let port = try freeLoopbackPort()
                let server = try start(port, .nullDevice)
                defer { server.stop() }
                try waitUntilListening(port: port)
                return try timeResumedHandshakes(server: server, port: port, seconds: Double(handshakeSeconds))
            }
        }
        return (measure { try startOurServer(port: $0, output: $1, tickets: true) },
                measure { try startOpenSSLServer(port: $0, output: $1, tickets: true) })
    }

    private func clientConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = [.chacha20Poly1305SHA256]
        configuration.groups = [.x25519]
        configuration.serverName = "localhost"
        configuration.trustAnchors = try loadTrustAnchors(path: caCertificate)
        return configuration
    }

    /// One connection: the handshake, then (when `waitForTicket`) the server's first ticket.
    private func connect(port: UInt16, configuration: TLSConfiguration, waitForTicket: Bool) throws -> TLSConnection {
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: port)
        defer { socket.close() }
        let connection = TLSConnection(side: .client, configuration: configuration)
        let session = TLSSession(socket: socket, connection: connection)
        try session.start()
        try session.completeHandshake(HandshakeWait(deadline: .now + .seconds(10)))
        while waitForTicket, connection.receivedSessions.isEmpty {
            guard try session.receiveOnce() else { throw BenchmarkFailure("the server closed before sending a ticket") }
        }
        try session.close()
        return connection
    }

    private func timeResumedHandshakes(server: ChildProcess, port: UInt16, seconds: Double) throws -> HandshakeFigures {
        var configuration = try clientConfiguration()
        guard let ticket = try connect(port: port, configuration: configuration, waitForTicket: true).receivedSessions.first else {
            throw BenchmarkFailure("no ticket from \(server.name)")
        }
        configuration.resumptionSession = ticket
        let cpuBefore = try server.cpuSeconds()
        let began = Date()
        var count = 0
        while Date().timeIntervalSince(began) < seconds {
            let connection = try connect(port: port, configuration: configuration, waitForTicket: false)
            guard connection.isResumed else { throw BenchmarkFailure("\(server.name) did not resume") }
            count += 1
        }
        let elapsed = Date().timeIntervalSince(began)
        return HandshakeFigures(count: Double(count), seconds: elapsed, serverCPUSeconds: try server.cpuSeconds() - cpuBefore)
    }
}
