import Testing
import TLS13
import TLSCrypto

/// Every handshake message RFC 8448 constructs, decoded, checked field by field where the RFC
/// gives the value elsewhere in its trace, and re-encoded to the same bytes.
@Suite("RFC 8448 handshake messages: decode, check, re-encode")
struct HandshakeMessageRFC8448Tests {
    let rfc: RFC8448

    init() throws { rfc = try RFC8448.load() }

    /// All RFC 8448 traces negotiate TLS_AES_128_GCM_SHA256: Hash.length is 32.
    func decode(_ bytes: [UInt8]) throws -> HandshakeMessage {
        try HandshakeMessage(decoding: bytes, finishedLength: 32)
    }

    @Test("RFC 8448 text: the parser finds §3's steps and checks every octet count")
    func parser() throws {
        let s3 = try rfc.section(3)
        #expect(s3.title == "Simple 1-RTT Handshake")
        #expect(try s3.message(.client, "ClientHello").count == 196)
        #expect(try s3.message(.server, "ServerHello").count == 90)
        // A title that wraps onto a second line is joined.
        #expect(s3.steps.contains { $0.title == "extract secret \"handshake\" (same as server handshake secret)" })
        // A value that runs across a page break is joined (Certificate spans pages 6-7).
        #expect(try s3.message(.server, "Certificate").count == 445)
        // §2 values stand outside any step.
        #expect(try rfc.section(2).value("public exponent").bytes == [0x01, 0x00, 0x01])
        #expect(try rfc.section(2).value("modulus (public)").bytes?.count == 128)
        #expect(try rfc.section(5).steps(.client, "construct a ClientHello handshake message").count == 2)
    }

    @Test("RFC 8448 §3-§7: every constructed handshake message re-encodes to the RFC's bytes")
    func everyMessageRoundTrips() throws {
        var count = 0
        for section in rfc.sections {
            for step in section.steps where step.title.hasPrefix("construct a") && step.title.hasSuffix(" handshake message") {
                let name = step.title.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
                var bytes = try step.bytes(name)
                if let header = HandshakeMessage.Header(peeking: bytes), header.length + 4 != bytes.count {
                    // §4 prints the ClientHello before its PSK binders are filled in; the
                    // complete message is the payload of the next record the client sends.
                    #expect(section.number == 4 && name == "ClientHello")
                    bytes = try fullResumedClientHello()
                }
                let message = try decode(bytes)
                #expect(message.type.messageName == name, "§\(section.number) \(name)")
                #expect(try message.encoded == bytes, "§\(section.number) \(name) re-encodes")
                // The field tree covers every byte, in order, exactly once.
                #expect(message.traceFields.flatMap(\.encodedBytes) == bytes, "§\(section.number) \(name) trace")
                count += 1
            }
        }
        #expect(count == 40)  // every "construct a… handshake message" step in the RFC
    }

