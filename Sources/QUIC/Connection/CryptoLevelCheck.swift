import TLS13

/// RFC 9001 §4.1.3: each TLS handshake message belongs to one encryption level, and "If an
/// endpoint receives a TLS message at an encryption level other than the one it expects, it
/// MUST treat this as a connection error of type PROTOCOL_VIOLATION" (§4.1.4 repeats it for
/// CRYPTO data). §6: "Endpoints MUST treat the receipt of a TLS KeyUpdate message as a
/// connection error of type 0x010a, equivalent to a fatal TLS alert of unexpected_message";
/// §8.3: the same for EndOfEarlyData ("clients MUST NOT send the EndOfEarlyData message").
///
/// This reads only the 4-byte handshake headers of the ordered CRYPTO stream of one level, as
/// they go by, to find where each message starts; the TLS engine parses the messages.
struct CryptoLevelCheck {
    /// Bytes of the current message still to come, and the header bytes gathered so far.
    private var remaining = 0
    private var header: [UInt8] = []

    /// Checks the message types that start in `bytes` (the next ordered bytes of `level`).
    mutating func check(_ bytes: [UInt8], level: EncryptionLevel, receiver: Side) throws {
        var index = 0
        while index < bytes.count {
            if remaining > 0 {
                let take = min(remaining, bytes.count - index)
                remaining -= take
                index += take
                continue
            }
            header.append(bytes[index])
            index += 1
            guard header.count == 4 else { continue }
            let type = HandshakeType(rawValue: header[0])
            remaining = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
            header = []
            try Self.require(type, at: level, receiver: receiver)
        }
    }

    static func require(_ type: HandshakeType, at level: EncryptionLevel, receiver: Side) throws {
        let name = type.name ?? "handshake type \(type.rawValue)"
        if type == .keyUpdate || type == .endOfEarlyData {
            throw QUICError(.crypto(.unexpectedMessage), "a TLS \(name) message, which QUIC forbids (RFC 9001 §6, §8.3)", frameType: 0x06)
        }
        let allowed: Set<HandshakeType> = switch (level, receiver) {
        case (.initial, .server): [.clientHello]
        case (.initial, .client): [.serverHello]
        case (.handshake, .server): [.certificate, .certificateVerify, .finished]
        case (.handshake, .client): [.encryptedExtensions, .certificate, .certificateRequest, .certificateVerify, .finished]
        case (.application, .client): [.newSessionTicket, .certificateRequest]
        case (.application, .server): [.certificate, .certificateVerify, .finished]
        }
        guard allowed.contains(type) else {
            throw QUICError(.protocolViolation, "a TLS \(name) in \(level.name) CRYPTO data, where RFC 9001 §4.1.3 does not put it", frameType: 0x06)
        }
    }
}
