import Foundation
import Loopback
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

/// What each end of a loopback reported, in order; the server's events with the number of the
/// connection they belong to.
final class QUICEventLog {
    var client: [QUICEvent] = []
    var server: [(Int, QUICEvent)] = []
}

extension QUICLoopback {
    /// Our client and our server endpoint with the teaching PKI (the server asking for a Retry
    /// first when `retry`), on the loopback every layer uses, and the log of their events.
    static func withTeachingPKI(client: QUICConfiguration? = nil, server: QUICConfiguration? = nil,
                                retry: Bool = false) throws -> (QUICLoopback, QUICEventLog) {
        let loopback = try QUICLoopback(client: client ?? QUICTestPKI.client(), server: server ?? QUICTestPKI.server(),
                                        retry: retry, serverClock: { 1_000 })
        let log = QUICEventLog()
        loopback.client.observer = { log.client.append($0) }
        loopback.server.observer = { log.server.append(($0, $1)) }
        return (loopback, log)
    }
}
