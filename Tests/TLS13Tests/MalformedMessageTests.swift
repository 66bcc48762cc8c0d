import Testing
import TLS13
import TLSCrypto

/// Hostile and broken encodings: each must throw the alert RFC 8446 names, never trap.
@Suite("RFC 8446 §4: malformed handshake messages are rejected with the right alert")
struct MalformedMessageTests {
    let rfc: RFC8448
    /// RFC 8448 §3's messages, complete with their 4-byte headers.
    let messages: [(name: String, bytes: [UInt8])]

    init() throws {
        rfc = try RFC8448.load()
        let s3 = try rfc.section(3)
        messages = [
            ("ClientHello", try s3.message(.client, "ClientHello")),
            ("ServerHello", try s3.message(.server, "ServerHello")),
            ("EncryptedExtensions", try s3.message(.server, "EncryptedExtensions")),
            ("Certificate", try s3.message(.server, "Certificate")),
            ("CertificateVerify", try s3.message(.server, "CertificateVerify")),
            ("Finished", try s3.message(.server, "Finished")),
            ("NewSessionTicket", try s3.message(.server, "NewSessionTicket")),
            ("HelloRetryRequest", try rfc.section(5).message(.server, "ServerHello")),
            ("KeyUpdate", try HandshakeMessage.keyUpdate(KeyUpdate(requestUpdate: .updateRequested)).encoded),
        ]
    }

    func decode(_ bytes: [UInt8]) throws -> HandshakeMessage {
        try HandshakeMessage(decoding: bytes, finishedLength: 32)
    }

    /// A handshake message of `type` around `body`, with a correct header.
    func message(_ type: HandshakeType, _ body: [UInt8]) -> [UInt8] {
        [type.rawValue] + bigEndian24(body.count) + body
    }

    func bigEndian24(_ n: Int) -> [UInt8] {
        [UInt8(truncatingIfNeeded: n >> 16), UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]
    }

    func alert(_ body: () throws -> Void) -> AlertDescription? {
        do {
            try body()
            return nil
        } catch let error as TLSError {
            return error.alert
        } catch {
            return .internalError
        }
    }

    @Test("a body truncated at every length is a decode_error, whether or not the header agrees")
    func truncatedEverywhere() {
        for (name, bytes) in messages {
            let type = HandshakeType(rawValue: bytes[0])
            let body = Array(bytes.dropFirst(4))
            for cut in 0..<body.count {
                let truncated = Array(body.prefix(cut))
                if name == "ClientHello", cut == 45 {
                    // Cut right after legacy_compression_methods: the shape of a TLS 1.2
                    // ClientHello without extensions (§4.1.2), which decodes so that the server
                    // can answer protocol_version for the missing supported_versions.
                    guard case .clientHello(let old) = try? decode(message(type, truncated)) else {
                        Issue.record("an extension-less ClientHello should decode"); continue
                    }
                    #expect(old.extensions.isEmpty)
                    continue
                }
                #expect(alert { _ = try decode(message(type, truncated)) } == .decodeError, "\(name) body cut at \(cut)")
            }
            for cut in 0..<bytes.count {
                #expect(alert { _ = try decode(Array(bytes.prefix(cut))) } == .decodeError, "\(name) cut at \(cut)")
            }
        }
    }

    @Test("any single-byte change to a message throws or decodes to a value that re-encodes to exactly those bytes")
    func mutations() throws {
        for (name, bytes) in messages {
            for index in bytes.indices {
                for replacement in Set([bytes[index] ^ 0x01, bytes[index] ^ 0x80, 0x00, 0xff]) {
                    var mutated = bytes
                    mutated[index] = replacement
                    guard let decoded = try? decode(mutated) else { continue }
                    if case .clientHello(let hello) = decoded, hello.extensions.isEmpty { continue }
                    #expect(try decoded.encoded == mutated, "\(name) byte \(index) = \(replacement)")
                    #expect(decoded.traceFields.flatMap(\.encodedBytes) == mutated, "\(name) byte \(index) trace")
                }
            }
        }
    }

