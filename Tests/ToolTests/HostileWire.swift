import Foundation
import Synchronization
import TLS13
import TLSCrypto
import TLSTool

/// Tools for playing a broken or malicious peer over real sockets (issue 5, "Proof"): raw
/// records and hand-built hellos, and an in-process TLS client whose keys the test can use to
/// forge protected records and read the encrypted alert that answers them.
enum Wire {
    /// An alert record as sent before any key exists: 15 03 03 00 02 02 XX.
    static func plaintextAlert(_ description: AlertDescription) -> [UInt8] {
        [ContentType.alert.rawValue, 3, 3, 0, 2, AlertLevel.fatal.rawValue, description.rawValue]
    }

    /// A TLSPlaintext record: type, legacy_record_version, uint16 length, fragment.
    static func record(_ type: UInt8, _ fragment: [UInt8], version: UInt16 = 0x0303) -> [UInt8] {
        [type, UInt8(version >> 8), UInt8(version & 0xff), UInt8(fragment.count >> 8), UInt8(fragment.count & 0xff)] + fragment
    }

    /// Cuts a byte stream into whole records (header and fragment).
    static func records(_ bytes: [UInt8]) -> [[UInt8]] {
        var records: [[UInt8]] = []
        var offset = 0
        while offset + 5 <= bytes.count {
            let end = min(offset + 5 + (Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])), bytes.count)
            records.append(Array(bytes[offset..<end]))
            offset = end
        }
        return records
    }

    static func handshakeRecord(_ message: HandshakeMessage, version: UInt16 = 0x0303) throws -> [UInt8] {
        record(ContentType.handshake.rawValue, try message.encoded, version: version)
    }

    /// The server's certificate is issued for localhost, 127.0.0.1 and ::1 by cert/ca.crt.
    static func trustAnchor() throws -> Certificate {
        let pem = try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent("cert/ca.crt"), encoding: .utf8)
        guard let block = try PEM.decode(pem).first else { throw ProcessFailure("cert/ca.crt holds no certificate") }
        return try Certificate(der: block.der)
    }

    static func serverCredentials() throws -> (chain: [[UInt8]], key: RSAPrivateKey) {
        let root = ToolProcess.repositoryRoot
        let certificate = try String(contentsOf: root.appendingPathComponent("cert/server.crt"), encoding: .utf8)
        let key = try String(contentsOf: root.appendingPathComponent("cert/server.key"), encoding: .utf8)
        return (try PEM.decode(certificate).map(\.der), try RSAPrivateKey(pem: key))
    }
}

// MARK: ClientHellos

/// A valid TLS 1.3 ClientHello, field by field, for a test to break one field of.
struct HelloTemplate {
    var legacyVersion = ProtocolVersion.tls12
    var random = [UInt8](repeating: 0xab, count: 32)
    var sessionID = [UInt8](repeating: 0x11, count: 32)
    var suites: [CipherSuite] = [.aes128GCMSHA256, .chacha20Poly1305SHA256]
    var compression: [UInt8] = [0]
    var extensions: [Extension]

    static func x25519Share(_ publicKey: [UInt8]) throws -> Extension {
        try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: publicKey)]))
    }

    static var goodShare: Extension {
        get throws { try x25519Share(try X25519.publicKey(privateKey: [UInt8](repeating: 0x42, count: 32))) }
    }
    static var tls13: Extension { get throws { try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])) } }
    static var x25519Group: Extension { get throws { try Extension(.supportedGroups, NamedGroupList([.x25519])) } }
    static var pss: Extension { get throws { try Extension(.signatureAlgorithms, SignatureSchemeList([.rsaPSSRSAESHA256])) } }
    static var noShare: Extension { get throws { try Extension(.keyShare, KeyShareClientHello(clientShares: [])) } }

    init(extensions: [Extension]) { self.extensions = extensions }

    /// supported_versions, supported_groups, signature_algorithms, key_share.
    static func good() throws -> HelloTemplate { HelloTemplate(extensions: [try tls13, try x25519Group, try pss, try goodShare]) }

    var message: HandshakeMessage {
        .clientHello(ClientHello(legacyVersion: legacyVersion, random: random, legacySessionID: sessionID, cipherSuites: suites,
                                 legacyCompressionMethods: compression, extensions: extensions))
    }

    /// The handshake message bytes (header included).
    var bytes: [UInt8] { get throws { try message.encoded } }

    var record: [UInt8] { get throws { Wire.record(ContentType.handshake.rawValue, try bytes, version: 0x0301) } }
}

// MARK: Sockets

