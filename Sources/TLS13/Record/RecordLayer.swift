/// What the record layer hands up: one whole handshake message, one alert, or one record's
/// worth of application data.
public enum IncomingMessage: Equatable, Sendable {
    /// The exact bytes of the message, 4-byte header included (what the transcript hashes).
    case handshake(HandshakeType, [UInt8])
    case alert(AlertLevel, AlertDescription)
    case applicationData([UInt8])
}

/// RFC 8446 §5 Record Protocol, both directions.
///
/// Incoming bytes arrive in chunks of any size (one byte at a time works). `nextMessage()` cuts
/// them into records, checks each header, removes protection, and reassembles handshake
/// messages that span records or splits records that carry several. It never holds more than
/// one record of peer bytes plus one handshake message (bounded by `handshakeMessageSizeLimit`,
/// or `ClientHello.maximumBodyLength` for a ClientHello).
///
/// Outgoing messages become records: handshake messages and application data are fragmented at
/// 2^14 bytes, and protected with the current write key once there is one.
public struct RecordLayer {
    public let events: EventSink
    /// The largest handshake message accepted, header excluded, but for a ClientHello (see
    /// `sizeLimit(of:otherMessages:)`).
    public let handshakeMessageSizeLimit: Int

    /// RFC 8446 §5: an unprotected ChangeCipherSpec of the single byte 0x01 "received at any time
    /// after the first ClientHello message has been sent or received and before the peer's
    /// Finished message has been received ... MUST simply drop it". The connection opens and closes
    /// this window; the same window admits an unprotected alert, so that a peer that failed before
    /// it could switch keys can still tell us why.
    public var inHandshakeWindow = false

    /// RFC 8446 §4.2.10: a server that declines the client's 0-RTT data "skips past early data
    /// by attempting to deprotect received records using the handshake traffic key, discarding
    /// records which fail deprotection (up to the configured max_early_data_size)". This many
    /// bytes of such records may still be discarded; the first record that opens ends the skipping.
    public var skippableEarlyDataBytes = 0

    public private(set) var readProtection: RecordProtection?
    public private(set) var writeProtection: RecordProtection?

    private var input: [UInt8] = []
    private var inputStart = 0
    private var handshakeBuffer: [UInt8] = []

    public static let maximumPlaintextLength = 1 << 14
    private static let headerLength = 5

    public init(events: EventSink, handshakeMessageSizeLimit: Int) {
        self.events = events
        self.handshakeMessageSizeLimit = handshakeMessageSizeLimit
    }

    // MARK: Keys

    /// RFC 8446 §5.1: "Handshake messages MUST NOT span key changes. Implementations MUST verify
    /// that all messages immediately preceding a key change align with a record boundary; if
    /// not, then they MUST terminate the connection with an "unexpected_message" alert."
    public mutating func changeReadKey(to protection: RecordProtection) throws {
        guard handshakeBuffer.isEmpty else {
            throw TLSError(.unexpectedMessage, "a handshake message continues across a key change (\(handshakeBuffer.count) bytes left in the record)")
        }
        readProtection = protection
    }

    public mutating func changeWriteKey(to protection: RecordProtection) {
        writeProtection = protection
    }

    /// RFC 9001 §4: inside QUIC, handshake bytes arrive in CRYPTO frames, not records; they join
    /// the same reassembly as record fragments (a message may still span several frames).
    public mutating func receiveHandshakeData(_ bytes: [UInt8]) {
        handshakeBuffer.append(contentsOf: bytes)
    }

    /// The key our writes are under now, nil before any (QUIC's Initial level).
    public var writeEpoch: TrafficEpoch? { writeProtection?.epoch }

    /// True while bytes of a handshake message (or further messages of the last record) wait.
    public var hasBufferedHandshakeBytes: Bool { !handshakeBuffer.isEmpty }

    // MARK: Reading