    @Test("trailing bytes after a message, or inside its body, are a decode_error")
    func trailingBytes() {
        for (name, bytes) in messages {
            #expect(alert { _ = try decode(bytes + [0]) } == .decodeError, "\(name) + 1 byte")
            let type = HandshakeType(rawValue: bytes[0])
            #expect(alert { _ = try decode(message(type, Array(bytes.dropFirst(4)) + [0])) } == .decodeError,
                    "\(name) body + 1 byte")
        }
    }

    @Test("every length field of the ClientHello, made one larger or smaller, is caught")
    func lengthsOffByOne() throws {
        let bytes = try #require(messages.first).bytes
        // Offsets of the length fields of RFC 8448 §3's ClientHello: session id (u8 at 38),
        // cipher_suites (u16 at 39), compression methods (u8 at 47), extensions (u16 at 49).
        for (offset, width) in [(38, 1), (39, 2), (47, 1), (49, 2)] {
            for delta in [-1, 1] {
                var mangled = bytes
                let last = offset + width - 1
                mangled[last] = UInt8(truncatingIfNeeded: Int(mangled[last]) + delta)
                #expect(alert { _ = try decode(mangled) } == .decodeError, "length at \(offset) \(delta > 0 ? "+" : "-")1")
            }
        }
    }

    @Test("vectors outside their <min..max> bounds are a decode_error")
    func vectorBounds() throws {
        guard case .clientHello(let hello) = try decode(try #require(messages.first).bytes) else {
            Issue.record("not a ClientHello"); return
        }
        func rejects(_ change: (inout ClientHello) -> Void, _ what: Comment) throws {
            var copy = hello
            change(&copy)
            var w = ByteWriter()
            try copy.encode(into: &w)
            #expect(alert { _ = try decode(message(.clientHello, w.bytes)) } == .decodeError, what)
        }
        try rejects({ $0.legacySessionID = Array(repeating: 7, count: 33) }, "legacy_session_id<0..32> of 33 bytes")
        try rejects({ $0.cipherSuites = [] }, "cipher_suites<2..2^16-2> empty")
        try rejects({ $0.legacyCompressionMethods = [] }, "legacy_compression_methods<1..2^8-1> empty")
        try rejects({ $0.extensions = [Extension(type: .serverName, data: [])] }, "extensions<8..2^16-1> of 4 bytes")
        try rejects({ $0.extensions[5] = Extension(type: .supportedVersions, data: [0x02, 0x03]) }, "supported_versions: versions length 2, 1 byte follows")
        try rejects({ $0.extensions[5] = Extension(type: .supportedVersions, data: [0x01, 0x03]) }, "supported_versions: versions<2..254> of 1 byte")
        try rejects({ $0.extensions[5] = Extension(type: .supportedVersions, data: [0x03, 0x03, 0x04, 0x03]) }, "supported_versions: odd length")
        try rejects({ $0.extensions[5] = Extension(type: .supportedVersions, data: [0x02, 0x03, 0x04, 0x00]) }, "supported_versions: trailing byte")
        try rejects({ $0.extensions[2] = Extension(type: .supportedGroups, data: [0x00, 0x00]) }, "named_group_list<2..2^16-1> empty")
        try rejects({ $0.extensions[4] = Extension(type: .keyShare, data: [0x00, 0x04, 0x00, 0x1d, 0x00, 0x00]) }, "key_exchange<1..2^16-1> empty")
        try rejects({ $0.extensions[0] = Extension(type: .serverName, data: [0x00, 0x03, 0x00, 0x00, 0x00]) }, "HostName<1..2^16-1> empty")
        try rejects({ $0.extensions[7] = Extension(type: .pskKeyExchangeModes, data: [0x00]) }, "ke_modes<1..255> empty")
    }

    @Test("RFC 8446 §4.2: a repeated extension type is an illegal_parameter")
    func duplicateExtension() throws {
        for (name, bytes) in messages where name != "KeyUpdate" && name != "Finished" && name != "CertificateVerify" {
            let decoded = try decode(bytes)
            var w = ByteWriter()
            let duplicated: HandshakeMessage? = switch decoded {
            case .clientHello(var m): { m.extensions.append(m.extensions[0]); return .clientHello(m) }()
            case .serverHello(var m): { m.extensions.append(m.extensions[0]); return .serverHello(m) }()
            case .helloRetryRequest(var m): { m.extensions.append(m.extensions[0]); return .helloRetryRequest(m) }()
            case .encryptedExtensions(var m): { m.extensions.append(m.extensions[0]); return .encryptedExtensions(m) }()
            case .newSessionTicket(var m): { m.extensions.append(m.extensions[0]); return .newSessionTicket(m) }()
            case .certificate(var m): {
                m.certificateList[0].extensions = [Extension(type: .statusRequest, data: []), Extension(type: .statusRequest, data: [])]
                return .certificate(m)
            }()
            default: nil
            }
            let message = try #require(duplicated, "\(name)")
            try message.encode(into: &w)
            #expect(alert { _ = try decode(w.bytes) } == .illegalParameter, "\(name)")
        }
        let twice = KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519, keyExchange: [1]),
                                                       KeyShareEntry(group: .x25519, keyExchange: [2])])
        #expect(alert { _ = try Extension(.keyShare, twice).decode(as: KeyShareClientHello.self) } == .illegalParameter,
                "RFC 8446 §4.2.8: two shares for one group")
    }

    @Test("RFC 8446 §4.1.2, §4.1.3: legacy compression other than null, or a ServerHello legacy_version other than 0x0303, is an illegal_parameter")
    func legacyCompression() throws {
        guard case .clientHello(var hello) = try decode(try #require(messages.first).bytes),
              case .serverHello(var serverHello) = try decode(messages[1].bytes) else {
            Issue.record("wrong types"); return
        }
        hello.legacyCompressionMethods = [0, 1]
        let reencoded = try HandshakeMessage.clientHello(hello).encoded
        guard case .clientHello(let parsed) = try decode(reencoded) else { Issue.record("not a ClientHello"); return }
        #expect(parsed.legacyCompressionMethods == [0, 1])
        #expect(alert { try parsed.requireTLS13LegacyFields() } == .illegalParameter)
        serverHello.legacyCompressionMethod = 1
        guard case .serverHello(let parsedServer) = try decode(HandshakeMessage.serverHello(serverHello).encoded) else {
            Issue.record("not a ServerHello"); return
        }
        #expect(alert { try parsedServer.requireTLS13LegacyFields() } == .illegalParameter)
        serverHello.legacyCompressionMethod = 0
        serverHello.legacyVersion = .tls13
        #expect(alert { try serverHello.requireTLS13LegacyFields() } == .illegalParameter, "ServerHello legacy_version 0x0304")
    }

    @Test("RFC 8446 §4.6.3: KeyUpdate request_update 0 and 1 round-trip, any other value is an illegal_parameter")
    func keyUpdate() throws {
        #expect(try decode(message(.keyUpdate, [0])) == .keyUpdate(KeyUpdate(requestUpdate: .updateNotRequested)))
        #expect(try decode(message(.keyUpdate, [1])) == .keyUpdate(KeyUpdate(requestUpdate: .updateRequested)))
        for value: UInt8 in [2, 0x7f, 0xff] {
            #expect(alert { _ = try decode(message(.keyUpdate, [value])) } == .illegalParameter, "request_update \(value)")
        }
        #expect(alert { _ = try decode(message(.keyUpdate, [1, 0])) } == .decodeError)
    }

    @Test("RFC 8446 §4.4.4: Finished must be exactly Hash.length bytes")
    func finishedLength() throws {
        #expect(alert { _ = try decode(message(.finished, Array(repeating: 1, count: 31))) } == .decodeError)
        #expect(alert { _ = try decode(message(.finished, Array(repeating: 1, count: 48))) } == .decodeError)
        let sha384 = try HandshakeMessage(decoding: message(.finished, Array(repeating: 1, count: 48)), finishedLength: 48)
        #expect(sha384 == .finished(Finished(verifyData: Array(repeating: 1, count: 48))))
    }

    @Test("RFC 8446 §4.2: extensions the message may not carry, or that were never requested")
    func extensionPlacement() throws {
        let s3 = try rfc.section(3)
        guard case .clientHello(let hello) = try decode(try s3.message(.client, "ClientHello")),
              case .serverHello(let serverHello) = try decode(try s3.message(.server, "ServerHello")) else {
            Issue.record("wrong types"); return
        }
        let offered = hello.extensions.types
        let unknown = Extension(type: ExtensionType(rawValue: 0x1234), data: [])
        #expect(alert { try checkExtensions(serverHello.extensions + [unknown], in: .serverHello, requested: offered) } == .unsupportedExtension)
        #expect(alert { try checkExtensions([Extension(type: .cookie, data: [0, 1, 9])], in: .serverHello, requested: offered) } == .unsupportedExtension)
        #expect(alert { try checkExtensions(serverHello.extensions + [Extension(type: .serverName, data: [])], in: .serverHello, requested: offered) } == .illegalParameter)
        #expect(alert { try checkExtensions([Extension(type: .keyShare, data: [])], in: .encryptedExtensions, requested: offered) } == .illegalParameter)
        // A ClientHello may carry extensions this library does not know; they are ignored.
        try checkExtensions(hello.extensions + [unknown], in: .clientHello, requested: nil)
        #expect(alert { try checkExtensions(hello.extensions + [Extension(type: .oidFilters, data: [])], in: .clientHello, requested: nil) } == .illegalParameter)
        // §4.2.11: pre_shared_key must come last.
        let psk = Extension(type: .preSharedKey, data: [])
        #expect(alert { try checkExtensions([psk] + hello.extensions, in: .clientHello, requested: nil) } == .illegalParameter)
        try checkExtensions(hello.extensions + [psk], in: .clientHello, requested: nil)
    }

    @Test("RFC 8446 §6 and §5: alert is exactly two bytes (none at all: unexpected_message, §5.1); change_cipher_spec is exactly 01")
    func alertAndChangeCipherSpec() throws {
        let closeNotify = try Alert(decoding: [1, 0])
        #expect(closeNotify == Alert(level: .warning, description: .closeNotify))
        #expect(closeNotify.bytes == [1, 0])
        #expect(alert { _ = try Alert(decoding: []) } == .unexpectedMessage)
        for bad: [UInt8] in [[2], [2, 50, 0]] {
            #expect(alert { _ = try Alert(decoding: bad) } == .decodeError)
        }
        _ = try ChangeCipherSpec(decoding: [1])
        for bad: [UInt8] in [[], [0], [2], [1, 1]] {
            #expect(alert { _ = try ChangeCipherSpec(decoding: bad) } == .unexpectedMessage)
        }
    }

    @Test("HelloRetryRequest is told apart by its random; unknown types are carried")
    func dispatch() throws {
        let hrr = try #require(messages.last { $0.name == "HelloRetryRequest" }).bytes
        #expect(HelloRetryRequest.isHelloRetryRequest(serverHelloBody: hrr.dropFirst(4)))
        #expect(!HelloRetryRequest.isHelloRetryRequest(serverHelloBody: messages[1].bytes.dropFirst(4)))
        #expect(try decode(message(HandshakeType(rawValue: 99), [1, 2, 3])) == .unknown(HandshakeType(rawValue: 99), body: [1, 2, 3]))
        #expect(try decode(message(.endOfEarlyData, [])) == .endOfEarlyData)
        #expect(alert { _ = try decode(message(.endOfEarlyData, [0])) } == .decodeError)
        let header = try #require(HandshakeMessage.Header(peeking: hrr.prefix(4)))
        #expect(header.type == .serverHello && header.length == hrr.count - 4)
        #expect(HandshakeMessage.Header(peeking: hrr.prefix(3)) == nil)
        let digest = Array(repeating: UInt8(0xab), count: 32)
        #expect(HandshakeMessage.messageHash(of: digest) == [254, 0, 0, 32] + digest)
    }
}
