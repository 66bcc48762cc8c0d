import Foundation
import Testing
import TLS13
import TLSCrypto

@Suite("TLS 1.3 client ↔ server in memory")
struct HandshakeTests {
    static let suites: [CipherSuite] = [.chacha20Poly1305SHA256, .aes128GCMSHA256, .aes256GCMSHA384]

    @Test("RFC 8446 §2: full handshake, data both ways, KeyUpdate both ways, close_notify — one byte at a time",
          arguments: suites)
    func fullConnection(suite: CipherSuite) throws {
        let pair = try ConnectionPair(chunkSize: 1, client: { $0.cipherSuites = [suite] })
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        #expect(pair.client.negotiatedCipherSuite == suite)
        #expect(pair.server.negotiatedCipherSuite == suite)
        // Both sides derived the same secrets (what a key log shows Wireshark).
        for label in ["CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                      "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET"] {
            let secret = pair.clientLog.keyLogSecret(label)
            #expect(secret != nil && secret == pair.serverLog.keyLogSecret(label), "\(label)")
        }
        #expect(pair.clientLog.checks.allSatisfy { $0.1 })

        try pair.client.send(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        try pair.pump()
        #expect(pair.server.takeApplicationData() == Array("GET / HTTP/1.0\r\n\r\n".utf8))

        // More than one record's worth: split into ≤ 2^14-byte records and put back together.
        let big = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        pair.chunkSize = 1000
        try pair.server.send(big)
        try pair.pump()
        #expect(pair.client.takeApplicationData() == big)
        let sentRecords = pair.serverLog.events.compactMap { event -> RecordTrace? in
            if case .record(.sent, let trace) = event, trace.protection?.innerContentType == .applicationData { return trace }
            return nil
        }
        #expect(sentRecords.count == 3)
        #expect(sentRecords.allSatisfy { ($0.protection?.content.count ?? .max) <= 1 << 14 })

        // RFC 8446 §4.6.3: the client updates and asks the server to update too.
        pair.chunkSize = 1
        try pair.client.updateKeys(requestPeerUpdate: true)
        try pair.pump()
        try pair.client.send([1, 2, 3])
        try pair.server.send([4, 5, 6])
        try pair.pump()
        #expect(pair.server.takeApplicationData() == [1, 2, 3])
        #expect(pair.client.takeApplicationData() == [4, 5, 6])
        let clientUpdates = pair.clientLog.events.compactMap { event -> String? in
            if case .keyUpdated(let direction, let generation, _) = event { return "\(direction.rawValue) \(generation)" }
            return nil
        }
        #expect(clientUpdates == ["write 1", "read 1"])

        // And the server on its own, without asking back.
        try pair.server.updateKeys(requestPeerUpdate: false)
        try pair.server.send([7])
        try pair.pump()
        #expect(pair.client.takeApplicationData() == [7])

        // RFC 8446 §6.1: close_notify both ways.
        pair.client.close()
        pair.client.close()
        try pair.pump()
        #expect(pair.server.peerClosed)
        #expect(pair.client.isClosed && !pair.client.peerClosed)
        // Half-closed: the server may still send, and the client still reads.
        try pair.server.send([9, 9])
        try pair.pump()
        #expect(pair.client.takeApplicationData() == [9, 9])
        pair.server.close()
        try pair.pump()
        #expect(pair.client.peerClosed && pair.server.isClosed)
        #expect(throws: TLSError.self) { try pair.client.send([8]) }
        // RFC 8446 §6.1: anything after close_notify is ignored.
        try pair.client.receive([23, 3, 3, 0, 1, 0xff])
        #expect(pair.client.takeApplicationData().isEmpty)
    }

    @Test("RFC 8446 §D.4: both sides send one dummy ChangeCipherSpec and ignore the peer's")
    func middleboxCompatibility() throws {
        let pair = try ConnectionPair(chunkSize: 7)
        try pair.handshake()
        for log in [pair.clientLog, pair.serverLog] {
            let sent = log.events.filter { if case .record(.sent, let trace) = $0 { trace.contentType == .changeCipherSpec } else { false } }
            let ignored = log.events.filter { if case .changeCipherSpecIgnored(.received) = $0 { true } else { false } }
            #expect(sent.count == 1 && ignored.count == 1)
        }
    }

    @Test("the server follows the client's signature scheme preference (RFC 8446 §4.2.3)")
    func signatureSchemeChoice() throws {
        let pair = try ConnectionPair(client: { $0.signatureSchemes = [.rsaPSSRSAESHA512, .rsaPSSRSAESHA256] })
        try pair.handshake()
        let completed = pair.clientLog.events.compactMap { event -> SignatureScheme? in
            if case .handshakeComplete(_, _, let scheme, _) = event { return scheme }
            return nil
        }
        #expect(completed == [.rsaPSSRSAESHA512])
    }

    @Test("an IP address is checked against subjectAltName IP entries and never sent as SNI (RFC 6066 §3)")
    func ipAddressName() throws {
        let pair = try ConnectionPair(client: { $0.serverName = "127.0.0.1" })
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete)
        let hello = pair.clientLog.events.compactMap { event -> [UInt8]? in
            if case .handshakeMessage(.sent, .clientHello, let bytes, _) = event { return bytes }
            return nil
        }.first
        let decoded = try HandshakeMessage(decoding: try #require(hello), finishedLength: 32)
        guard case .clientHello(let clientHello) = decoded else { Issue.record("not a ClientHello"); return }
        #expect(clientHello.extensions.first(.serverName) == nil)
    }

    // MARK: Certificates

    @Test("a certificate for another name → bad_certificate")
    func wrongServerName() throws {
        let pair = try ConnectionPair(client: { $0.serverName = "example.com" })
        #expect(throws: TLSError(.badCertificate, "the certificate is for DNS:localhost, IP:127.0.0.1, IP:0:0:0:0:0:0:0:1, not DNS:example.com")) {
            try pair.handshake()
        }
        #expect(pair.clientLog.sentAlerts == [.badCertificate])
    }

