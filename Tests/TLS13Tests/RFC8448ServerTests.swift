import Testing
import TLS13
import TLSCrypto

/// Yields scripted bytes in order, then zeros: lets a test hand the server RFC 8448's values
/// where it would draw randomness.
final class ScriptedRandom: RandomSource {
    private var script: [UInt8]

    init(_ script: [UInt8]) { self.script = script }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        for index in buffer.indices {
            buffer[index] = script.isEmpty ? 0 : script.removeFirst()
        }
    }
}

@Suite("RFC 8448 §3 against our server")
struct RFC8448ServerTests {
    /// Our server, given the RFC's ClientHello and the RFC's server key share and random, must
    /// write the RFC's ServerHello record byte for byte and derive the RFC's handshake secrets.
    /// (Its EncryptedExtensions, certificate and PSS signature are its own, so the trace
    /// diverges after that.)
    @Test("RFC 8448 §3: the RFC's ClientHello gets the RFC's ServerHello and handshake traffic secrets")
    func serverHelloAndSecrets() throws {
        let rfc = try RFC8448.load().section(3)
        let serverKeyPair = try rfc.step(.server, "create an ephemeral x25519 key pair")
        let serverHello = try rfc.message(.server, "ServerHello")
        let serverRandom = Array(serverHello[6..<38])

        let log = EventLog()
        var configuration = TLSConfiguration()
        configuration.cipherSuites = [.aes128GCMSHA256]
        configuration.certificateChain = [try TestPKI.serverCertificateDER()]
        configuration.privateKey = .rsa(try TestPKI.serverKey())
        configuration.random = ScriptedRandom(try serverKeyPair.bytes("private key") + serverRandom)
        configuration.observer = log.observer
        let server = TLSConnection(side: .server, configuration: configuration)
        try server.start()
        try server.receive(try rfc.steps(.client, "send handshake record")[0].bytes("complete record"))

        let records = splitRecords(server.takeOutgoing())
        #expect(records.first == (try rfc.steps(.server, "send handshake record")[0].bytes("complete record")))
        // The RFC's ClientHello has an empty legacy_session_id: no compatibility ChangeCipherSpec.
        #expect(records.count == 2 && records[1][0] == 23)
        #expect(log.keyLogSecret("CLIENT_HANDSHAKE_TRAFFIC_SECRET") == (try rfc.step(.server, "derive secret \"tls13 c hs traffic\"").bytes("expanded")))
        #expect(log.keyLogSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET") == (try rfc.step(.server, "derive secret \"tls13 s hs traffic\"").bytes("expanded")))
        let keyPairs = log.events.compactMap { event -> [UInt8]? in
            if case .keyPair(_, _, let publicKey) = event { return publicKey }
            return nil
        }
        #expect(keyPairs == [try serverKeyPair.bytes("public key")])
    }
}
