import Testing
import TLS13
import TLSCrypto

/// The configuration values that replace what the library would choose itself
/// (`TLSConfiguration`, "Reproducing a published trace"): they are used exactly, and a value
/// that cannot work is refused as the caller's mistake (internal_error), never sent.
@Suite("Fixed handshake values (reproducing a published trace)")
struct TraceReproductionHookTests {
    static let clientRandom = [UInt8](repeating: 0xc1, count: 32)
    static let serverRandom = [UInt8](repeating: 0x5e, count: 32)
    static let clientKey = [UInt8](repeating: 0x11, count: 32)
    static let serverKey = [UInt8](repeating: 0x22, count: 32)

    static func clientHello(_ pair: ConnectionPair) throws -> ClientHello {
        try pair.client.start()
        let record = pair.client.takeOutgoing()
        guard case .clientHello(let hello) = try HandshakeMessage(decoding: Array(record.dropFirst(5)), finishedLength: 32) else {
            throw TLSError(.internalError, "not a ClientHello")
        }
        return hello
    }

    @Test("Randoms, key shares and the PSS salt are the configured ones; the handshake completes")
    func fixedValuesUsed() throws {
        let salt = [UInt8](repeating: 0x5a, count: 32)
        let pair = try ConnectionPair(client: {
            $0.helloRandom = Self.clientRandom
            $0.groups = [.x25519]
            $0.keySharePrivateKey = Self.clientKey
            $0.cipherSuites = [.aes128GCMSHA256]
        }, server: {
            $0.helloRandom = Self.serverRandom
            $0.groups = [.x25519]
            $0.keySharePrivateKey = Self.serverKey
            $0.signatureSalt = salt
        })
        try pair.handshake()
        let keyPairs = (pair.clientLog.events + pair.serverLog.events).compactMap { event -> [UInt8]? in
            if case .keyPair(_, let privateKey, _) = event { return privateKey }
            return nil
        }
        #expect(keyPairs == [Self.clientKey, Self.serverKey])
        let sent = pair.serverLog.events.compactMap { event -> [UInt8]? in
            if case .handshakeMessage(.sent, .serverHello, let bytes, _) = event { return bytes }
            return nil
        }
        #expect(sent.first.map { Array($0[6..<38]) } == Self.serverRandom)
        // PSS with the configured salt is deterministic: signing the same content with it again
        // gives the signature the server sent.
        let signed = pair.serverLog.events.compactMap { event -> (content: [UInt8], signature: [UInt8])? in
            if case .certificateVerify(.rsaPSSRSAESHA256, let content, let signature, nil) = event { return (content, signature) }
            return nil
        }
        let cv = try #require(signed.first)
        #expect(try TestPKI.serverKey().signPSS(cv.content, hash: SHA256.self, saltSource: ScriptedRandom(salt)) == cv.signature)
    }

    @Test("middleboxCompatibility off: empty legacy_session_id, no ChangeCipherSpec from either side")
    func withoutMiddleboxCompatibility() throws {
        let pair = try ConnectionPair(client: { $0.middleboxCompatibility = false })
        #expect(try Self.clientHello(pair).legacySessionID.isEmpty)
        let fresh = try ConnectionPair(client: { $0.middleboxCompatibility = false })
        var contentTypes: [UInt8] = []
        fresh.loopback.onFlight = { _, flight in
            contentTypes += splitRecords(flight).map { $0[0] }
            return flight
        }
        try fresh.handshake()
        #expect(fresh.client.isHandshakeComplete && fresh.server.isHandshakeComplete)
        #expect(!contentTypes.contains(20))
    }

    @Test("clientHelloExtensions are sent exactly, in order; a list without our key share is refused")
    func clientHelloExtensions() throws {
        let publicKey = try X25519.publicKey(privateKey: Self.clientKey)
        let extensions = [
            try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])),
            try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: publicKey)])),
            try Extension(.signatureAlgorithms, SignatureSchemeList([.rsaPSSRSAESHA256])),
            try Extension(.supportedGroups, NamedGroupList([.x25519])),
        ]
        let pair = try ConnectionPair(client: {
            $0.groups = [.x25519]
            $0.keySharePrivateKey = Self.clientKey
            $0.clientHelloExtensions = extensions
        })
        #expect(try Self.clientHello(pair).extensions == extensions)
        let complete = try ConnectionPair(client: {
            $0.groups = [.x25519]
            $0.keySharePrivateKey = Self.clientKey
            $0.clientHelloExtensions = extensions
        })
        try complete.handshake()
        #expect(complete.client.isHandshakeComplete)

        let wrong = try ConnectionPair(client: { $0.clientHelloExtensions = extensions })
        let error = try #require(throws: TLSError.self) { try wrong.client.start() }
        #expect(error.alert == .internalError)
    }

    @Test("A configured PSS salt of the wrong length is refused (internal_error), not used")
    func wrongSaltLength() throws {
        let pair = try ConnectionPair(server: { $0.signatureSalt = [1, 2, 3] })
        let error = try #require(throws: TLSError.self) { try pair.handshake() }
        #expect(error.alert == .internalError && error.origin == .local)
    }

    @Test("encryptedExtensions and newSessionTicket: the server sends them; the client reads the ticket after the handshake")
    func encryptedExtensionsAndTicket() throws {
        let ticket = NewSessionTicket(ticketLifetime: 30, ticketAgeAdd: 7, ticketNonce: [0, 0], ticket: [1, 2, 3], extensions: [])
        let encryptedExtensions = [try Extension(.supportedGroups, NamedGroupList([.x25519]))]
        let pair = try ConnectionPair(server: {
            $0.encryptedExtensions = encryptedExtensions
            $0.newSessionTicket = ticket
        })
        try pair.handshake()
        try pair.pump()
        let sent = pair.serverLog.events.compactMap { event -> HandshakeType? in
            if case .handshakeMessage(.sent, let type, _, _) = event { return type }
            return nil
        }
        #expect(sent.last == .newSessionTicket)
        let received = pair.clientLog.events.compactMap { event -> [UInt8]? in
            if case .handshakeMessage(.received, .encryptedExtensions, let bytes, _) = event { return bytes }
            return nil
        }
        var writer = ByteWriter()
        try EncryptedExtensions(extensions: encryptedExtensions).encode(into: &writer)
        #expect(received.first.map { Array($0.dropFirst(4)) } == writer.bytes)
        let resumptionSecrets = pair.serverLog.events.filter { if case .resumptionSecret = $0 { true } else { false } }
        #expect(resumptionSecrets.count == 1)
    }
}
