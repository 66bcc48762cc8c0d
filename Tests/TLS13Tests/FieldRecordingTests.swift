import Testing
import TLS13
import TLSCrypto

/// Issue 10: one writer both encodes a message and records its fields. `encode(into:)` is the
/// only description of each layout; `traceFields` is what a recording `ByteWriter` records
/// while encoding. These tests hold the two promises that makes: the field tree reads back the
/// encoding (`TraceField`: every node's bytes, depth-first), and recording changes no byte.
@Suite("One writer: the field tree is the encoding")
struct FieldRecordingTests {
    @Test("a plain writer records nothing and never puts a field in words; a recording one records the RFC's shape")
    func writerForms() throws {
        var described = 0
        func words(_ text: String) -> String {
            described += 1
            return text
        }
        func write(_ w: inout ByteWriter) throws {
            w.u8(22, field: "msg_type", words("handshake (22)"))
            try w.lengthPrefixed(.u24, field: "length", { words("\($0) bytes") }) { w in
                w.u16(0x0303, field: "legacy_version", words("TLS 1.2 (0x0303)"))
                try w.vector(.u16, field: "cipher_suites", words("1 suite")) { w in
                    w.u16(0x1301, field: "cipher_suite", words("TLS_AES_128_GCM_SHA256"))
                }
                try w.group(field: "key_share_entry", words("x25519")) { w in
                    try w.opaque(.u8, [0xaa, 0xbb], field: "key_exchange")
                }
                w.u32(7200, field: "ticket_lifetime", words("7200 seconds"))
                w.bytes([1, 2], field: "verify_data", words("0102"))
            }
        }

        var plain = ByteWriter()
        try write(&plain)
        #expect(!plain.isRecording && plain.fields.isEmpty)
        #expect(described == 0, "a plain writer never builds the words")

        var recording = ByteWriter.recordingFields()
        try write(&recording)
        #expect(recording.bytes == plain.bytes)
        #expect(recording.bytes == [22, 0, 0, 15, 3, 3, 0, 2, 0x13, 1, 2, 0xaa, 0xbb, 0, 0, 0x1c, 0x20, 1, 2])
        #expect(recording.fields == [
            TraceField("msg_type", "handshake (22)", bytes: [22]),
            TraceField("length", "15 bytes", bytes: [0, 0, 15]),
            TraceField("legacy_version", "TLS 1.2 (0x0303)", bytes: [3, 3]),
            TraceField("cipher_suites", "1 suite", bytes: [0, 2], children: [
                TraceField("cipher_suite", "TLS_AES_128_GCM_SHA256", bytes: [0x13, 1]),
            ]),
            TraceField("key_share_entry", "x25519", children: [
                TraceField("key_exchange", "aabb", bytes: [2, 0xaa, 0xbb]),
            ]),
            TraceField("ticket_lifetime", "7200 seconds", bytes: [0, 0, 0x1c, 0x20]),
            TraceField("verify_data", "0102", bytes: [1, 2]),
        ])
        #expect(recording.fields.flatMap(\.encodedBytes) == recording.bytes)
    }

    @Test("a vector that overflows its length leaves neither bytes nor a node, and traceFields names the error")
    func overflow() throws {
        var w = ByteWriter.recordingFields()
        w.u8(1, field: "before", "1")
        #expect(throws: TLSError.self) {
            try w.vector(.u8, field: "too_long", "300 bytes") { $0.bytes([UInt8](repeating: 0, count: 300), field: "body", "") }
        }
        #expect(w.bytes == [1])
        #expect(w.fields == [TraceField("before", "1", bytes: [1])])

        let fields = Cookie([UInt8](repeating: 7, count: 0x10000)).traceFields
        #expect(fields.map(\.name) == ["unencodable"])
    }

    @Test("every message of in-memory handshakes (client certificates, ALPN, HelloRetryRequest with a cookie, tickets, 0-RTT resumption, KeyUpdate) and of RFC 8448")
    func everyMessage() throws {
        var coverage = Coverage()
        for (bytes, fields) in try Self.inMemoryMessages() + Self.rfc8448Messages() {
            let message = try Self.decode(bytes)
            #expect(fields.flatMap(\.encodedBytes) == bytes, "\(message.name): the reported field tree")
            try Self.expectOneDescription(message.name, of: bytes) { try message.encode(into: &$0) }
            try Self.expectExtensionsShownDecoded(message, coverage: &coverage)
            coverage.messages.insert(message.name)
        }
        let unknown = HandshakeMessage.unknown(HandshakeType(rawValue: 99), body: [1, 2, 3])
        try Self.expectOneDescription("unknown message", of: try unknown.encoded) { try unknown.encode(into: &$0) }

        #expect(coverage.messages == [
            "ClientHello", "ServerHello", "HelloRetryRequest", "EndOfEarlyData", "EncryptedExtensions",
            "CertificateRequest", "Certificate", "CertificateVerify", "Finished", "NewSessionTicket", "KeyUpdate",
        ])
        #expect(coverage.bodies == [
            "ServerNameList", "EmptyExtensionData", "NamedGroupList", "SignatureSchemeList",
            "KeyShareClientHello", "KeyShareServerHello", "KeyShareHelloRetryRequest",
            "SupportedVersionsClientHello", "SupportedVersionsServerHello", "Cookie", "PSKKeyExchangeModes",
            "EarlyDataIndication", "PreSharedKeyClientHello", "PreSharedKeyServerHello",
            "CertificateAuthorities", "RecordSizeLimit", "ProtocolNameList",
        ])
    }

    @Test("alerts and change_cipher_spec, with known and unknown code points")
    func alertAndChangeCipherSpec() throws {
        for alert in [Alert(level: .fatal, description: .decodeError), Alert(level: AlertLevel(rawValue: 9), description: AlertDescription(rawValue: 255))] {
            #expect(alert.traceFields.flatMap(\.encodedBytes) == alert.bytes)
            try Self.expectOneDescription("alert", of: alert.bytes) { alert.encode(into: &$0) }
        }
        #expect(Alert(level: .fatal, description: .decodeError).traceFields == [
            TraceField("level", "fatal (2)", bytes: [2]), TraceField("description", "decode_error (50)", bytes: [50]),
        ])
        try Self.expectOneDescription("change_cipher_spec", of: ChangeCipherSpec.bytes) { ChangeCipherSpec().encode(into: &$0) }
    }

    // MARK: The checks

    /// A plain and a recording writer write `bytes`; the plain one records nothing, and the
    /// recording one's fields read back exactly the bytes.
    static func expectOneDescription(_ what: String, of bytes: [UInt8], _ encode: (inout ByteWriter) throws -> Void) throws {
        var plain = ByteWriter()
        try encode(&plain)
        var recording = ByteWriter.recordingFields()
        try encode(&recording)
        #expect(plain.bytes == bytes, "\(what): plain writer")
        #expect(recording.bytes == bytes, "\(what): recording writer")
        #expect(plain.fields.isEmpty, "\(what): a plain writer records nothing")
        #expect(recording.fields.flatMap(\.encodedBytes) == bytes, "\(what): recorded fields")
    }

    struct Coverage {
        var messages: Set<String> = []
        var bodies: Set<String> = []
    }

    /// Each extension this library decodes in its message is shown with its body's fields, and
    /// the body on its own records its data exactly.
    static func expectExtensionsShownDecoded(_ message: HandshakeMessage, coverage: inout Coverage) throws {
        let lists: [(ExtensionContext, [Extension])] = switch message {
        case .clientHello(let m): [(.clientHello, m.extensions)]
        case .serverHello(let m): [(.serverHello, m.extensions)]
        case .helloRetryRequest(let m): [(.helloRetryRequest, m.extensions)]
        case .encryptedExtensions(let m): [(.encryptedExtensions, m.extensions)]
        case .certificateRequest(let m): [(.certificateRequest, m.extensions)]
        case .certificate(let m): m.certificateList.map { (.certificate, $0.extensions) }
        case .newSessionTicket(let m): [(.newSessionTicket, m.extensions)]
        case .endOfEarlyData, .certificateVerify, .finished, .keyUpdate, .unknown: []
        }
        let nodes = nodes(named: "extension", in: message.traceFields)
        let extensions = lists.flatMap { context, list in list.map { (context, $0) } }
        #expect(nodes.count == extensions.count, "\(message.name): one node per extension")
        for ((context, ext), node) in zip(extensions, nodes) {
            let what = "\(ext.type) in \(message.name)"
            #expect(node.children.first?.bytes == [UInt8(ext.type.rawValue >> 8), UInt8(ext.type.rawValue & 0xff)], "\(what)")
            guard let bodyType = context.bodyType(of: ext.type) else { continue }
            coverage.bodies.insert("\(bodyType)")
            let body = try ext.decode(as: bodyType)
            try expectOneDescription(what, of: ext.data) { try body.encode(into: &$0) }
            if !body.traceFields.isEmpty {
                #expect(node.children.last?.children == body.traceFields, "\(what): extension_data shown decoded")
            }
        }
    }

    static func nodes(named name: String, in fields: [TraceField]) -> [TraceField] {
        fields.flatMap { ($0.name == name ? [$0] : []) + nodes(named: name, in: $0.children) }
    }

    // MARK: The messages

    /// A Finished is as long as the hash of the suite its connection negotiated.
    static func decode(_ bytes: [UInt8]) throws -> HandshakeMessage {
        let header = try #require(HandshakeMessage.Header(peeking: bytes))
        return try HandshakeMessage(decoding: bytes, finishedLength: header.type == .finished ? header.length : 32)
    }

    /// Every handshake message both sides reported, with the field tree they reported.
    static func inMemoryMessages() throws -> [([UInt8], [TraceField])] {
        let ticketKeys = try TicketKeys.random(DeterministicRandom(seed: 9))
        let strikeRegister = StrikeRegister()
        let now: UInt64 = 1_800_000_000_000
        func server(_ c: inout TLSConfiguration) {
            c.ticketKeys = ticketKeys
            c.strikeRegister = strikeRegister
            c.maxEarlyDataSize = 1024
            c.clock = { now }
            c.applicationProtocols = ["http/1.1"]
        }

        // Client certificates, ALPN, tickets, a KeyUpdate each way.
        let full = try ConnectionPair(client: {
            $0.certificateChain = [try TestPKI.der("client.crt")]
            $0.privateKey = try CertificatePrivateKey(pem: try TestPKI.pem("client.key"))
            $0.applicationProtocols = ["h2", "http/1.1"]
            $0.clock = { now }
        }, server: {
            server(&$0)
            $0.clientAuthentication = .require
            $0.trustAnchors = [try TestPKI.caCertificate()]
        })
        try full.handshake()
        try full.client.updateKeys(requestPeerUpdate: true)
        try full.pump()
        let session = try #require(full.client.receivedSessions.first)

        // A HelloRetryRequest for x25519, with a stateless server's cookie.
        let retry = try ConnectionPair(client: { $0.keyShareGroups = [.secp256r1] },
                                       server: { $0.groups = [.x25519]; $0.statelessRetryKey = [UInt8](repeating: 0x5c, count: 32) })
        try retry.handshake()

        // Resumption with 0-RTT: pre_shared_key, psk_key_exchange_modes, early_data, EndOfEarlyData.
        let resumed = try ConnectionPair(client: {
            $0.resumptionSession = session
            $0.earlyData = Array("early".utf8)
            $0.applicationProtocols = ["http/1.1"]  // §4.2.10: the ticket's protocol
            $0.clock = { now + 1_000 }
        }, server: server)
        try resumed.handshake()
        #expect(resumed.client.earlyDataAccepted == true)

        return [full, retry, resumed].flatMap { pair in
            (pair.clientLog.events + pair.serverLog.events).compactMap { event in
                if case .handshakeMessage(_, _, let bytes, let fields) = event { (bytes, fields) } else { nil }
            }
        }
    }

    /// Every handshake message RFC 8448 constructs whole (§4's ClientHello is printed before its
    /// binders are filled in, so its length does not match; the others cover its fields).
    static func rfc8448Messages() throws -> [([UInt8], [TraceField])] {
        var messages: [([UInt8], [TraceField])] = []
        for section in try RFC8448.load().sections {
            for step in section.steps where step.title.hasPrefix("construct a") && step.title.hasSuffix(" handshake message") {
                let name = step.title.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
                let bytes = try step.bytes(name)
                guard let header = HandshakeMessage.Header(peeking: bytes), header.length + 4 == bytes.count else { continue }
                messages.append((bytes, try decode(bytes).traceFields))
            }
        }
        return messages
    }
}
