import Testing
import TLS13
import TLSCrypto

@Suite("RFC 8446 §5 record layer")
struct RecordLayerTests {
    static let aes128 = CipherSuiteParameters(.aes128GCMSHA256)!
    static let chacha = CipherSuiteParameters(.chacha20Poly1305SHA256)!

    func layer(limit: Int = 1 << 16) -> RecordLayer {
        RecordLayer(events: EventSink(observer: nil), handshakeMessageSizeLimit: limit)
    }

    func protection(_ parameters: CipherSuiteParameters = chacha, key: UInt8 = 1) throws -> RecordProtection {
        try RecordProtection(parameters: parameters,
                             keys: TrafficKeys(key: [UInt8](repeating: key, count: parameters.keyLength),
                                               iv: [UInt8](repeating: 0x0f, count: 12)),
                             epoch: .handshake)
    }

    /// Feeds `bytes` into `layer` one byte at a time and collects every message that comes out.
    func dripFeed(_ bytes: [UInt8], into layer: inout RecordLayer) throws -> [IncomingMessage] {
        var messages: [IncomingMessage] = []
        for byte in bytes {
            layer.receive([byte])
            while let message = try layer.nextMessage() { messages.append(message) }
        }
        return messages
    }

    // MARK: RFC 8448 §3 records

    @Test("RFC 8448 §3: the server's encrypted flight, the client's Finished, data and alerts are sealed exactly as printed")
    func rfc8448Records() throws {
        let rfc = try RFC8448.load().section(3)
        func keys(_ side: Side, _ title: String) throws -> TrafficKeys {
            let step = try rfc.step(side, title)
            return TrafficKeys(key: try step.bytes("key expanded"), iv: try step.bytes("iv expanded"))
        }
        let serverHandshake = try keys(.server, "derive write traffic keys for handshake data")
        let serverApplication = try keys(.server, "derive write traffic keys for application data")
        let clientHandshake = try keys(.server, "derive read traffic keys for handshake data")
        let clientApplication = try keys(.client, "derive write traffic keys for application data")

        func check(_ keys: TrafficKeys, _ side: Side, _ title: String, index: Int, sequenceNumber: Int, type: ContentType) throws {
            let step = rfc.steps(side, title)[index]
            var sealer = try RecordProtection(parameters: Self.aes128, keys: keys, epoch: .handshake)
            for _ in 0..<sequenceNumber { _ = try sealer.seal(type, []) }
            let sealed = try sealer.seal(type, try step.bytes("payload"))
            #expect(sealed.bytes == (try step.bytes("complete record")), "\(side) \(title) #\(index)")

            var opener = try RecordProtection(parameters: Self.aes128, keys: keys, epoch: .handshake)
            for _ in 0..<sequenceNumber { _ = try opener.seal(type, []) }
            let record = try step.bytes("complete record")
            let opened = try opener.open(header: Array(record[0..<5]), encryptedRecord: Array(record[5...]))
            #expect(opened.content == (try step.bytes("payload")) && opened.innerContentType == type)
        }
        // Server: [EncryptedExtensions..Finished] is record 0 under the handshake key; the
        // NewSessionTicket, data and alert are records 0, 1, 2 under the application key.
        try check(serverHandshake, .server, "send handshake record", index: 1, sequenceNumber: 0, type: .handshake)
        try check(serverApplication, .server, "send handshake record", index: 2, sequenceNumber: 0, type: .handshake)
        try check(serverApplication, .server, "send application_data record", index: 0, sequenceNumber: 1, type: .applicationData)
        try check(serverApplication, .server, "send alert record", index: 0, sequenceNumber: 2, type: .alert)
        // Client: Finished under the handshake key, then data and alert under the application key.
        try check(clientHandshake, .client, "send handshake record", index: 1, sequenceNumber: 0, type: .handshake)
        try check(clientApplication, .client, "send application_data record", index: 0, sequenceNumber: 0, type: .applicationData)
        try check(clientApplication, .client, "send alert record", index: 0, sequenceNumber: 1, type: .alert)
    }

