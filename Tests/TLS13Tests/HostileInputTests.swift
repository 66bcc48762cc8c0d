import Testing
import TLS13
import TLSCrypto

/// Peer bytes must never trap: every corruption of a real handshake ends in a TLSError (with a
/// fatal alert queued) or, where the corrupted byte does not matter, in a completed handshake.
@Suite("Hostile input: corrupted and truncated handshakes")
struct HostileInputTests {
    /// What a deterministic client and server say to each other in a full handshake.
    static func recordedHandshake() throws -> (clientHello: [UInt8], serverFlight: [UInt8]) {
        let pair = try ConnectionPair()
        try pair.client.start()
        try pair.server.start()
        let clientHello = pair.client.takeOutgoing()
        try pair.server.receive(clientHello)
        return (clientHello, pair.server.takeOutgoing())
    }

    enum Outcome: Equatable { case completed, failed(AlertDescription), waiting }

    /// Feeds `bytes` to a fresh client (same randomness as the recording) that has sent its ClientHello.
    func clientOutcome(_ bytes: [UInt8]) throws -> Outcome {
        let pair = try ConnectionPair()
        try pair.client.start()
        _ = pair.client.takeOutgoing()
        do {
            try pair.client.receive(bytes)
        } catch let error as TLSError {
            #expect(error.origin == .peer || !pair.client.takeOutgoing().isEmpty, "a local failure queues its alert")
            return .failed(error.alert)
        }
        return pair.client.isHandshakeComplete ? .completed : .waiting
    }

    func serverOutcome(_ bytes: [UInt8]) throws -> Outcome {
        let pair = try ConnectionPair()
        try pair.server.start()
        do {
            try pair.server.receive(bytes)
        } catch let error as TLSError {
            return .failed(error.alert)
        }
        return pair.server.takeOutgoing().isEmpty ? .waiting : .completed
    }

    @Test("the recording replays: the same server flight completes a fresh client's handshake")
    func replay() throws {
        let (_, flight) = try Self.recordedHandshake()
        #expect(try clientOutcome(flight) == .completed)
    }

    @Test("every bit flip in the server's flight (sampled) is refused without a trap")
    func corruptedServerFlight() throws {
        let (_, flight) = try Self.recordedHandshake()
        var refused = 0
        for index in stride(from: 0, to: flight.count, by: 5) {
            var corrupted = flight
            corrupted[index] ^= 0x10
            let outcome = try clientOutcome(corrupted)
            if case .failed = outcome { refused += 1 }
        }
        // Nearly every byte is covered by a MAC, a signature or a transcript hash; the few that
        // are not (say, the CCS record's version) may leave the handshake intact or waiting.
        #expect(refused > flight.count / 5 * 9 / 10)
    }

    @Test("every truncation of the server's flight leaves the client waiting, never broken")
    func truncatedServerFlight() throws {
        let (_, flight) = try Self.recordedHandshake()
        for length in stride(from: 0, to: flight.count, by: 11) {
            #expect(try clientOutcome(Array(flight.prefix(length))) == .waiting)
        }
    }

    @Test("every bit flip in the ClientHello (sampled) is refused or answered, without a trap")
    func corruptedClientHello() throws {
        let (clientHello, _) = try Self.recordedHandshake()
        var outcomes: [Outcome] = []
        for index in stride(from: 0, to: clientHello.count, by: 3) {
            var corrupted = clientHello
            corrupted[index] ^= 0x04
            outcomes.append(try serverOutcome(corrupted))
        }
        // Random, session ID and key share bytes are opaque to the server: flipping them still
        // gets an answer. Lengths, types and code points are checked.
        #expect(outcomes.contains(.completed))
        #expect(outcomes.contains { if case .failed = $0 { true } else { false } })
    }

    @Test("random garbage is refused by both sides without a trap")
    func garbage() throws {
        let random = DeterministicRandom(seed: 99)
        for length in [1, 5, 6, 50, 300, 5000] {
            let bytes = try random.bytes(length)
            for start in [bytes, [22, 3, 3] + bytes, [22, 3, 1, 0, 200] + bytes] {
                #expect(try clientOutcome(start) != .completed)
                #expect(try serverOutcome(start) != .completed)
            }
        }
    }
}