    @Test("RFC 8448 §3: ClientHello fields")
    func clientHello() throws {
        let s3 = try rfc.section(3)
        guard case .clientHello(let hello) = try decode(try s3.message(.client, "ClientHello")) else {
            Issue.record("not a ClientHello"); return
        }
        #expect(hello.legacyVersion == .tls12)
        #expect(hello.random.hexString == "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7")
        #expect(hello.legacySessionID.isEmpty)
        #expect(hello.cipherSuites == [.aes128GCMSHA256, .chacha20Poly1305SHA256, .aes256GCMSHA384])
        #expect(hello.legacyCompressionMethods == [0])
        try hello.requireTLS13LegacyFields()
        #expect(hello.extensions.map(\.type) == [.serverName, .renegotiationInfo, .supportedGroups, .sessionTicket,
                                                 .keyShare, .supportedVersions, .signatureAlgorithms,
                                                 .pskKeyExchangeModes, .recordSizeLimit])
        #expect(try hello.extensions.decode(.serverName, as: ServerNameList.self)?.hostName == "server")
        #expect(try hello.extensions.decode(.supportedGroups, as: NamedGroupList.self)?.namedGroupList ==
                [.x25519, .secp256r1, .secp384r1, .secp521r1, .ffdhe2048, .ffdhe3072, .ffdhe4096, .ffdhe6144, .ffdhe8192])
        let shares = try #require(try hello.extensions.decode(.keyShare, as: KeyShareClientHello.self))
        let clientPublic = try s3.step(.client, "create an ephemeral x25519 key pair").bytes("public key")
        #expect(shares.clientShares == [KeyShareEntry(group: .x25519, keyExchange: clientPublic)])
        #expect(try hello.extensions.decode(.supportedVersions, as: SupportedVersionsClientHello.self)?.versions == [.tls13])
        let schemes = try #require(try hello.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self))
        #expect(schemes.supportedSignatureAlgorithms.prefix(3) == [.ecdsaSecp256r1SHA256, .ecdsaSecp384r1SHA384, .ecdsaSecp521r1SHA512])
        #expect(schemes.supportedSignatureAlgorithms.count == 15)
        #expect(try hello.extensions.decode(.pskKeyExchangeModes, as: PSKKeyExchangeModes.self)?.keModes == [.pskDHEKE])
        #expect(try hello.extensions.decode(.recordSizeLimit, as: RecordSizeLimit.self)?.limit == 0x4001)
        try checkExtensions(hello.extensions, in: .clientHello, requested: nil)
    }

    @Test("RFC 8448 §3: ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished fields")
    func serverFlight() throws {
        let s3 = try rfc.section(3)
        guard case .clientHello(let clientHello) = try decode(try s3.message(.client, "ClientHello")),
              case .serverHello(let hello) = try decode(try s3.message(.server, "ServerHello")),
              case .encryptedExtensions(let ee) = try decode(try s3.message(.server, "EncryptedExtensions")),
              case .certificate(let certificate) = try decode(try s3.message(.server, "Certificate")),
              case .certificateVerify(let verify) = try decode(try s3.message(.server, "CertificateVerify")),
              case .finished(let serverFinished) = try decode(try s3.message(.server, "Finished")),
              case .finished(let clientFinished) = try decode(try s3.message(.client, "Finished"))
        else { Issue.record("a message decoded to the wrong type"); return }

        #expect(hello.cipherSuite == .aes128GCMSHA256)
        #expect(hello.random.hexString == "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928")
        try hello.requireTLS13LegacyFields()
        let serverPublic = try s3.step(.server, "create an ephemeral x25519 key pair").bytes("public key")
        #expect(try hello.extensions.decode(.keyShare, as: KeyShareServerHello.self)?.serverShare ==
                KeyShareEntry(group: .x25519, keyExchange: serverPublic))
        #expect(try hello.extensions.decode(.supportedVersions, as: SupportedVersionsServerHello.self)?.selectedVersion == .tls13)
        try checkExtensions(hello.extensions, in: .serverHello, requested: clientHello.extensions.types)

        #expect(ee.extensions.map(\.type) == [.supportedGroups, .recordSizeLimit, .serverName])
        #expect(ee.extensions.first(.serverName)?.data == [])
        try checkExtensions(ee.extensions, in: .encryptedExtensions, requested: clientHello.extensions.types)

        #expect(certificate.certificateRequestContext.isEmpty)
        #expect(certificate.certificateList.count == 1)
        #expect(certificate.certificateList.first?.certData.count == 432)
        #expect(certificate.certificateList.first?.certData.prefix(4) == [0x30, 0x82, 0x01, 0xac])
        #expect(certificate.certificateList.first?.extensions == [])

        #expect(verify.algorithm == .rsaPSSRSAESHA256)
        #expect(verify.signature.count == 128)

        #expect(serverFinished.verifyData == (try s3.step(.server, "calculate finished \"tls13 finished\"").bytes("finished")))
        #expect(clientFinished.verifyData == (try s3.step(.client, "calculate finished \"tls13 finished\"").bytes("finished")))
    }

    @Test("RFC 8448 §3: NewSessionTicket fields")
    func newSessionTicket() throws {
        guard case .newSessionTicket(let ticket) = try decode(try rfc.section(3).message(.server, "NewSessionTicket")) else {
            Issue.record("not a NewSessionTicket"); return
        }
        #expect(ticket.ticketLifetime == 30)
        #expect(ticket.ticketAgeAdd == 0xfad6aac5)
        #expect(ticket.ticketNonce == [0x00, 0x00])
        #expect(ticket.ticket.count == 178)
        #expect(try ticket.extensions.decode(.earlyData, as: EarlyDataIndication.self)?.maxEarlyDataSize == 0x400)
    }

    /// RFC 8448 §4 "{client}  send handshake record:" right after the ClientHello: its payload is
    /// the ClientHello with binders.
    func fullResumedClientHello() throws -> [UInt8] {
        let s4 = try rfc.section(4)
        let records = s4.steps(.client, "send handshake record")
        let payload = try #require(records.first).bytes("payload")
        let prefix = try s4.message(.client, "ClientHello")
        #expect(payload.starts(with: prefix))
        return payload
    }

    @Test("RFC 8448 §4: the resumed ClientHello's pre_shared_key is parsed and is the last extension")
    func resumption() throws {
        let s4 = try rfc.section(4)
        guard case .clientHello(let hello) = try decode(try fullResumedClientHello()),
              case .serverHello(let serverHello) = try decode(try s4.message(.server, "ServerHello")) else {
            Issue.record("wrong message types"); return
        }
        let psk = try #require(try hello.extensions.decode(.preSharedKey, as: PreSharedKeyClientHello.self))
        #expect(psk.identities.count == 1)
        #expect(psk.identities.first?.identity.count == 178)
        #expect(psk.binders.first?.count == 32)
        #expect(hello.extensions.first(.earlyData)?.data == [])
        try checkExtensions(hello.extensions, in: .clientHello, requested: nil)
        #expect(try serverHello.extensions.decode(.preSharedKey, as: PreSharedKeyServerHello.self)?.selectedIdentity == 0)
        #expect(try decode(try s4.message(.client, "EndOfEarlyData")) == .endOfEarlyData)
    }

    @Test("RFC 8448 §5: HelloRetryRequest and the second ClientHello")
    func helloRetryRequest() throws {
        let s5 = try rfc.section(5)
        guard case .clientHello(let hello1) = try decode(try s5.message(.client, "ClientHello", index: 0)),
              case .helloRetryRequest(let retry) = try decode(try s5.message(.server, "ServerHello", index: 0)),
              case .clientHello(let hello2) = try decode(try s5.message(.client, "ClientHello", index: 1))
        else { Issue.record("wrong message types"); return }

        #expect(retry.cipherSuite == .aes128GCMSHA256)
        #expect(retry.asServerHello.random == HelloRetryRequest.specialRandom)
        #expect(try retry.extensions.decode(.keyShare, as: KeyShareHelloRetryRequest.self)?.selectedGroup == .secp256r1)
        #expect(try retry.extensions.decode(.supportedVersions, as: SupportedVersionsServerHello.self)?.selectedVersion == .tls13)
        let cookie = try #require(try retry.extensions.decode(.cookie, as: Cookie.self))
        #expect(cookie.cookie.count == 114)
        // The cookie is allowed in an HRR although the first ClientHello did not carry one.
        #expect(hello1.extensions.first(.cookie) == nil)
        try checkExtensions(retry.extensions, in: .helloRetryRequest, requested: hello1.extensions.types)

        #expect(try hello2.extensions.decode(.cookie, as: Cookie.self) == cookie)
        let p256Public = try s5.step(.client, "create an ephemeral P-256 key pair").bytes("public key")
        #expect(try hello2.extensions.decode(.keyShare, as: KeyShareClientHello.self)?.clientShares ==
                [KeyShareEntry(group: .secp256r1, keyExchange: p256Public)])
        #expect(hello2.random == hello1.random)
    }

    @Test("RFC 8448 §6: CertificateRequest asks for signature_algorithms")
    func certificateRequest() throws {
        guard case .certificateRequest(let request) = try decode(try rfc.section(6).message(.server, "CertificateRequest")) else {
            Issue.record("not a CertificateRequest"); return
        }
        #expect(request.certificateRequestContext.isEmpty)
        #expect(try request.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self)?.supportedSignatureAlgorithms.isEmpty == false)
    }

    @Test("field tree: RFC names, values in words, exact bytes")
    func traceFields() throws {
        let s3 = try rfc.section(3)
        let clientHello = try decode(try s3.message(.client, "ClientHello")).traceFields
        let leaf = { (name: String, tree: [TraceField]) -> TraceField? in
            func find(_ fields: [TraceField]) -> TraceField? {
                for f in fields {
                    if f.name == name { return f }
                    if let found = find(f.children) { return found }
                }
                return nil
            }
            return find(tree)
        }
        #expect(leaf("msg_type", clientHello) == TraceField("msg_type", "client_hello (1)", bytes: [0x01]))
        #expect(leaf("length", clientHello) == TraceField("length", "192 bytes", bytes: [0x00, 0x00, 0xc0]))
        #expect(leaf("legacy_version", clientHello) == TraceField("legacy_version", "TLS 1.2 (0x0303)", bytes: [0x03, 0x03]))
        #expect(leaf("cipher_suite", clientHello) == TraceField("cipher_suite", "TLS_AES_128_GCM_SHA256 (0x1301)", bytes: [0x13, 0x01]))
        #expect(leaf("host_name", clientHello)?.value == "\"server\"")
        let keyExchange = try #require(leaf("key_exchange", clientHello))
        #expect(keyExchange.bytes.prefix(2) == [0x00, 0x20])
        #expect(keyExchange.value == (try s3.step(.client, "create an ephemeral x25519 key pair").bytes("public key")).hexString)
        let extensions = try #require(leaf("extensions", clientHello))
        #expect(extensions.children.map(\.value).first == "server_name (0x0000)")
        #expect(extensions.children.first?.children.map(\.name) == ["extension_type", "extension_data"])

        let serverHello = try decode(try s3.message(.server, "ServerHello")).traceFields
        #expect(leaf("cipher_suite", serverHello)?.value == "TLS_AES_128_GCM_SHA256 (0x1301)")
        #expect(leaf("selected_version", serverHello)?.value == "TLS 1.3 (0x0304)")

        let unknown = HandshakeMessage.encryptedExtensions(EncryptedExtensions(extensions: [Extension(type: ExtensionType(rawValue: 0x1234), data: [1, 2])]))
        #expect(leaf("extension", unknown.traceFields)?.value == "unknown (0x1234)")
        #expect(leaf("extension_data", unknown.traceFields) == TraceField("extension_data", "0102", bytes: [0x00, 0x02, 0x01, 0x02]))
    }
}