    @Test("RFC 8446 §5.3: the nonce is the IV XOR the left-padded sequence number")
    func nonce() throws {
        let protection = try protection()
        #expect(protection.nonce(for: 0) == [UInt8](repeating: 0x0f, count: 12))
        #expect(protection.nonce(for: 0x0102) == [UInt8](repeating: 0x0f, count: 10) + [0x0e, 0x0d])
        #expect(protection.nonce(for: .max).prefix(4) == [0x0f, 0x0f, 0x0f, 0x0f])
        #expect(protection.nonce(for: .max).suffix(8) == [UInt8](repeating: 0xf0, count: 8))
    }

    // MARK: Framing

    @Test("records fed one byte at a time: several messages in one record, one message across records")
    func reassembly() throws {
        var writer = layer()
        let small1: [UInt8] = [8, 0, 0, 2, 0, 0]
        let small2: [UInt8] = [11, 0, 0, 1, 7]
        let big: [UInt8] = [11, 0, 0x4e, 0x20] + (0..<20_000).map { UInt8(truncatingIfNeeded: $0) }
        let wire = try writer.writeHandshake(small1 + small2) + (try writer.writeHandshake(big))
        // 20004 bytes of message take two plaintext records of at most 2^14.
        #expect(wire.count == 5 + 11 + 5 + (1 << 14) + 5 + (20_004 - (1 << 14)))
        var reader = layer()
        let messages = try dripFeed(wire, into: &reader)
        #expect(messages == [.handshake(.encryptedExtensions, small1), .handshake(.certificate, small2), .handshake(.certificate, big)])
        #expect(!reader.hasBufferedHandshakeBytes)
    }

