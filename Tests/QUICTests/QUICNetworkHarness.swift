import Foundation
import TLS13
import TLSCrypto
@testable import QUIC

enum QUICTestPKI {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("cert")

    static func der(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        guard let block = try PEM.decode(text).first else { throw CocoaError(.fileReadCorruptFile) }
        return block.der
    }

    static func client(seed: UInt64 = 1) throws -> QUICConfiguration {
        var tls = TLSConfiguration()
        tls.serverName = "localhost"
        tls.trustAnchors = [try Certificate(der: try der("ca.crt"))]
        tls.random = DeterministicRandom(seed: seed)
        tls.applicationProtocols = ["quic-echo-example"]
        return QUICConfiguration(tls: tls)
    }

    static func server(seed: UInt64 = 2) throws -> QUICConfiguration {
        var tls = TLSConfiguration()
        tls.certificateChain = [try der("server.crt")]
        let text = try String(contentsOf: directory.appendingPathComponent("server.key"), encoding: .utf8)
        tls.privateKey = .rsa(try RSAPrivateKey(pem: text))
        tls.random = DeterministicRandom(seed: seed)
        tls.applicationProtocols = ["quic-echo-example"]
        return QUICConfiguration(tls: tls)
    }
}

/// A client and a server endpoint joined by a simulated network with a virtual clock: each
/// datagram takes `delay` seconds, and `drop` decides which are lost. The server echoes every
/// stream (the quic-go echo example). `run` advances time until `done` or `limit` seconds.
final class QUICNetwork {
    let client: QUICConnection
    let server: QUICServerEndpoint
    var now = 0.0
    var delay = 0.010
    /// (from client?, datagram index in that direction) → drop it.
    var drop: (Bool, Int, [UInt8]) -> Bool = { _, _, _ in false }
    var inFlight: [(arrival: Double, toServer: Bool, datagram: [UInt8])] = []
    var sentByClient = 0, sentByServer = 0
    var clientEvents: [QUICEvent] = []
    var serverEvents: [(Int, QUICEvent)] = []
    var echoed: [UInt64: [UInt8]] = [:]
    var echoFinished: Set<UInt64> = []
    let clientAddress: [UInt8] = [127, 0, 0, 1, 0xc0, 0x01]

    init(client clientConfiguration: QUICConfiguration? = nil, server serverConfiguration: QUICConfiguration? = nil,
         retry: Bool = false) throws {
        client = try QUICConnection(client: clientConfiguration ?? QUICTestPKI.client(), now: 0)
        server = try QUICServerEndpoint(configuration: serverConfiguration ?? QUICTestPKI.server(), requireRetry: retry, clock: { 1_000 })
        client.observer = { [unowned self] in clientEvents.append($0) }
        server.observer = { [unowned self] in serverEvents.append(($0, $1)) }
    }

    /// Moves datagrams and fires timers until `done()` or `limit` seconds of virtual time.
    @discardableResult
    func run(limit: Double = 60, until done: () -> Bool) -> Bool {
        var iterations = 0
        while now < limit {
            iterations += 1
            if iterations > 100_000 {
                if ProcessInfo.processInfo.environment["QUIC_DEBUG"] != nil {
                    print("stuck at \(now): client timeout \(String(describing: client.nextTimeout)) server \(String(describing: server.nextTimeout)) inflight \(inFlight.count)")
                }
                return false
            }
            for d in client.takeDatagrams(now: now) {
                sentByClient += 1
                if !drop(true, sentByClient, d) { inFlight.append((now + delay, true, d)) }
            }
            for (d, _) in server.takeDatagrams(now: now) {
                sentByServer += 1
                if !drop(false, sentByServer, d) { inFlight.append((now + delay, false, d)) }
            }
            if done() { return true }
            let next = [inFlight.map(\.arrival).min(), client.nextTimeout, server.nextTimeout].compactMap { $0 }.min()
            guard let next else { return done() }
            now = max(now, next)
            let arriving = inFlight.filter { $0.arrival <= now }
            inFlight.removeAll { $0.arrival <= now }
            for d in arriving {
                if d.toServer { server.receive(datagram: d.datagram, from: clientAddress, now: now) } else { client.receive(datagram: d.datagram, now: now) }
            }
            echo()
            if let t = client.nextTimeout, t <= now { client.handleTimeout(now: now) }
            server.handleTimeouts(now: now)
            for chunk in client.takeStreamData() {
                echoed[chunk.streamID, default: []] += chunk.data
                if chunk.fin { echoFinished.insert(chunk.streamID) }
            }
        }
        return done()
    }

    /// The echo server's application: every stream's data goes back, FIN included.
    func echo() {
        for number in server.connectionNumbers {
            guard let connection = server.connection(number) else { continue }
            for chunk in connection.takeStreamData() { connection.send(stream: chunk.streamID, data: chunk.data, fin: chunk.fin) }
        }
    }

    /// Opens a stream once the handshake allows, sends `data` with FIN, and runs until the echo
    /// is complete.
    func echoRoundTrip(_ data: [UInt8], limit: Double = 60) -> (stream: UInt64?, echo: [UInt8]) {
        guard run(limit: limit, until: { client.isEstablished }) , let id = client.openStream() else { return (nil, []) }
        client.send(stream: id, data: data, fin: true)
        run(limit: limit) { echoFinished.contains(id) }
        return (id, echoed[id] ?? [])
    }
}