    public mutating func receive(_ bytes: [UInt8]) {
        if inputStart == input.count {
            // Everything before was consumed (the usual case): take the new bytes over, no copy.
            input = bytes
            inputStart = 0
            return
        }
        if inputStart > 0 && inputStart >= input.count / 2 {
            input.removeSubrange(0..<inputStart)
            inputStart = 0
        }
        input.append(contentsOf: bytes)
    }

    /// The next complete message, or nil when more bytes are needed.
    public mutating func nextMessage() throws -> IncomingMessage? {
        while true {
            if let message = try takeHandshakeMessage() { return message }
            guard let record = try takeRecord() else { return nil }
            let (type, content) = record
            // RFC 8446 §5.1: "Handshake messages MUST NOT be interleaved with other record types."
            if type != .handshake && !handshakeBuffer.isEmpty {
                throw TLSError(.unexpectedMessage, "a \(type) record arrived in the middle of a fragmented handshake message")
            }
            switch type {
            case .handshake:
                // RFC 8446 §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types."
                guard !content.isEmpty else {
                    throw TLSError(.unexpectedMessage, "zero-length handshake fragment")
                }
                handshakeBuffer.append(contentsOf: content)
            case .alert:
                // RFC 8446 §6: exactly one two-byte Alert per record (decode_error otherwise).
                let alert = try Alert(decoding: content)
                return .alert(alert.level, alert.description)
            case .applicationData:
                return .applicationData(content)
            default:
                // RFC 8446 §5: "If a TLS implementation receives an unexpected record type, it
                // MUST terminate the connection with an "unexpected_message" alert."
                throw TLSError(.unexpectedMessage, "record of content type \(type)")
            }
        }
    }

