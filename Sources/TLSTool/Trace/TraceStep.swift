import TLS13

/// What a step of the trace is called in plain words, for the `--step` prompt ("next: derive
/// the client handshake traffic secret"). Both trace views pause at the same events, so the
/// names come from the event, not from either layout's titles.
public enum TraceStep {
    public static func title(of event: TLSEvent) -> String {
        switch event {
        case .keyPair(let group, _, _):
            return "create an ephemeral \(group.name ?? group.description) key pair"
        case .handshakeMessage(.sent, let type, let bytes, _):
            return "send \(messageName(type, bytes))"
        case .handshakeMessage(.received, let type, let bytes, _):
            return "read the peer's \(messageName(type, bytes))"
        case .record(.sent, let record):
            return "send a \(record.contentType.name ?? record.contentType.description) record"
        case .record(.received, let record):
            return "read a \(record.contentType.name ?? record.contentType.description) record"
        case .changeCipherSpecIgnored:
            return "ignore change_cipher_spec"
        case .sharedSecret(let group, _):
            return "compute the \(group.name ?? group.description) shared secret"
        case .extractSecret(let stage, _, _, _):
            return "extract the \(stage.rawValue) secret (HKDF-Extract)"
        case .deriveSecret(let label, let purpose, _, _, _, _):
            return derivedSecretTitle(label: label, purpose: purpose)
        case .trafficKeys(let direction, let epoch, _, _, _, _, _, _):
            return "derive the \(direction.rawValue) key and IV for \(epoch.keyPurpose)"
        case .finished(let of, _, _, _, _, _, let matched):
            return matched == nil ? "compute the \(of) Finished" : "check the \(of) Finished"
        case .resumptionSecret:
            return "derive the resumption secret of a ticket"
        case .certificateVerify(_, _, _, let verified):
            return verified == nil ? "sign CertificateVerify" : "verify the peer's CertificateVerify"
        case .check(let what, _, _):
            return "check: \(what)"
        case .transcriptRewrite:
            return "replace ClientHello1 in the transcript by message_hash"
        case .keyUpdated(let direction, let generation, _):
            return "update the \(direction.rawValue) traffic secret to generation \(generation)"
        case .alert(let direction, _, let description):
            return "\(direction == .sent ? "send" : "read") alert \(description.name ?? "\(description.rawValue)")"
        case .applicationData(let direction, _):
            return direction == .sent ? "send application data" : "read application data"
        case .keyLog:
            return "write the key log"
        case .handshakeComplete:
            return "handshake complete"
        case .pskBinder(_, _, _, _, _, _, let matched):
            return matched == nil ? "compute the PSK binder" : "check the client's PSK binder"
        case .sessionTicket(let direction, _, _):
            return direction == .sent ? "seal a session ticket" : "open a session ticket"
        case .earlyData(let direction, _):
            return direction == .sent ? "send 0-RTT early data" : "read 0-RTT early data"
        case .note(let text):
            return text
        }
    }

    /// The message's name as a learner knows it: a ServerHello with the special random is the
    /// HelloRetryRequest (RFC 8446 §4.1.3). `bytes` include the 4-byte handshake header.
    public static func messageName(_ type: HandshakeType, _ bytes: [UInt8]) -> String {
        if type == .serverHello, bytes.count >= 38, Array(bytes[6..<38]) == HelloRetryRequest.specialRandom {
            return "HelloRetryRequest"
        }
        return type.messageName
    }

    /// RFC 8446 §7.1's labels in words: "tls13 c hs traffic" is the client handshake traffic secret.
    static func derivedSecretTitle(label: String, purpose: KeyScheduleStage?) -> String {
        let names: [String: String] = [
            "tls13 derived": "the salt for the \(purpose?.rawValue ?? "next") secret (\"derived\")",
            "tls13 c hs traffic": "the client handshake traffic secret",
            "tls13 s hs traffic": "the server handshake traffic secret",
            "tls13 c ap traffic": "the client application traffic secret",
            "tls13 s ap traffic": "the server application traffic secret",
            "tls13 exp master": "the exporter master secret",
            "tls13 res master": "the resumption master secret",
            "tls13 ext binder": "the external PSK binder key",
            "tls13 res binder": "the resumption PSK binder key",
            "tls13 c e traffic": "the client early traffic secret",
            "tls13 e exp master": "the early exporter master secret",
        ]
        return "derive " + (names[label] ?? "secret \"\(label)\"")
    }
}
