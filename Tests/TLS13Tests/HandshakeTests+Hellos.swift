import Foundation
import Testing
import TLS13
import TLSCrypto

/// The hello checks of the in-memory handshake suite (RFC 8446 §4.1.2-§4.1.4, §4.2.1, §4.2.8,
/// §7.4.2): ServerHellos and ClientHellos rewritten or built by hand, HelloRetryRequest and its
/// cookie, legacy versions and oversized messages, each with the alert the RFC names.
extension HandshakeTests {
    /// Rewrites the server's plaintext ServerHello (the first record it sends).
    func rewriteServerHello(_ pair: ConnectionPair, _ edit: @escaping (inout ServerHello) throws -> Void) {
        pair.loopback.onFlight = { sender, bytes in
            var records = splitRecords(bytes)
            guard sender == .server, records.first?.first == 22,
                  case .serverHello(var hello) = try HandshakeMessage(decoding: Array(records[0][5...]), finishedLength: 32)
            else { return bytes }
            try edit(&hello)
            records[0] = try plaintextRecord(.serverHello(hello))
            return records.flatMap { $0 }
        }
    }

    @Test("a ServerHello selecting a suite the client did not offer → illegal_parameter (RFC 8446 §4.1.3)")
    func unofferedSuite() throws {
        let pair = try ConnectionPair(client: { $0.cipherSuites = [.chacha20Poly1305SHA256] })
        rewriteServerHello(pair) { $0.cipherSuite = .aes128GCMSHA256 }
        #expect(throws: TLSError(.illegalParameter, "ServerHello selected TLS_AES_128_GCM_SHA256 (0x1301), which we did not offer")) {
            try pair.handshake()
        }
    }

    @Test("a ServerHello that does not echo legacy_session_id → illegal_parameter (RFC 8446 §4.1.3)")
    func sessionIDEcho() throws {
        let pair = try ConnectionPair()
        rewriteServerHello(pair) { $0.legacySessionIDEcho = [] }
        #expect { try pair.handshake() } throws: { ($0 as? TLSError)?.alert == .illegalParameter }
    }

    @Test("a ServerHello without supported_versions → protocol_version; with a downgrade sentinel → illegal_parameter")
    func serverWithoutSupportedVersions() throws {
        let plain = try ConnectionPair()
        rewriteServerHello(plain) { $0.extensions.removeAll { $0.type == .supportedVersions } }
        #expect { try plain.handshake() } throws: { ($0 as? TLSError)?.alert == .protocolVersion }

        let downgraded = try ConnectionPair()
        rewriteServerHello(downgraded) { hello in
            hello.extensions.removeAll { $0.type == .supportedVersions }
            hello.random.replaceSubrange(24..<32, with: [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01])
        }
        #expect { try downgraded.handshake() } throws: { ($0 as? TLSError)?.alert == .illegalParameter }
    }

    @Test("a ServerHello with a key share for another group → illegal_parameter (RFC 8446 §4.2.8)")
    func wrongKeyShareGroup() throws {
        let pair = try ConnectionPair()
        rewriteServerHello(pair) { hello in
            hello.extensions.removeAll { $0.type == .keyShare }
            hello.extensions.append(try Extension(.keyShare, KeyShareServerHello(serverShare: KeyShareEntry(group: .secp256r1, keyExchange: [4] + [UInt8](repeating: 1, count: 64)))))
        }
        #expect { try pair.handshake() } throws: { ($0 as? TLSError)?.alert == .illegalParameter }
    }

    @Test("an x25519 share giving the all-zero secret → illegal_parameter (RFC 8446 §7.4.2)")
    func zeroSharedSecret() throws {
        let pair = try ConnectionPair()
        rewriteServerHello(pair) { hello in
            hello.extensions.removeAll { $0.type == .keyShare }
            hello.extensions.insert(try Extension(.keyShare, KeyShareServerHello(serverShare: KeyShareEntry(group: .x25519, keyExchange: [UInt8](repeating: 0, count: 32)))), at: 0)
        }
        #expect { try pair.handshake() } throws: { ($0 as? TLSError)?.alert == .illegalParameter }
    }

    // MARK: The server's checks of a ClientHello

    func clientHello(suites: [CipherSuite] = [.aes128GCMSHA256], extensions: [Extension]) -> ClientHello {
        ClientHello(random: [UInt8](repeating: 0xab, count: 32), legacySessionID: [UInt8](repeating: 0x11, count: 32),
                    cipherSuites: suites, extensions: extensions)
    }

    func x25519Share() throws -> Extension {
        let publicKey = try X25519.publicKey(privateKey: [UInt8](repeating: 0x42, count: 32))
        return try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: publicKey)]))
    }

    var tls13Only: Extension { get throws { try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])) } }
    var x25519Group: Extension { get throws { try Extension(.supportedGroups, NamedGroupList([.x25519])) } }
    var pssSHA256: Extension { get throws { try Extension(.signatureAlgorithms, SignatureSchemeList([.rsaPSSRSAESHA256])) } }

    /// Sends `hello` to a fresh server; returns the error and what the server wrote.
    func serverRejects(_ hello: ClientHello) throws -> (TLSError?, [UInt8]) {
        let pair = try ConnectionPair()
        try pair.server.start()
        do {
            try pair.server.receive(plaintextRecord(.clientHello(hello), version: 0x0301))
            return (nil, pair.server.takeOutgoing())
        } catch let error as TLSError {
            return (error, pair.server.takeOutgoing())
        }
    }

    @Test("a ClientHello without TLS 1.3 in supported_versions → protocol_version (RFC 8446 §4.2.1)")
    func clientWithoutSupportedVersions() throws {
        let (error, written) = try serverRejects(clientHello(extensions: [x25519Group, pssSHA256, try x25519Share()]))
        #expect(error?.alert == .protocolVersion)
        // The fatal alert goes out in plaintext: level 2, protocol_version (70).
        #expect(written == [21, 3, 3, 0, 2, 2, 70])
    }

    @Test("ClientHello checks: no common suite, no signature_algorithms, bad compression, no common group, duplicate extension, bad x25519 share")
    func clientHelloChecks() throws {
        let share = try x25519Share()
        #expect(try serverRejects(clientHello(suites: [CipherSuite.aes128CCMSHA256], extensions: [tls13Only, x25519Group, pssSHA256, share])).0?.alert == .handshakeFailure)
        #expect(try serverRejects(clientHello(extensions: [tls13Only, x25519Group, share])).0?.alert == .missingExtension)
        var compressed = clientHello(extensions: [try tls13Only, try x25519Group, try pssSHA256, share])
        compressed.legacyCompressionMethods = [1, 0]
        #expect(try serverRejects(compressed).0?.alert == .illegalParameter)
        let p384Only = clientHello(extensions: [try tls13Only, try Extension(.supportedGroups, NamedGroupList([.secp384r1])), try pssSHA256,
                                                try Extension(.keyShare, KeyShareClientHello(clientShares: []))])
        #expect(try serverRejects(p384Only).0?.alert == .handshakeFailure)
        let pkcs1Only = clientHello(extensions: [try tls13Only, try x25519Group, try Extension(.signatureAlgorithms, SignatureSchemeList([.rsaPKCS1SHA256])), share])
        #expect(try serverRejects(pkcs1Only).0?.alert == .handshakeFailure)
        #expect(try serverRejects(clientHello(extensions: [tls13Only, tls13Only, x25519Group, pssSHA256, share])).0?.alert == .illegalParameter)
        let zeroShare = try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: [UInt8](repeating: 0, count: 32))]))
        #expect(try serverRejects(clientHello(extensions: [tls13Only, x25519Group, pssSHA256, zeroShare])).0?.alert == .illegalParameter)
        let shortShare = try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: [9, 9, 9])]))
        #expect(try serverRejects(clientHello(extensions: [tls13Only, x25519Group, pssSHA256, shortShare])).0?.alert == .illegalParameter)
    }

    @Test("a server declining 0-RTT skips the client's early data records instead of failing (RFC 8446 §4.2.10)")
    func declinedEarlyData() throws {
        let pair = try ConnectionPair()
        try pair.server.start()
        let hello = clientHello(extensions: [try tls13Only, try x25519Group, try pssSHA256, try x25519Share(),
                                             try Extension(.earlyData, EmptyExtensionData())])
        let earlyData: [UInt8] = [23, 3, 3, 0, 40] + [UInt8](repeating: 0x5a, count: 40)
        try pair.server.receive(plaintextRecord(.clientHello(hello)) + earlyData + earlyData)
        #expect(!pair.server.takeOutgoing().isEmpty)
        #expect(pair.serverLog.events.contains { if case .note(let text) = $0 { text.hasPrefix("declining the client's 0-RTT early data") } else { false } })
    }

    @Test("a ClientHello without an x25519 share gets a HelloRetryRequest; the second ClientHello completes the server's flight (RFC 8446 §4.1.4)")
    func helloRetryRequest() throws {
        let pair = try ConnectionPair()
        try pair.server.start()
        let noShare = try Extension(.keyShare, KeyShareClientHello(clientShares: []))
        try pair.server.receive(plaintextRecord(.clientHello(clientHello(extensions: [tls13Only, x25519Group, pssSHA256, noShare])), version: 0x0301))
        let retry = splitRecords(pair.server.takeOutgoing())
        guard case .helloRetryRequest(let request) = try HandshakeMessage(decoding: Array(retry[0][5...]), finishedLength: 32) else {
            Issue.record("the server did not send a HelloRetryRequest")
            return
        }
        #expect(try request.extensions.decode(.keyShare, as: KeyShareHelloRetryRequest.self)?.selectedGroup == .x25519)
        #expect(request.legacySessionIDEcho == [UInt8](repeating: 0x11, count: 32))
        #expect(retry.count == 2 && retry[1] == [20, 3, 3, 0, 1, 1])

        // Still no share: illegal_parameter.
        let stubborn = try ConnectionPair()
        try stubborn.server.start()
        let first = try plaintextRecord(.clientHello(clientHello(extensions: [try tls13Only, try x25519Group, try pssSHA256, noShare])), version: 0x0301)
        try stubborn.server.receive(first)
        #expect { try stubborn.server.receive(first) } throws: { ($0 as? TLSError)?.alert == .illegalParameter }

        // With the share: ServerHello and the encrypted flight follow.
        try pair.server.receive(plaintextRecord(.clientHello(clientHello(extensions: [tls13Only, x25519Group, pssSHA256, try x25519Share()]))))
        let flight = splitRecords(pair.server.takeOutgoing())
        guard case .serverHello = try HandshakeMessage(decoding: Array(flight[0][5...]), finishedLength: 32) else {
            Issue.record("no ServerHello after the retry")
            return
        }
        #expect(flight.count == 2 && flight[1][0] == 23)
    }

    @Test("the client answers a cookie HelloRetryRequest with the cookie, and a second one with unexpected_message")
    func clientHelloRetry() throws {
        let pair = try ConnectionPair()
        try pair.client.start()
        let first = splitRecords(pair.client.takeOutgoing())
        guard case .clientHello(let hello1) = try HandshakeMessage(decoding: Array(first[0][5...]), finishedLength: 32) else {
            Issue.record("no ClientHello")
            return
        }
        let retry = HelloRetryRequest(legacySessionIDEcho: hello1.legacySessionID, cipherSuite: .aes128GCMSHA256, extensions: [
            try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
            try Extension(.cookie, Cookie([1, 2, 3, 4])),
        ])
        let retryRecord = [UInt8](try plaintextRecord(.helloRetryRequest(retry)))
        try pair.client.receive(retryRecord)
        let second = splitRecords(pair.client.takeOutgoing())
        #expect(second.count == 2 && second[0] == [20, 3, 3, 0, 1, 1])
        guard case .clientHello(let hello2) = try HandshakeMessage(decoding: Array(second[1][5...]), finishedLength: 32) else {
            Issue.record("no second ClientHello")
            return
        }
        #expect(try hello2.extensions.decode(.cookie, as: Cookie.self)?.cookie == [1, 2, 3, 4])
        #expect(hello2.random == hello1.random)
        #expect(try hello2.extensions.decode(.keyShare, as: KeyShareClientHello.self) == hello1.extensions.decode(.keyShare, as: KeyShareClientHello.self))
        #expect(throws: TLSError(.unexpectedMessage, "a second HelloRetryRequest")) { try pair.client.receive(retryRecord) }
    }

    /// A fresh client's answer to a HelloRetryRequest whose cookie makes the second ClientHello's
    /// extensions exactly `extensionsLength` bytes long.
    func clientAnswer(toCookieMaking extensionsLength: Int) throws -> Result<[UInt8], TLSError> {
        let pair = try ConnectionPair()
        try pair.client.start()
        guard case .clientHello(let hello1) = try HandshakeMessage(decoding: Array(splitRecords(pair.client.takeOutgoing())[0][5...]), finishedLength: 32) else {
            throw TLSError(.internalError, "no ClientHello")
        }
        let cookieLength = extensionsLength - hello1.extensions.reduce(0) { $0 + 4 + $1.data.count } - 4 - 2
        let retry = try HandshakeMessage.helloRetryRequest(HelloRetryRequest(legacySessionIDEcho: hello1.legacySessionID, cipherSuite: .aes128GCMSHA256, extensions: [
            try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
            try Extension(.cookie, Cookie([UInt8](repeating: 0xc0, count: cookieLength))),
        ])).encoded
        var records = RecordLayer(events: EventSink(observer: nil), handshakeMessageSizeLimit: 1 << 16)
        do {
            try pair.client.receive(try records.writeHandshake(retry))
            return .success(pair.client.takeOutgoing())
        } catch let error as TLSError {
            #expect(Array(pair.client.takeOutgoing().suffix(7)) == [21, 3, 3, 0, 2, 2, error.alert.rawValue])
            return .failure(error)
        }
    }

    @Test("""
        RFC 8446 §4.2.2 and §4.1.2: a cookie the second ClientHello cannot carry (its extensions \
        <8..2^16-1> would overflow) → illegal_parameter ("inconsistent with other fields", §6.2) \
        when the HelloRetryRequest arrives, never a trap; one that just fits is echoed
        """)
    func clientRefusesCookieThatCannotBeEchoed() throws {
        guard case .success(let second) = try clientAnswer(toCookieMaking: 0xffff) else {
            Issue.record("a cookie that fits was refused")
            return
        }
        var reader = RecordLayer(events: EventSink(observer: nil), handshakeMessageSizeLimit: 1 << 17)
        reader.inHandshakeWindow = true  // the compatibility ChangeCipherSpec comes first
        reader.receive(second)
        guard case .handshake(.clientHello, let bytes) = try reader.nextMessage(),
              case .clientHello(let hello2) = try HandshakeMessage(decoding: bytes, finishedLength: 32) else {
            Issue.record("no second ClientHello")
            return
        }
        #expect(hello2.extensions.reduce(0) { $0 + 4 + $1.data.count } == 0xffff)

        guard case .failure(let error) = try clientAnswer(toCookieMaking: 0x10000) else {
            Issue.record("a cookie that overflows the second ClientHello was accepted")
            return
        }
        #expect(error.alert == .illegalParameter)
        #expect(error.reason.contains("over 2^16-1"))
    }

    @Test("""
        RFC 8446 Appendix D.5: "Any endpoint receiving a Hello message with ClientHello.legacy_version \
        ... set to 0x0300 MUST abort the handshake with a "protocol_version" alert"; so does one below it
        """)
    func legacyVersionSSL3OrLower() throws {
        for version: UInt16 in [0x0300, 0x0200, 0x0002, 0x0000] {
            let pair = try ConnectionPair()
            try pair.server.start()
            var hello = clientHello(extensions: [try tls13Only, try x25519Group, try pssSHA256, try x25519Share()])
            hello.legacyVersion = ProtocolVersion(rawValue: version)
            #expect(throws: TLSError(.protocolVersion, "legacy_version is \(hello.legacyVersion), 0x0300 or lower (RFC 8446 Appendix D.5)")) {
                try pair.server.receive(try plaintextRecord(.clientHello(hello)))
            }
            #expect(Array(pair.server.takeOutgoing()) == [21, 3, 3, 0, 2, 2, 70])
        }
        // 0x0301 and 0x0302 are old but allowed: supported_versions decides (§4.2.1).
        let pair = try ConnectionPair()
        try pair.server.start()
        var hello = clientHello(extensions: [try tls13Only, try x25519Group, try pssSHA256, try x25519Share()])
        hello.legacyVersion = ProtocolVersion(rawValue: 0x0301)
        try pair.server.receive(try plaintextRecord(.clientHello(hello)))
        #expect(splitRecords(pair.server.takeOutgoing()).first?.first == 22)
    }

    @Test("""
        a legal ClientHello of 65.6 KB (32,715 signature schemes, over the 64 KiB cap of other \
        messages) completes a handshake: RFC 8446 §4.1.2 allows up to 131,396 bytes
        """)
    func largeClientHello() throws {
        let clientKey = [UInt8](repeating: 0x42, count: 32)
        let unknownSchemes = (0..<32_714).map { SignatureScheme(rawValue: 0x0900 + UInt16($0)) }
        let extensions = [
            try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])),
            try Extension(.supportedGroups, NamedGroupList([.x25519])),
            try Extension(.signatureAlgorithms, SignatureSchemeList(unknownSchemes + [.rsaPSSRSAESHA256])),
            try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: try X25519.publicKey(privateKey: clientKey))])),
        ]
        let pair = try ConnectionPair {
            $0.groups = [.x25519]
            $0.keySharePrivateKey = clientKey
            $0.clientHelloExtensions = extensions
        }
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        guard case .handshakeMessage(_, .clientHello, let bytes, _) = pair.clientLog.events.first(where: {
            if case .handshakeMessage(.sent, .clientHello, _, _) = $0 { return true } else { return false }
        }) else {
            Issue.record("no ClientHello sent")
            return
        }
        #expect(bytes.count > 65_536 + 4)
    }

    @Test("a handshake message longer than handshakeMessageSizeLimit → decode_error as soon as its header arrives")
    func sizeLimit() throws {
        let pair = try ConnectionPair(server: { $0.handshakeMessageSizeLimit = 1000 })
        try pair.server.start()
        #expect(throws: TLSError(.decodeError, "Certificate of 1001 bytes exceeds the limit of 1000 bytes")) {
            try pair.server.receive([22, 3, 1, 0, 4, 11, 0, 3, 0xe9])
        }
    }

    @Test("a peer's fatal alert surfaces as TLSError(origin: .peer); application data before the handshake → unexpected_message")
    func alertsAndOrdering() throws {
        let pair = try ConnectionPair()
        try pair.client.start()
        _ = pair.client.takeOutgoing()
        #expect(throws: TLSError(.handshakeFailure, "", origin: .peer)) { try pair.client.receive([21, 3, 3, 0, 2, 2, 40]) }
        #expect(pair.client.takeOutgoing().isEmpty)

        let early = try ConnectionPair()
        try early.server.start()
        #expect { try early.server.receive([23, 3, 3, 0, 1, 0]) } throws: { ($0 as? TLSError)?.alert == .unexpectedMessage }
    }
}