extension TCPSocket {
    /// Everything the peer sends until it closes the connection (true) or `seconds` pass (false).
    func readUntilClosed(seconds: Double = 5) -> (bytes: [UInt8], closed: Bool) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var all: [UInt8] = []
        while true {
            guard Polling.readable([fileDescriptor], until: deadline).contains(fileDescriptor) else { return (all, false) }
            guard let chunk = try? read(), !chunk.isEmpty else { return (all, true) }
            all += chunk
        }
    }
}

/// Records the events of an in-process connection.
final class EventRecorder: Sendable {
    private let storage = Mutex<[TLSEvent]>([])
    var events: [TLSEvent] { storage.withLock { $0 } }
    var observer: TLSObserver { { [self] event in storage.withLock { $0.append(event) } } }

    /// The keys a `.trafficKeys` event reported for `direction` in `epoch`.
    func trafficKeys(_ direction: KeyDirection, epoch: TrafficEpoch) -> (CipherSuite, TrafficKeys)? {
        for case .trafficKeys(let d, let e, let suite, _, _, let key, _, let iv) in events where d == direction && e == epoch {
            return (suite, TrafficKeys(key: key, iv: iv))
        }
        return nil
    }

    func keyLogSecret(_ label: String) -> [UInt8]? {
        for case .keyLog(let name, _, let secret) in events where name == label { return secret }
        return nil
    }
}

/// Our client engine, in this process, over a real socket to a server: it completes the
/// handshake, then lets the test write its own records under the client's application key.
final class InProcessClient {
    let session: TLSSession
    let recorder = EventRecorder()
    var connection: TLSConnection { session.connection }
    var socket: TCPSocket { session.socket }

    init(port: UInt16, suites: [CipherSuite] = [.chacha20Poly1305SHA256]) throws {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = suites
        configuration.serverName = "localhost"
        configuration.trustAnchors = [try Wire.trustAnchor()]
        configuration.observer = recorder.observer
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: port)
        session = TLSSession(socket: socket, connection: TLSConnection(side: .client, configuration: configuration))
        try session.start()
        try session.completeHandshake(deadline: .now + .seconds(5))
    }

    /// Seals records under the client's first application key, starting at sequence number 0:
    /// valid only while the connection itself has sent no application record.
    func forger() throws -> RecordProtection {
        guard let (suite, keys) = recorder.trafficKeys(.write, epoch: .application(generation: 0)),
              let parameters = CipherSuiteParameters(suite) else { throw ProcessFailure("no client application key reported") }
        return try RecordProtection(parameters: parameters, keys: keys, epoch: .application(generation: 0))
    }

    /// Sends `data` and reads until as many bytes came back (an echo server).
    func echo(_ data: [UInt8]) throws -> [UInt8] {
        try session.send(data)
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while received.count < data.count {
            guard Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor),
                  try session.receiveOnce() else { break }
            received += connection.takeApplicationData()
        }
        return received
    }

    /// Writes `bytes` as they are and reads the server's answer to the end; the connection
    /// opens it. Returns the alert it carried (nil if none) and whether close_notify came.
    func answer(to bytes: [UInt8]) throws -> (alert: AlertDescription?, peerClosed: Bool, closed: Bool) {
        try socket.write(bytes)
        let (reply, closed) = socket.readUntilClosed()
        do {
            try connection.receive(reply)
        } catch let error as TLSError where error.origin == .peer {
            return (error.alert, connection.peerClosed, closed)
        }
        return (nil, connection.peerClosed, closed)
    }

    func close() {
        try? session.close()
        socket.close()
    }
}

/// A tls13-server process for one test; it is terminated when the test lets go of it.
final class ServerUnderTest {
    let process: ToolProcess
    let port: UInt16

    /// `reply` is how the server answers data: `--echo` (what `servesNextClient` needs) or `--www`.
    init(_ extraArguments: [String] = [], reply: String = "--echo") throws {
        process = try ToolProcess.ours("tls13-server", ["--port", "0", "--quiet", reply] + extraArguments)
        port = try process.listeningPort()
    }

    /// Proof that the server survived: a fresh client completes a handshake and gets its echo.
    func servesNextClient() throws -> Bool {
        let client = try InProcessClient(port: port)
        defer { client.close() }
        let line = Array("still serving\n".utf8)
        return try client.echo(line) == line
    }

    /// Sends `bytes` on a fresh raw connection; returns all the server wrote until it closed.
    func rawAnswer(to bytes: [UInt8]) throws -> (bytes: [UInt8], closed: Bool) {
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: port)
        defer { socket.close() }
        try socket.write(bytes)
        return socket.readUntilClosed()
    }

    deinit { process.terminate() }
}