    @Test("a chain that reaches no trust anchor → unknown_ca")
    func unknownCA() throws {
        let pair = try ConnectionPair(client: { $0.trustAnchors = [] })
        do {
            try pair.handshake()
            Issue.record("handshake succeeded")
        } catch let error as TLSError {
            #expect(error.alert == .unknownCA && error.origin == .local)
        }
        // The server learns why: the client's alert arrives encrypted under the handshake key.
        #expect(throws: TLSError(.unknownCA, "", origin: .peer)) { try pair.server.receive(pair.client.takeOutgoing()) }
    }

    @Test("a certificate used after notAfter → certificate_expired")
    func expired() throws {
        let pair = try ConnectionPair(client: { $0.now = { Date(timeIntervalSince1970: 7_000_000_000) } })
        #expect { try pair.handshake() } throws: { ($0 as? TLSError)?.alert == .certificateExpired }
    }

    @Test("insecure mode skips chain and name but still completes on a valid CertificateVerify")
    func insecure() throws {
        let pair = try ConnectionPair(client: {
            $0.certificateVerification = .insecure
            $0.trustAnchors = []
            $0.serverName = "wrong.example"
        })
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete)
    }

    @Test("pinned mode accepts exactly the pinned leaf")
    func pinned() throws {
        let good = try ConnectionPair(client: { $0.certificateVerification = .pinned(der: try TestPKI.serverCertificateDER()) })
        try good.handshake()
        #expect(good.client.isHandshakeComplete)
        let bad = try ConnectionPair(client: { $0.certificateVerification = .pinned(der: try TestPKI.der("ca.crt")) })
        #expect { try bad.handshake() } throws: { ($0 as? TLSError)?.alert == .badCertificate }
    }

    // MARK: An attacker on the wire

    /// Opens the server's first encrypted record with the keys its own key log reveals, lets
    /// `edit` change the plaintext, and seals it again: what an attacker who knew the keys could
    /// do, to show that Finished catches what nothing else does.
    func tamperServerFlight(_ pair: ConnectionPair, suite: CipherSuite, edit: @escaping ([UInt8]) -> [UInt8]) {
        let serverLog = pair.serverLog
        pair.loopback.onFlight = { sender, bytes in
            guard sender == .server, let secret = serverLog.keyLogSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET"),
                  let parameters = CipherSuiteParameters(suite) else { return bytes }
            let schedule = KeySchedule(parameters: parameters, events: EventSink(observer: nil))
            let keys = TrafficSecret(schedule: schedule, secret: secret).trafficKeys(.write, epoch: .handshake)
            var opener = try RecordProtection(parameters: parameters, keys: keys, epoch: .handshake)
            var sealer = try RecordProtection(parameters: parameters, keys: keys, epoch: .handshake)
            return try splitRecords(bytes).flatMap { record -> [UInt8] in
                guard record[0] == 23 else { return record }
                let opened = try opener.open(header: Array(record[0..<5]), encryptedRecord: Array(record[5...]))
                return try sealer.seal(opened.innerContentType, edit(opened.content)).bytes
            }
        }
    }

    @Test("a Finished whose verify_data is wrong → decrypt_error (RFC 8446 §4.4.4)")
    func badFinished() throws {
        let pair = try ConnectionPair(client: { $0.cipherSuites = [.chacha20Poly1305SHA256] })
        tamperServerFlight(pair, suite: .chacha20Poly1305SHA256) { content in
            var content = content
            content[content.count - 1] ^= 0x01
            return content
        }
        #expect(throws: TLSError(.decryptError, "the server's Finished verify_data is wrong")) { try pair.handshake() }
        #expect(pair.clientLog.checks.last! == ("server's Finished matches the handshake we saw", false))
    }

    @Test("a forged CertificateVerify signature → decrypt_error (RFC 8446 §4.4.3)")
    func badCertificateVerify() throws {
        let pair = try ConnectionPair(client: { $0.cipherSuites = [.aes128GCMSHA256] })
        tamperServerFlight(pair, suite: .aes128GCMSHA256) { content in
            // The last message is Finished (4 + 32 bytes); the signature's last byte sits before it.
            var content = content
            content[content.count - 37] ^= 0x01
            return content
        }
        #expect(throws: TLSError(.decryptError, "the server's CertificateVerify signature does not verify")) { try pair.handshake() }
    }

    @Test("a flipped bit in a protected record → bad_record_mac (RFC 8446 §5.2)")
    func tamperedRecord() throws {
        let pair = try ConnectionPair()
        try pair.handshake()
        try pair.client.send([1, 2, 3, 4])
        var record = pair.client.takeOutgoing()
        record[7] ^= 0x80
        #expect(throws: TLSError(.badRecordMAC, "record 0 under the application key failed authentication")) {
            try pair.server.receive(record)
        }
        // The server's alert, under its application key, reaches the client as the peer's error.
        #expect(throws: TLSError(.badRecordMAC, "", origin: .peer)) { try pair.client.receive(pair.server.takeOutgoing()) }
        // A dead connection stays dead.
        #expect(throws: TLSError.self) { try pair.server.receive([]) }
    }
}

