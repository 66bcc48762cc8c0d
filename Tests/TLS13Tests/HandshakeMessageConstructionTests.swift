import Testing
import TLS13
import TLSCrypto

/// Messages built the way the handshake builds them, from typed values, must encode to the
/// RFC's bytes: the encoders, not only the raw carriers, are right.
@Suite("RFC 8448: messages built from typed values encode to the RFC's bytes")
struct HandshakeMessageConstructionTests {
    let rfc: RFC8448

    init() throws { rfc = try RFC8448.load() }

    @Test("RFC 8448 §3: ClientHello")
    func clientHello() throws {
        let s3 = try rfc.section(3)
        let publicKey = try s3.step(.client, "create an ephemeral x25519 key pair").bytes("public key")
        let schemes: [SignatureScheme] = [
            .ecdsaSecp256r1SHA256, .ecdsaSecp384r1SHA384, .ecdsaSecp521r1SHA512, .ecdsaSHA1,
            .rsaPSSRSAESHA256, .rsaPSSRSAESHA384, .rsaPSSRSAESHA512,
            .rsaPKCS1SHA256, .rsaPKCS1SHA384, .rsaPKCS1SHA512, .rsaPKCS1SHA1,
            SignatureScheme(rawValue: 0x0402), SignatureScheme(rawValue: 0x0502),
            SignatureScheme(rawValue: 0x0602), SignatureScheme(rawValue: 0x0202),
        ]
        let hello = ClientHello(
            random: try #require([UInt8](hex: "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7")),
            legacySessionID: [],
            cipherSuites: [.aes128GCMSHA256, .chacha20Poly1305SHA256, .aes256GCMSHA384],
            extensions: [
                try Extension(.serverName, ServerNameList(hostName: "server")),
                Extension(type: .renegotiationInfo, data: [0x00]),
                try Extension(.supportedGroups, NamedGroupList([.x25519, .secp256r1, .secp384r1, .secp521r1,
                                                            .ffdhe2048, .ffdhe3072, .ffdhe4096, .ffdhe6144, .ffdhe8192])),
                Extension(type: .sessionTicket, data: []),
                try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: publicKey)])),
                try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])),
                try Extension(.signatureAlgorithms, SignatureSchemeList(schemes)),
                try Extension(.pskKeyExchangeModes, PSKKeyExchangeModes(keModes: [.pskDHEKE])),
                try Extension(.recordSizeLimit, RecordSizeLimit(0x4001)),
            ])
        #expect(try HandshakeMessage.clientHello(hello).encoded == (try s3.message(.client, "ClientHello")))
    }

    @Test("RFC 8448 §3: ServerHello and EncryptedExtensions")
    func serverHello() throws {
        let s3 = try rfc.section(3)
        let publicKey = try s3.step(.server, "create an ephemeral x25519 key pair").bytes("public key")
        let hello = ServerHello(
            random: try #require([UInt8](hex: "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928")),
            legacySessionIDEcho: [],
            cipherSuite: .aes128GCMSHA256,
            extensions: [
                try Extension(.keyShare, KeyShareServerHello(serverShare: KeyShareEntry(group: .x25519, keyExchange: publicKey))),
                try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
            ])
        #expect(try HandshakeMessage.serverHello(hello).encoded == (try s3.message(.server, "ServerHello")))

        let ee = EncryptedExtensions(extensions: [
            try Extension(.supportedGroups, NamedGroupList([.x25519, .secp256r1, .secp384r1, .secp521r1,
                                                        .ffdhe2048, .ffdhe3072, .ffdhe4096, .ffdhe6144, .ffdhe8192])),
            try Extension(.recordSizeLimit, RecordSizeLimit(0x4001)),
            try Extension(.serverName, EmptyExtensionData()),
        ])
        #expect(try HandshakeMessage.encryptedExtensions(ee).encoded == (try s3.message(.server, "EncryptedExtensions")))
    }

    @Test("RFC 8448 §3: Certificate, CertificateVerify, Finished, NewSessionTicket")
    func serverFlight() throws {
        let s3 = try rfc.section(3)
        let certificateBytes = try s3.message(.server, "Certificate")
        // cert_data starts after header (4), context (1), list length (3), entry length (3).
        let der = Array(certificateBytes[11..<(certificateBytes.count - 2)])
        #expect(try HandshakeMessage.certificate(CertificateMessage(certificateList: [.init(certData: der)])).encoded == certificateBytes)

        let verifyBytes = try s3.message(.server, "CertificateVerify")
        let verify = CertificateVerify(algorithm: .rsaPSSRSAESHA256, signature: Array(verifyBytes.dropFirst(8)))
        #expect(try HandshakeMessage.certificateVerify(verify).encoded == verifyBytes)

        let verifyData = try s3.step(.server, "calculate finished \"tls13 finished\"").bytes("finished")
        #expect(try HandshakeMessage.finished(Finished(verifyData: verifyData)).encoded == (try s3.message(.server, "Finished")))

        let ticketBytes = try s3.message(.server, "NewSessionTicket")
        guard case .newSessionTicket(let parsed) = try HandshakeMessage(decoding: ticketBytes, finishedLength: 32) else {
            Issue.record("not a NewSessionTicket"); return
        }
        let ticket = NewSessionTicket(ticketLifetime: 30, ticketAgeAdd: 0xfad6aac5, ticketNonce: [0, 0], ticket: parsed.ticket,
                                      extensions: [try Extension(.earlyData, EarlyDataIndication(maxEarlyDataSize: 0x400))])
        #expect(try HandshakeMessage.newSessionTicket(ticket).encoded == ticketBytes)
    }

    @Test("RFC 8448 §5: HelloRetryRequest")
    func helloRetryRequest() throws {
        let s5 = try rfc.section(5)
        let bytes = try s5.message(.server, "ServerHello")
        guard case .helloRetryRequest(let parsed) = try HandshakeMessage(decoding: bytes, finishedLength: 32),
              let cookie = try parsed.extensions.decode(.cookie, as: Cookie.self) else {
            Issue.record("not a HelloRetryRequest with a cookie"); return
        }
        let retry = HelloRetryRequest(legacySessionIDEcho: [], cipherSuite: .aes128GCMSHA256, extensions: [
            try Extension(.keyShare, KeyShareHelloRetryRequest(selectedGroup: .secp256r1)),
            try Extension(.cookie, cookie),
            try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
        ])
        #expect(try HandshakeMessage.helloRetryRequest(retry).encoded == bytes)
    }

    @Test("RFC 8446 §4.5, §4.6.3: EndOfEarlyData and KeyUpdate encodings")
    func smallMessages() throws {
        #expect(try HandshakeMessage.endOfEarlyData.encoded == (try rfc.section(4).message(.client, "EndOfEarlyData")))
        #expect(try HandshakeMessage.keyUpdate(KeyUpdate(requestUpdate: .updateRequested)).encoded == [24, 0, 0, 1, 1])
        #expect(try HandshakeMessage.keyUpdate(KeyUpdate(requestUpdate: .updateNotRequested)).encoded == [24, 0, 0, 1, 0])
    }
}
