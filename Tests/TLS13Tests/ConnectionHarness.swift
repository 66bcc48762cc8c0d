import Foundation
import Loopback
import TLS13
import TLSCrypto

/// The repository's teaching PKI (cert/, made by cert/make-certs.sh): a CA and a server
/// certificate for localhost, 127.0.0.1 and ::1 that it signs.
enum TestPKI {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("cert")

    static func pem(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func der(_ name: String) throws -> [UInt8] {
        guard let block = try PEM.decode(try pem(name)).first else { throw CocoaError(.fileReadCorruptFile) }
        return block.der
    }

    static func caCertificate() throws -> Certificate { try Certificate(der: try der("ca.crt")) }
    static func serverCertificateDER() throws -> [UInt8] { try der("server.crt") }
    static func serverKey() throws -> RSAPrivateKey { try RSAPrivateKey(pem: try pem("server.key")) }
}

/// Our client and our server with the teaching PKI and fixed-seed randoms, joined in memory by
/// the loopback every layer uses (`TLSLoopback`), each side's events in its log. A test plays
/// the attacker on the wire through `loopback.onFlight`.
final class ConnectionPair {
    let loopback: TLSLoopback
    let clientLog = EventLog()
    let serverLog = EventLog()
    var client: TLSConnection { loopback.client }
    var server: TLSConnection { loopback.server }
    /// Deliver bytes in chunks of this size (1 = one byte at a time).
    var chunkSize: Int {
        get { loopback.chunkSize }
        set { loopback.chunkSize = newValue }
    }

    init(chunkSize: Int = .max, client configureClient: (inout TLSConfiguration) throws -> Void = { _ in },
         server configureServer: (inout TLSConfiguration) throws -> Void = { _ in }) throws {
        var clientConfiguration = TLSConfiguration()
        clientConfiguration.serverName = "localhost"
        clientConfiguration.trustAnchors = [try TestPKI.caCertificate()]
        clientConfiguration.random = DeterministicRandom(seed: 1)
        clientConfiguration.observer = clientLog.observer
        try configureClient(&clientConfiguration)

        var serverConfiguration = TLSConfiguration()
        serverConfiguration.certificateChain = [try TestPKI.serverCertificateDER()]
        serverConfiguration.privateKey = .rsa(try TestPKI.serverKey())
        serverConfiguration.random = DeterministicRandom(seed: 2)
        serverConfiguration.observer = serverLog.observer
        try configureServer(&serverConfiguration)

        loopback = TLSLoopback(client: clientConfiguration, server: serverConfiguration, chunkSize: chunkSize)
    }

    /// Moves bytes both ways until both are quiet. Rethrows the first error either side throws.
    func pump() throws { try loopback.pump() }

    func handshake() throws { try loopback.handshake() }
}

/// Splits a byte stream into whole TLS records (header + fragment), for tests that play the
/// attacker. Trailing bytes that do not make a record are returned as a last, short element.
func splitRecords(_ bytes: [UInt8]) -> [[UInt8]] {
    var records: [[UInt8]] = []
    var offset = 0
    while offset + 5 <= bytes.count {
        let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
        let end = min(offset + 5 + length, bytes.count)
        records.append(Array(bytes[offset..<end]))
        offset = end
    }
    if offset < bytes.count { records.append(Array(bytes[offset...])) }
    return records
}

/// A plaintext handshake record carrying `message`.
func plaintextRecord(_ message: HandshakeMessage, version: UInt16 = 0x0303) throws -> [UInt8] {
    let body = try message.encoded
    return [22, UInt8(version >> 8), UInt8(version & 0xff), UInt8(body.count >> 8), UInt8(body.count & 0xff)] + body
}

extension EventLog {
    /// The secret a key-log event reported under `label`.
    func keyLogSecret(_ label: String) -> [UInt8]? {
        for case .keyLog(let name, _, let secret) in events where name == label { return secret }
        return nil
    }

    var checks: [(String, Bool)] {
        events.compactMap { if case .check(let text, let passed, _) = $0 { return (text, passed) } else { return nil } }
    }

    var sentAlerts: [AlertDescription] {
        events.compactMap { if case .alert(.sent, _, let description) = $0 { return description } else { return nil } }
    }
}
