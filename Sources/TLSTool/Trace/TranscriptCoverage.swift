import TLS13
import TLSCrypto

/// Which handshake messages a printed transcript hash covers (RFC 8446 §4.4.1), so the trace can
/// say "hash of ClientHello … ServerHello" instead of leaving a learner to guess.
///
/// The layout feeds it every handshake message it sees, in order; to name a hash it hashes each
/// prefix of that list and looks for the printed value. Nothing is taken on trust: a hash that
/// matches no prefix (a view that missed a message) is simply left unnamed.
struct TranscriptCoverage: Sendable {
    private var messages: [(name: String, bytes: [UInt8])] = []
    private var closed = false

    /// A handshake message sent or received. Messages after the handshake (NewSessionTicket,
    /// KeyUpdate) never enter the transcript and are not recorded.
    mutating func add(type: HandshakeType, bytes: [UInt8], direction: Direction, side: Side) {
        guard !closed, type != .newSessionTicket, type != .keyUpdate else { return }
        var name = TraceStep.messageName(type, bytes)
        if type == .finished || type == .certificate || type == .certificateVerify {
            name += " (\(direction == .sent ? side : side.peer))"
        }
        messages.append((name, bytes))
    }

    /// RFC 8446 §4.4.1: ClientHello1 gives way to message_hash after a HelloRetryRequest.
    mutating func rewrite(messageHash: [UInt8]) {
        if let first = messages.firstIndex(where: { $0.name == "ClientHello" }) {
            messages[first] = ("message_hash", messageHash)
        } else {
            messages.insert(("message_hash", messageHash), at: 0)
        }
    }

    /// The handshake is over: later messages are post-handshake.
    mutating func close() { closed = true }

    /// "ClientHello, ServerHello" for the hash of those two messages; "the empty string" for
    /// Hash(""); nil when no prefix of the messages seen hashes to `hash`.
    func covered(by hash: [UInt8]) -> String? {
        let algorithms = [HashAlgorithm(SHA256.self), HashAlgorithm(SHA384.self)].filter { $0.length == hash.count }
        for algorithm in algorithms {
            var running = algorithm.makeRunningHash()
            if running.finalize() == hash { return "the empty string (no messages)" }
            for (index, message) in messages.enumerated() {
                running.update(message.bytes)
                if running.finalize() == hash {
                    return messages[...index].map(\.name).joined(separator: ", ")
                }
            }
        }
        return nil
    }
}