    @Test("protected records round-trip one byte at a time; the sequence number restarts with a new key")
    func protectedRoundTrip() throws {
        var writer = layer()
        var reader = layer()
        writer.changeWriteKey(to: try protection())
        try reader.changeReadKey(to: try protection())
        let data = (0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let wire = try writer.writeApplicationData(data) + (try writer.writeAlert(.warning, .closeNotify))
        let messages = try dripFeed(wire, into: &reader)
        #expect(messages.count == 4)
        let received = messages.dropLast().flatMap { message -> [UInt8] in
            if case .applicationData(let bytes) = message { return bytes }
            return []
        }
        #expect(received == data)
        #expect(messages.last == .alert(.warning, .closeNotify))
        #expect(reader.readProtection?.sequenceNumber == 4)
        try reader.changeReadKey(to: try protection(key: 2))
        #expect(reader.readProtection?.sequenceNumber == 0)
    }

    @Test("TLSInnerPlaintext: zero padding is stripped; all padding → unexpected_message; > 2^14 + 1 → record_overflow")
    func innerPlaintext() throws {
        let key = [UInt8](repeating: 1, count: 32)
        let iv = [UInt8](repeating: 0x0f, count: 12)
        func record(_ inner: [UInt8]) throws -> [UInt8] {
            let length = inner.count + 16
            let header: [UInt8] = [23, 3, 3, UInt8(length >> 8), UInt8(length & 0xff)]
            return header + (try ChaCha20Poly1305(key: key).seal(nonce: iv, plaintext: inner, additionalData: header))
        }
        func open(_ record: [UInt8]) throws -> RecordTrace.Protection {
            var opener = try protection()
            return try opener.open(header: Array(record[0..<5]), encryptedRecord: Array(record[5...]))
        }
        let padded = try open(try record([1, 2, 3, 23] + [UInt8](repeating: 0, count: 10)))
        #expect(padded.content == [1, 2, 3] && padded.innerContentType == .applicationData && padded.paddingLength == 10)
        #expect(throws: TLSError(.unexpectedMessage, "decrypted record holds only padding, no content type")) {
            try open(try record([0, 0, 0, 0]))
        }
        #expect { try open(try record([UInt8](repeating: 1, count: (1 << 14) + 1) + [23])) } throws: {
            ($0 as? TLSError)?.alert == .recordOverflow
        }
        var tampered = try record([1, 2, 3, 23])
        tampered[tampered.count - 1] ^= 1
        #expect(throws: TLSError(.badRecordMAC, "record 0 under the handshake key failed authentication")) { try open(tampered) }
        #expect { try open([23, 3, 3, 0, 5, 1, 2, 3, 4, 5]) } throws: { ($0 as? TLSError)?.alert == .badRecordMAC }
    }

    /// The alert the record layer raises for `bytes`, with or without a read key.
    func alert(for bytes: [UInt8], protected: Bool = false, window: Bool = false) throws -> AlertDescription? {
        var reader = layer()
        reader.inHandshakeWindow = window
        if protected { try reader.changeReadKey(to: try protection()) }
        reader.receive(bytes)
        do {
            while try reader.nextMessage() != nil {}
            return nil
        } catch let error as TLSError {
            return error.alert
        }
    }

    @Test("header checks: content type, legacy_record_version, lengths (RFC 8446 §5.1, §5.2)")
    func headers() throws {
        #expect(try alert(for: [99, 3, 3, 0, 1, 0]) == .unexpectedMessage)
        #expect(try alert(for: [22, 3, 1, 0, 4, 1, 0, 0, 0]) == nil)
        #expect(try alert(for: [23, 3, 1, 0, 17] + [UInt8](repeating: 0, count: 17), protected: true) == .protocolVersion)
        #expect(try alert(for: [22, 3, 3, 0x40, 0x01]) == .recordOverflow)
        #expect(try alert(for: [23, 3, 3, 0x41, 0x01], protected: true) == .recordOverflow)
        #expect(try alert(for: [23, 3, 3, 0x41, 0x00], protected: true) == nil)
        #expect(try alert(for: [22, 3, 3, 0, 0]) == .unexpectedMessage)
        #expect(try alert(for: [21, 3, 3, 0, 3, 1, 0, 0]) == .decodeError)
        #expect(try alert(for: [23, 3, 3, 0, 1, 0]) == .unexpectedMessage)
        #expect(try alert(for: [22, 3, 3, 0, 4, 1, 0, 0, 0], protected: true) == .unexpectedMessage)
    }

    @Test("""
        RFC 8446 §5.1: a plaintext record's legacy_record_version "MUST be ignored for all purposes" \
        (0x0300, 0x0301, 0x03ff, even 0x0200 and 0x0000 carry a message)
        """)
    func plaintextLegacyRecordVersionIgnored() throws {
        for version: UInt16 in [0x0000, 0x0200, 0x0300, 0x0301, 0x0302, 0x0303, 0x0304, 0x03ff, 0xfefd] {
            var reader = layer()
            reader.receive([22, UInt8(version >> 8), UInt8(version & 0xff), 0, 5, 24, 0, 0, 1, 0])
            #expect(try reader.nextMessage() == .handshake(.keyUpdate, [24, 0, 0, 1, 0]), "version \(version)")
        }
    }

    @Test("""
        RFC 8446 §5.1: "a record with an Alert type MUST contain exactly one message": an empty alert \
        record (zero or only padding) is an unexpected_message, like a zero-length handshake \
        fragment; 1 or 3 bytes cannot be parsed (§6): decode_error
        """)
    func alertRecordLength() throws {
        #expect(try alert(for: [21, 3, 3, 0, 0]) == .unexpectedMessage)
        #expect(try alert(for: [21, 3, 3, 0, 1, 2]) == .decodeError)
        #expect(try alert(for: [21, 3, 3, 0, 3, 2, 40, 0]) == .decodeError)
        var sealer = try protection()
        #expect(try alert(for: try sealer.seal(.alert, []).bytes, protected: true) == .unexpectedMessage)
        // TLSInnerPlaintext 21 00 … 00: inner type alert, no content, 29 bytes of padding.
        var padded = try protection()
        #expect(try alert(for: try padded.seal(ContentType(rawValue: 0), [21] + [UInt8](repeating: 0, count: 29)).bytes, protected: true) == .unexpectedMessage)
    }

    @Test("ChangeCipherSpec: 0x01 is dropped inside the handshake window; anything else → unexpected_message (RFC 8446 §5)")
    func changeCipherSpec() throws {
        #expect(try alert(for: [20, 3, 3, 0, 1, 1], window: true) == nil)
        #expect(try alert(for: [20, 3, 3, 0, 1, 1], protected: true, window: true) == nil)
        #expect(try alert(for: [20, 3, 3, 0, 1, 1]) == .unexpectedMessage)
        #expect(try alert(for: [20, 3, 3, 0, 1, 2], window: true) == .unexpectedMessage)
        #expect(try alert(for: [20, 3, 3, 0, 2, 1, 1], window: true) == .unexpectedMessage)
        var sealer = try protection()
        #expect(try alert(for: try sealer.seal(.changeCipherSpec, [1]).bytes, protected: true, window: true) == .unexpectedMessage)
    }

    @Test("a handshake message may not span a key change, nor be interleaved with other records (RFC 8446 §5.1)")
    func keyChangeBoundary() throws {
        var reader = layer()
        reader.receive([22, 3, 3, 0, 6, 2, 0, 0, 0, 8, 0])
        #expect(try reader.nextMessage() == .handshake(.serverHello, [2, 0, 0, 0]))
        #expect(throws: TLSError.self) { try reader.changeReadKey(to: try protection()) }

        var interleaved = layer()
        interleaved.receive([22, 3, 3, 0, 2, 8, 0, 21, 3, 3, 0, 2, 1, 0])
        #expect { while try interleaved.nextMessage() != nil {} } throws: { ($0 as? TLSError)?.alert == .unexpectedMessage }
    }

    @Test("declined 0-RTT: records that fail to open are skipped up to the budget; the first that opens ends the skipping (RFC 8446 §4.2.10)")
    func skippedEarlyData() throws {
        var earlySealer = try protection(key: 9)
        var sealer = try protection()
        let early = try earlySealer.seal(.applicationData, [UInt8](repeating: 1, count: 100)).bytes
        let finished = try sealer.seal(.handshake, [20, 0, 0, 1, 7]).bytes
        var reader = layer()
        try reader.changeReadKey(to: try protection())
        reader.skippableEarlyDataBytes = 300
        reader.receive(early + early + finished)
        #expect(try reader.nextMessage() == .handshake(.finished, [20, 0, 0, 1, 7]))
        #expect(reader.readProtection?.sequenceNumber == 1)
        // Skipping is over: a later record that fails is fatal again.
        reader.receive(early)
        #expect { try reader.nextMessage() } throws: { ($0 as? TLSError)?.alert == .badRecordMAC }

        var stingy = layer()
        try stingy.changeReadKey(to: try protection())
        stingy.skippableEarlyDataBytes = 150
        stingy.receive(early + early)
        #expect { try stingy.nextMessage() } throws: { ($0 as? TLSError)?.alert == .badRecordMAC }
    }

    @Test("the handshake message size limit is enforced from the header (decode_error)")
    func sizeLimit() throws {
        var reader = layer(limit: 100)
        reader.receive([22, 3, 3, 0, 4, 11, 0, 0, 101])
        #expect(throws: TLSError(.decodeError, "Certificate of 101 bytes exceeds the limit of 100 bytes")) { try reader.nextMessage() }
    }

    @Test("""
        a ClientHello may be as long as RFC 8446 §4.1.2's syntax allows (131,396 bytes), whatever the \
        limit for other messages; one byte more is a decode_error from the header
        """)
    func clientHelloSizeLimit() throws {
        #expect(ClientHello.maximumBodyLength == 131_396)
        var largest = layer(limit: 100)
        largest.receive([22, 3, 1, 0, 4, 1, 0x02, 0x01, 0x44])
        #expect(try largest.nextMessage() == nil)
        var tooLong = layer(limit: 100)
        tooLong.receive([22, 3, 1, 0, 4, 1, 0x02, 0x01, 0x45])
        #expect(throws: TLSError(.decodeError, "ClientHello of 131397 bytes exceeds the limit of 131396 bytes")) { try tooLong.nextMessage() }
    }

    @Test("events: a sent protected record reports its key, IV, nonce, AAD, inner type and tag")
    func recordEvents() throws {
        let log = EventLog()
        var writer = RecordLayer(events: EventSink(observer: log.observer), handshakeMessageSizeLimit: 1 << 16)
        writer.changeWriteKey(to: try protection())
        let wire = try writer.writeApplicationData([1, 2, 3])
        guard case .record(.sent, let trace) = log.events.first, let protection = trace.protection else {
            Issue.record("no record event")
            return
        }
        #expect(trace.bytes == wire)
        #expect(protection.additionalData == Array(wire[0..<5]))
        #expect(protection.tag == Array(wire.suffix(16)))
        #expect(protection.nonce == protection.iv && protection.sequenceNumber == 0)
        #expect(protection.content == [1, 2, 3] && protection.innerContentType == .applicationData)
    }
}