    /// RFC 8446 §4: a handshake message is `HandshakeType msg_type; uint24 length; body`.
    private mutating func takeHandshakeMessage() throws -> IncomingMessage? {
        guard let header = HandshakeMessage.Header(peeking: handshakeBuffer) else { return nil }
        let (type, length) = (header.type, header.length)
        // Our own ceiling on what we buffer, checked as soon as the header is known. An
        // over-long message is treated as one whose length field is out of range: decode_error.
        let limit = Self.sizeLimit(of: type, otherMessages: handshakeMessageSizeLimit)
        guard length <= limit else {
            throw TLSError(.decodeError, "\(type.messageName) of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        let total = HandshakeMessage.Header.byteCount + length
        guard handshakeBuffer.count >= total else { return nil }
        let message = Array(handshakeBuffer[0..<total])
        handshakeBuffer.removeSubrange(0..<total)
        return .handshake(type, message)
    }

    /// A ClientHello may be as long as its syntax allows (`ClientHello.maximumBodyLength`, about
    /// 128 KiB): every legal one is accepted, and hellos grow (post-quantum key shares, long
    /// lists). Every other message keeps the configured cap.
    public static func sizeLimit(of type: HandshakeType, otherMessages: Int) -> Int {
        type == .clientHello ? ClientHello.maximumBodyLength : otherMessages
    }

    /// Cuts one record from the input, checks its header and removes its protection. Returns its
    /// real content type and content; ChangeCipherSpec records are dropped here.
    private mutating func takeRecord() throws -> (ContentType, [UInt8])? {
        while true {
            let available = input.count - inputStart
            guard available >= Self.headerLength else { return nil }
            let header = Array(input[inputStart..<inputStart + Self.headerLength])
            let type = ContentType(rawValue: header[0])
            let version = UInt16(header[1]) << 8 | UInt16(header[2])
            let length = Int(header[3]) << 8 | Int(header[4])
            try checkHeader(type: type, version: version, length: length)
            guard available >= Self.headerLength + length else { return nil }
            let fragment = Array(input[inputStart + Self.headerLength..<inputStart + Self.headerLength + length])
            inputStart += Self.headerLength + length

            if type == .changeCipherSpec {
                // RFC 8446 §5: the single byte 0x01, inside the handshake window, is dropped;
                // "An implementation which receives any other change_cipher_spec value or which
                // receives a protected change_cipher_spec record MUST abort the handshake with an
                // "unexpected_message" alert." So must one outside the window.
                guard inHandshakeWindow else {
                    throw TLSError(.unexpectedMessage, "ChangeCipherSpec outside the handshake")
                }
                _ = try ChangeCipherSpec(decoding: fragment)
                events(.record(.received, RecordTrace(contentType: type, bytes: header + fragment)))
                events(.changeCipherSpecIgnored(.received))
                continue
            }
            if type == .applicationData, var protection = readProtection {
                let inner: RecordTrace.Protection
                do {
                    inner = try protection.open(header: header, encryptedRecord: fragment)
                } catch let error as TLSError where error.alert == .badRecordMAC && fragment.count <= skippableEarlyDataBytes {
                    skippableEarlyDataBytes -= fragment.count
                    events(.record(.received, RecordTrace(contentType: type, bytes: header + fragment)))
                    continue
                }
                skippableEarlyDataBytes = 0
                readProtection = protection
                events(.record(.received, RecordTrace(contentType: type, bytes: header + fragment, protection: inner)))
                // RFC 8446 §5.4: a ChangeCipherSpec is never protected.
                guard inner.innerContentType != .changeCipherSpec else {
                    throw TLSError(.unexpectedMessage, "protected ChangeCipherSpec record")
                }
                return (inner.innerContentType, inner.content)
            }
            // RFC 8446 §4.2.10: after a HelloRetryRequest, the server skips the client's early
            // data (encrypted under a key it never derived) "up to the configured max_early_data_size".
            if type == .applicationData, readProtection == nil, fragment.count <= skippableEarlyDataBytes {
                skippableEarlyDataBytes -= fragment.count
                events(.record(.received, RecordTrace(contentType: type, bytes: header + fragment)))
                continue
            }
            events(.record(.received, RecordTrace(contentType: type, bytes: header + fragment)))
            return (type, fragment)
        }
    }

    /// RFC 8446 §5.1-§5.2 header checks, before the body is awaited so a bad length is caught early.
    private func checkHeader(type: ContentType, version: UInt16, length: Int) throws {
        let protected = readProtection != nil && type == .applicationData
        switch type {
        case .handshake, .alert, .changeCipherSpec, .applicationData: break
        default:
            // RFC 8446 §5: an unknown record type is an unexpected_message.
            throw TLSError(.unexpectedMessage, "record of unknown content type \(type.rawValue)")
        }
        if protected {
            // RFC 8446 §5.2: TLSCiphertext.legacy_record_version = 0x0303.
            guard version == 0x0303 else {
                throw TLSError(.protocolVersion, "protected record has legacy_record_version \(hex16(version)), expected 0x0303")
            }
            // RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes. An endpoint that
            // receives a record that exceeds this length MUST terminate the connection with a
            // "record_overflow" alert."
            guard length <= RecordProtection.maximumCiphertextLength else {
                throw TLSError(.recordOverflow, "protected record of \(length) bytes exceeds 2^14 + 256")
            }
        } else {
            // RFC 8446 §5.1: legacy_record_version "MUST be set to 0x0303 for all records
            // generated by a TLS 1.3 implementation other than an initial ClientHello ... but
            // MUST be ignored for all purposes." So no value is refused here (an SSLv2-format
            // hello is still refused: its first byte is no content type we know).
            // RFC 8446 §5.1: "The length MUST NOT exceed 2^14 bytes. An endpoint that receives a
            // record that exceeds this length MUST terminate the connection with a
            // "record_overflow" alert."
            guard length <= Self.maximumPlaintextLength || (type == .applicationData && skippableEarlyDataBytes > 0) else {
                throw TLSError(.recordOverflow, "plaintext record of \(length) bytes exceeds 2^14")
            }
            switch type {
            case .applicationData where skippableEarlyDataBytes == 0:
                throw TLSError(.unexpectedMessage, "application data before any traffic key was established")
            case .applicationData:
                // Early data after a HelloRetryRequest: skipped when whole (below), within the limit.
                guard length <= RecordProtection.maximumCiphertextLength else {
                    throw TLSError(.recordOverflow, "protected record of \(length) bytes exceeds 2^14 + 256")
                }
            case .handshake where readProtection != nil:
                throw TLSError(.unexpectedMessage, "unprotected handshake record after the handshake key was established")
            case .alert where readProtection != nil && !inHandshakeWindow:
                throw TLSError(.unexpectedMessage, "unprotected alert record after the handshake")
            default:
                break
            }
        }
    }

    // MARK: Writing

    /// Records carrying `message` (one whole handshake message), fragmented at 2^14 bytes.
    /// `legacyRecordVersion` is 0x0301 only for an initial ClientHello (RFC 8446 §5.1).
    public mutating func writeHandshake(_ message: [UInt8], legacyRecordVersion: UInt16 = 0x0303) throws -> [UInt8] {
        try write(.handshake, message, legacyRecordVersion: legacyRecordVersion)
    }

    public mutating func writeApplicationData(_ data: [UInt8]) throws -> [UInt8] {
        // RFC 8446 §5.1 allows zero-length application data fragments; one empty record keeps a
        // zero-length send visible on the wire rather than silently dropping it.
        guard !data.isEmpty else { return try writeRecord(.applicationData, [], legacyRecordVersion: 0x0303) }
        return try write(.applicationData, data, legacyRecordVersion: 0x0303)
    }

    public mutating func writeAlert(_ level: AlertLevel, _ description: AlertDescription) throws -> [UInt8] {
        try writeRecord(.alert, Alert(level: level, description: description).bytes, legacyRecordVersion: 0x0303)
    }

    /// RFC 8446 §D.4 middlebox compatibility: the dummy ChangeCipherSpec record.
    public func changeCipherSpecRecord() -> [UInt8] {
        let record: [UInt8] = [ContentType.changeCipherSpec.rawValue, 0x03, 0x03, 0x00, 0x01] + ChangeCipherSpec.bytes
        events(.record(.sent, RecordTrace(contentType: .changeCipherSpec, bytes: record)))
        return record
    }

    private mutating func write(_ type: ContentType, _ content: [UInt8], legacyRecordVersion: UInt16) throws -> [UInt8] {
        // Content that fits one record (a 16 KiB read from stdin does) goes out without being
        // sliced into a new array and appended to an empty one: two 16 KiB copies saved.
        if !content.isEmpty && content.count <= Self.maximumPlaintextLength {
            return try writeRecord(type, content, legacyRecordVersion: legacyRecordVersion)
        }
        var out: [UInt8] = []
        var start = 0
        while start < content.count {
            let end = min(start + Self.maximumPlaintextLength, content.count)
            out += try writeRecord(type, Array(content[start..<end]), legacyRecordVersion: legacyRecordVersion)
            start = end
        }
        return out
    }

    private mutating func writeRecord(_ type: ContentType, _ fragment: [UInt8], legacyRecordVersion: UInt16) throws -> [UInt8] {
        if var protection = writeProtection {
            let trace = try protection.seal(type, fragment)
            writeProtection = protection
            events(.record(.sent, trace))
            return trace.bytes
        }
        var writer = ByteWriter(reservingCapacity: fragment.count + Self.headerLength)
        writer.u8(type.rawValue)
        writer.u16(legacyRecordVersion)
        try writer.lengthPrefixed(.u16) { $0.bytes(fragment) }
        events(.record(.sent, RecordTrace(contentType: type, bytes: writer.bytes)))
        return writer.bytes
    }
}
