import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// One hostile opening: the bytes a broken or malicious client writes on a fresh connection,
/// and the alert RFC 8446 says the server must answer with.
struct HostileOpening: Sendable, CustomTestStringConvertible {
    let name: String
    let alert: AlertDescription
    var serverArguments: [String] = []
    let bytes: @Sendable () throws -> [UInt8]

    var testDescription: String { name }
}

/// One hostile record after a completed handshake, sealed (or mangled) by the test with the
/// client's application key; the server's answer is an alert under its application key.
struct HostileRecord: Sendable, CustomTestStringConvertible {
    let name: String
    let alert: AlertDescription
    let bytes: @Sendable (inout RecordProtection) throws -> [UInt8]

    var testDescription: String { name }
}

/// Issue 5, "Proof": the built tls13-server over real loopback sockets, fed each malformed
/// input, must answer with the exact alert and then serve the next client normally.
@Suite("Hostile clients against tls13-server over sockets")
struct HostileServerTests {
    typealias H = HelloTemplate

    static func hello(_ edit: (inout HelloTemplate) throws -> Void = { _ in }) throws -> HelloTemplate {
        var template = try HelloTemplate.good()
        try edit(&template)
        return template
    }

    /// A ClientHello offering secp256r1 only, with `share` as its key_exchange.
    static func p256Hello(_ share: [UInt8]) throws -> HelloTemplate {
        try hello {
            $0.extensions[1] = try Extension(.supportedGroups, NamedGroupList([.secp256r1]))
            $0.extensions[3] = try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .secp256r1, keyExchange: share)]))
        }
    }

    /// A ClientHello offering X25519MLKEM768 only, with `share` as its key_exchange.
    static func hybridHello(_ share: [UInt8]) throws -> HelloTemplate {
        try hello {
            $0.extensions[1] = try Extension(.supportedGroups, NamedGroupList([.x25519MLKEM768]))
            $0.extensions[3] = try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: .x25519MLKEM768, keyExchange: share)]))
        }
    }

    /// The P-256 base point G (SEC 2 §2.4.2): on the curve, so only its encoding is at fault.
    static let p256Generator = (
        x: [UInt8](hex: "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296")!,
        uncompressed: [UInt8](hex: "046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5")!
    )

    static let openings: [HostileOpening] = [
        // RFC 8446 §5 record layer, before any key.
        HostileOpening(name: "§5: unknown record content type 0x19", alert: .unexpectedMessage) {
            Wire.record(0x19, [1, 2, 3])
        },
        HostileOpening(name: "§5: a plain-TCP probe \"GET / HTTP/1.0\" (content type 'G')", alert: .unexpectedMessage) {
            Array("GET / HTTP/1.0\r\n\r\n".utf8)
        },
        HostileOpening(name: "§5.1: plaintext record of 2^14 + 1 bytes → record_overflow", alert: .recordOverflow) {
            [22, 3, 3, 0x40, 0x01] + [UInt8](repeating: 0, count: 16)
        },
        HostileOpening(name: "§5.1: zero-length handshake fragment", alert: .unexpectedMessage) {
            Wire.record(22, [])
        },
        HostileOpening(name: "§5.1: zero-length alert record (no alert in it)", alert: .unexpectedMessage) {
            Wire.record(21, [])
        },
        HostileOpening(name: "§6: a one-byte alert record", alert: .decodeError) {
            Wire.record(21, [2])
        },
        HostileOpening(name: "Appendix D.5: ClientHello.legacy_version 0x0300", alert: .protocolVersion) {
            try hello { $0.legacyVersion = ProtocolVersion(rawValue: 0x0300) }.record
        },
        HostileOpening(name: "§5: application data before any key", alert: .unexpectedMessage) {
            Wire.record(23, [1, 2, 3])
        },
        HostileOpening(name: "§5.1: ClientHello fragment interleaved with an alert record", alert: .unexpectedMessage) {
            let bytes = try hello().bytes
            return Wire.record(22, Array(bytes[..<40])) + Wire.record(21, [1, 90]) + Wire.record(22, Array(bytes[40...]))
        },
        HostileOpening(name: "limit: a ClientHello announced at 131,397 bytes (§4.1.2's syntax allows 131,396)", alert: .decodeError) {
            Wire.record(22, [1, 0x02, 0x01, 0x45] + [UInt8](repeating: 0, count: 100))
        },
        HostileOpening(name: "§4: Finished as the first message", alert: .unexpectedMessage) {
            Wire.record(22, [20, 0, 0, 32] + [UInt8](repeating: 0, count: 32))
        },
        // RFC 8446 §4.1.2 and §4.2 ClientHello.
        HostileOpening(name: "§4.2.1: no supported_versions", alert: .protocolVersion) {
            try hello { $0.extensions.removeAll { $0.type == .supportedVersions } }.record
        },
        HostileOpening(name: "§4.2.1: supported_versions offers only TLS 1.2", alert: .protocolVersion) {
            try hello { $0.extensions[0] = try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls12])) }.record
        },
        HostileOpening(name: "§4.2.1: malformed supported_versions (odd length)", alert: .decodeError) {
            try hello { $0.extensions[0] = Extension(type: .supportedVersions, data: [3, 3, 4, 3]) }.record
        },
        HostileOpening(name: "§4.1.1: no cipher suite in common", alert: .handshakeFailure) {
            try hello { $0.suites = [.aes128CCMSHA256] }.record
        },
        HostileOpening(name: "§4.1.1: no group in common", alert: .handshakeFailure) {
            try hello {
                $0.extensions[1] = try Extension(.supportedGroups, NamedGroupList([.secp384r1]))
                $0.extensions[3] = try Extension(.keyShare, KeyShareClientHello(clientShares: [
                    KeyShareEntry(group: .secp384r1, keyExchange: [4] + [UInt8](repeating: 7, count: 96)),
                ]))
            }.record
        },
        HostileOpening(name: "§4.2.8.2: a P-256 point off the curve", alert: .illegalParameter) {
            try p256Hello([4] + [UInt8](repeating: 7, count: 64)).record
        },
        HostileOpening(name: "§4.2.8.2: the P-256 point at infinity", alert: .illegalParameter) {
            try p256Hello([0]).record
        },
        HostileOpening(name: "§4.2.8.2: a compressed P-256 point", alert: .illegalParameter) {
            try p256Hello([2] + Self.p256Generator.x).record
        },
        HostileOpening(name: "§4.2.8.2: a P-256 share of the wrong length", alert: .illegalParameter) {
            try p256Hello(Array(Self.p256Generator.uncompressed.dropLast())).record
        },
        HostileOpening(name: "draft-ietf-tls-ecdhe-mlkem §3: an X25519MLKEM768 share of 1215 bytes", alert: .illegalParameter) {
            try hybridHello([UInt8](repeating: 1, count: X25519MLKEM768Group.clientShareByteCount - 1)).record
        },
        HostileOpening(name: "FIPS 203 §7.2: an ML-KEM encapsulation key failing the modulus check", alert: .illegalParameter) {
            try hybridHello([UInt8](repeating: 0xff, count: X25519MLKEM768Group.clientShareByteCount)).record
        },
        HostileOpening(name: "§4.2: a duplicated extension", alert: .illegalParameter) {
            try hello { $0.extensions.append(try H.pss) }.record
        },
        HostileOpening(name: "§4.1.2: legacy_compression_methods [1]", alert: .illegalParameter) {
            try hello { $0.compression = [1] }.record
        },
        HostileOpening(name: "§4.1.2: legacy_compression_methods [0, 1]", alert: .illegalParameter) {
            try hello { $0.compression = [0, 1] }.record
        },
        HostileOpening(name: "§3.4: cipher_suites length overruns the message", alert: .decodeError) {
            var bytes = try hello().bytes
            (bytes[71], bytes[72]) = (0xff, 0xfe)  // 4 header + 2 version + 32 random + 1 + 32 session ID
            return Wire.record(22, bytes)
        },
        HostileOpening(name: "§3.4: extensions length one more than what follows", alert: .decodeError) {
            var bytes = try hello().bytes
            let offset = 71 + 2 + 4 + 2  // cipher_suites (2 suites), compression (1 method)
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1]) + 1
            (bytes[offset], bytes[offset + 1]) = (UInt8(length >> 8), UInt8(length & 0xff))
            return Wire.record(22, bytes)
        },
        HostileOpening(name: "§4: ClientHello cut short, header length agreeing", alert: .decodeError) {
            let body = Array(try hello().bytes[4..<60])
            return Wire.record(22, [1, 0, 0, UInt8(body.count)] + body)
        },
        HostileOpening(name: "§4.2.8.2: x25519 key_exchange of 31 bytes", alert: .illegalParameter) {
            try hello { $0.extensions[3] = try H.x25519Share([UInt8](repeating: 9, count: 31)) }.record
        },
        HostileOpening(name: "§7.4.2: x25519 share giving the all-zero secret", alert: .illegalParameter) {
            try hello { $0.extensions[3] = try H.x25519Share([UInt8](repeating: 0, count: 32)) }.record
        },
        // RFC 8446 §4.1.4 HelloRetryRequest: a second failure is fatal.
        HostileOpening(name: "§4.1.4: no x25519 share, retried, still none", alert: .illegalParameter) {
            let first = try hello { $0.extensions[3] = try H.noShare }
            return try first.record + first.record
        },
        HostileOpening(name: "§4.1.2: second ClientHello with another random", alert: .illegalParameter) {
            let first = try hello { $0.extensions[3] = try H.noShare }
            return try first.record + (try hello { $0.random[0] ^= 1 }).record
        },
        HostileOpening(name: "§4.2.8: second ClientHello with two shares", alert: .illegalParameter) {
            let first = try hello { $0.extensions[3] = try H.noShare }
            let second = try hello {
                $0.extensions[3] = try Extension(.keyShare, KeyShareClientHello(clientShares: [
                    KeyShareEntry(group: .x25519, keyExchange: try X25519.publicKey(privateKey: [UInt8](repeating: 1, count: 32))),
                    KeyShareEntry(group: .x25519, keyExchange: try X25519.publicKey(privateKey: [UInt8](repeating: 2, count: 32))),
                ]))
            }
            return try first.record + second.record
        },
        // RFC 8446 §4.2.2 stateless retry (--retry).
        HostileOpening(name: "--retry §4.2.2: second ClientHello without the cookie", alert: .missingExtension,
                       serverArguments: ["--retry"]) {
            let first = try hello()
            return try first.record + first.record
        },
        HostileOpening(name: "--retry §4.2.2: second ClientHello with a forged cookie", alert: .illegalParameter,
                       serverArguments: ["--retry"]) {
            let first = try hello()
            let forged = try hello { $0.extensions.append(try Extension(.cookie, Cookie([UInt8](repeating: 0xc0, count: 80)))) }
            return try first.record + forged.record
        },
    ]

    @Test("a hostile opening gets its exact plaintext alert, the connection closes, the next client is served",
          arguments: openings)
    func hostileOpening(_ opening: HostileOpening) throws {
        let server = try ServerUnderTest(opening.serverArguments)
        let (reply, closed) = try server.rawAnswer(to: try opening.bytes())
        #expect(Array(reply.suffix(7)) == Wire.plaintextAlert(opening.alert), "reply: \(reply.hexString)")
        #expect(closed)
        #expect(try server.servesNextClient())
    }

    static let records: [HostileRecord] = [
        HostileRecord(name: "§5.2: a flipped bit in the AEAD tag → bad_record_mac", alert: .badRecordMAC) { forger in
            var record = try forger.seal(.applicationData, Array("hello".utf8)).bytes
            record[record.count - 1] ^= 1
            return record
        },
        HostileRecord(name: "§5.2: protected record with legacy_record_version 0x0301", alert: .protocolVersion) { forger in
            var record = try forger.seal(.applicationData, Array("hello".utf8)).bytes
            record[2] = 0x01
            return record
        },
        HostileRecord(name: "§5.2: protected record of 2^14 + 257 bytes → record_overflow", alert: .recordOverflow) { _ in
            [23, 3, 3, 0x41, 0x01] + [UInt8](repeating: 0, count: 16)
        },
        HostileRecord(name: "§5.2: TLSInnerPlaintext of 2^14 + 2 bytes → record_overflow", alert: .recordOverflow) { forger in
            try forger.seal(.applicationData, [UInt8](repeating: 0x61, count: (1 << 14) + 1)).bytes
        },
        HostileRecord(name: "§5.4: all-zero TLSInnerPlaintext", alert: .unexpectedMessage) { forger in
            try forger.seal(ContentType(rawValue: 0), [0, 0, 0]).bytes
        },
        HostileRecord(name: "§5: unknown inner content type", alert: .unexpectedMessage) { forger in
            try forger.seal(ContentType(rawValue: 0x19), [1]).bytes
        },
        HostileRecord(name: "§5.1: zero-length protected handshake fragment", alert: .unexpectedMessage) { forger in
            try forger.seal(.handshake, []).bytes
        },
        HostileRecord(name: "§5.1: zero-length protected alert", alert: .unexpectedMessage) { forger in
            try forger.seal(.alert, []).bytes
        },
        HostileRecord(name: "§4: a ClientHello after the handshake", alert: .unexpectedMessage) { forger in
            try forger.seal(.handshake, try HelloTemplate.good().bytes).bytes
        },
        HostileRecord(name: "§4: a NewSessionTicket from the client", alert: .unexpectedMessage) { forger in
            let ticket = NewSessionTicket(ticketLifetime: 60, ticketAgeAdd: 1, ticketNonce: [0], ticket: [1, 2, 3])
            return try forger.seal(.handshake, HandshakeMessage.newSessionTicket(ticket).encoded).bytes
        },
        HostileRecord(name: "§4.6.3: KeyUpdate with request_update = 2", alert: .illegalParameter) { forger in
            try forger.seal(.handshake, [24, 0, 0, 1, 2]).bytes
        },
        HostileRecord(name: "§5.1: a message spanning a key change (KeyUpdate + 2 bytes of the next)", alert: .unexpectedMessage) { forger in
            try forger.seal(.handshake, [24, 0, 0, 1, 0] + [24, 0]).bytes
        },
        HostileRecord(name: "§5.1: half a handshake message, then application data", alert: .unexpectedMessage) { forger in
            try forger.seal(.handshake, [24, 0]).bytes + forger.seal(.applicationData, [1]).bytes
        },
        HostileRecord(name: "§5.1: after a KeyUpdate, data still under the old key → bad_record_mac", alert: .badRecordMAC) { forger in
            try forger.seal(.handshake, [24, 0, 0, 1, 0]).bytes + forger.seal(.applicationData, [1]).bytes
        },
    ]

    @Test("a hostile record after the handshake gets its exact alert, encrypted under the server's key; the next client is served",
          arguments: records)
    func hostileRecord(_ hostile: HostileRecord) throws {
        let server = try ServerUnderTest()
        let client = try InProcessClient(port: server.port)
        defer { client.close() }
        var forger = try client.forger()
        let answer = try client.answer(to: try hostile.bytes(&forger))
        #expect(answer.alert == hostile.alert)
        #expect(answer.closed)
        #expect(try server.servesNextClient())
    }

    @Test("""
        RFC 8446 §6.2 "MUST send the appropriate alert and close the connection": with unread input \
        behind the bad record, the client still reads the alert, then an orderly end of stream \
        (the server shuts down its side and drains), not a TCP reset
        """)
    func alertThenOrderlyClose() throws {
        let server = try ServerUnderTest()
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port)
        defer { socket.close() }
        try socket.write(Wire.record(0x19, [1, 2, 3]) + [UInt8](repeating: 0x17, count: 150_000))
        var received: [UInt8] = []
        var ending = "no end within 5 s"
        let deadline = ContinuousClock.now + .seconds(5)
        reading: while Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor) {
            do {
                let chunk = try socket.read()
                if chunk.isEmpty { ending = "end of stream"; break reading }
                received += chunk
            } catch {
                ending = "\(error)"
                break reading
            }
        }
        #expect(received == Wire.plaintextAlert(.unexpectedMessage))
        #expect(ending == "end of stream")
        #expect(try server.servesNextClient())
    }

    @Test("""
        --www: "GET / HTTP/1.0" sent in two records gets exactly one application-data record, an \
        HTTP/1.0 200 response, then close_notify (what openssl s_server -www and tlsfuzzer's scripts do)
        """)
    func wwwAnswersOneRequest() throws {
        let server = try ServerUnderTest(reply: "--www")
        let client = try InProcessClient(port: server.port)
        defer { client.close() }
        try client.session.send(Array("GET / HTTP/1.0\r\n".utf8))
        try client.session.send(Array("\r\n".utf8))
        #expect(try client.session.awaitPeerClose(deadline: .now + .seconds(5), deliver: { _ in }))
        let replies = client.recorder.events.compactMap { event -> [UInt8]? in
            if case .applicationData(.received, let data) = event { return data } else { return nil }
        }
        #expect(replies.count == 1)
        let text = String(decoding: replies.first ?? [], as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.0 200 OK\r\n"), "\(text)")
        #expect(text.hasSuffix("\r\n\r\ntls13-server: TLS 1.3, TLS_CHACHA20_POLY1305_SHA256\n"), "\(text)")
    }

    @Test("GET / HTTP/1.0 inside TLS is data like any other: the echo server sends it back")
    func httpProbeIsEchoed() throws {
        let server = try ServerUnderTest()
        let client = try InProcessClient(port: server.port)
        defer { client.close() }
        let probe = Array("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        #expect(try client.echo(probe) == probe)
    }

    @Test("RFC 8446 §4.6.3: KeyUpdate with update_requested is answered; data flows under the new keys both ways")
    func keyUpdateBothWays() throws {
        let server = try ServerUnderTest()
        let client = try InProcessClient(port: server.port)
        defer { client.close() }
        #expect(try client.echo(Array("before\n".utf8)) == Array("before\n".utf8))
        try client.connection.updateKeys(requestPeerUpdate: true)
        #expect(try client.echo(Array("after\n".utf8)) == Array("after\n".utf8))
        let generations = client.recorder.events.compactMap {
            if case .keyUpdated(let direction, let generation, _) = $0 { "\(direction.rawValue) \(generation)" } else { nil }
        }
        #expect(generations == ["write 1", "read 1"])
    }

    @Test("RFC 8446 §6.1: records after close_notify are ignored; the server answers with its own close_notify")
    func recordsAfterCloseNotify() throws {
        let server = try ServerUnderTest()
        let client = try InProcessClient(port: server.port)
        defer { client.close() }
        client.connection.close()
        let closeNotify = client.connection.takeOutgoing()
        let answer = try client.answer(to: closeNotify + [23, 3, 3, 0, 20] + [UInt8](repeating: 0xee, count: 20))
        #expect(answer.alert == nil)
        #expect(answer.peerClosed)
        #expect(try server.servesNextClient())
    }

    @Test("RFC 8446 §4.2.2: --retry completes with our client in process; the trace shows the cookie and the transcript rewrite")
    func retryWithOurClient() throws {
        let server = try ServerUnderTest(["--retry"])
        #expect(try server.servesNextClient())
        let traced = try ToolProcess.ours("tls13-server", ["--port", "0", "--retry", "--once", "--no-color"])
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(try traced.listeningPort())", "--quiet"])
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try traced.waitForExit() == 0, "\(traced.stderrText)")
        let trace = traced.stdoutText
        #expect(trace.contains("cookie (0x002c)"))
        #expect(trace.contains("[server] transcript: ClientHello1 becomes message_hash"))
        #expect(trace.contains("[server] transcript rebuilt from the cookie"))
        #expect(trace.contains("message_hash        36 octets  fe 00 00 20"))
        #expect(trace.contains("✓ the cookie is one this server made"))
    }

    @Test("RFC 8446 §4.2.2: --retry completes with openssl s_client", .disabled(if: ToolProcess.opensslURL == nil, "openssl is not installed"))
    func retryWithOpenSSL() throws {
        let server = try ServerUnderTest(["--retry"])
        let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_3", "-msg",
                                              "-CAfile", "cert/ca.crt", "-servername", "localhost", "-verify_return_error"])
        defer { client.terminate() }
        try client.write("through a stateless retry\n")
        try client.waitFor("the echo") { $0.stdoutText.contains("through a stateless retry\n") }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        let serverHellos = client.stdoutText.components(separatedBy: "<<< TLS 1.3, Handshake").filter { $0.hasPrefix(" [length") && $0.contains("ServerHello") }
        #expect(serverHellos.count == 2, "a HelloRetryRequest (a ServerHello to -msg), then the ServerHello")
        #expect(client.stdoutText.contains("Verify return code: 0 (ok)"))
    }
}
