import Foundation
import Testing
import TLS13
import TLSCrypto

extension EventLog {
    func handshakeTypes(_ direction: Direction) -> [HandshakeType] {
        events.compactMap { if case .handshakeMessage(direction, let type, _, _) = $0 { type } else { nil } }
    }
}

/// Issue 14 in memory: tickets, PSK resumption (psk_dhe_ke, psk_ke), binders, 0-RTT with its
/// anti-replay memory, and the fallbacks the RFC asks for.
@Suite("Resumption and 0-RTT in memory")
struct ResumptionTests {
    /// One server key and strike register shared by all connections of a test, as a server process has.
    final class Server: @unchecked Sendable {
        let keys: TicketKeys
        let register = StrikeRegister()
        var now: UInt64 = 1_800_000_000_000
        var earlyData: UInt32 = 0
        var modes: [PSKKeyExchangeMode] = [.pskDHEKE]
        init(seed: UInt64 = 9) throws { keys = try TicketKeys.random(DeterministicRandom(seed: seed)) }

        func configure(_ c: inout TLSConfiguration) {
            c.ticketKeys = keys
            c.strikeRegister = register
            c.maxEarlyDataSize = earlyData
            c.pskKeyExchangeModes = modes
            let now = self.now
            c.clock = { now }
        }
    }

    /// A full handshake with `server`; returns the client's sessions.
    static func firstConnection(_ server: Server) throws -> [ResumptionSession] {
        let now = server.now
        let pair = try ConnectionPair(client: { $0.clock = { now } }, server: server.configure)
        try pair.handshake()
        try pair.pump()
        #expect(!pair.client.isResumed)
        return pair.client.receivedSessions
    }

    static func resumed(_ server: Server, session: ResumptionSession, earlyData: [UInt8]? = nil,
                        client adjust: (inout TLSConfiguration) -> Void = { _ in }) throws -> ConnectionPair {
        let now = server.now
        return try ConnectionPair(client: {
            $0.resumptionSession = session
            $0.earlyData = earlyData
            $0.clock = { now }
            adjust(&$0)
        }, server: server.configure)
    }

    @Test("two tickets after a full handshake; the second connection resumes with psk_dhe_ke: no Certificate, a fresh key exchange")
    func resumes() throws {
        let server = try Server()
        let sessions = try Self.firstConnection(server)
        #expect(sessions.count == 2)
        #expect(sessions[0].psk != sessions[1].psk, "each ticket has its own nonce, so its own PSK")
        server.now += 5_000
        let pair = try Self.resumed(server, session: sessions[0])
        try pair.handshake()
        #expect(pair.client.isResumed && pair.server.isResumed)
        let sent = pair.serverLog.handshakeTypes(.sent)
        #expect(!sent.contains(.certificate) && !sent.contains(.certificateVerify))
        #expect(pair.serverLog.events.contains { if case .keyPair = $0 { true } else { false } }, "psk_dhe_ke: the server makes a key share")
        try pair.client.send(Array("after resumption".utf8))
        try pair.pump()
        #expect(pair.server.takeApplicationData() == Array("after resumption".utf8))
    }

    @Test("0-RTT accepted: the early data arrives before the handshake completes, EndOfEarlyData follows, and the replayed ClientHello gets no early data")
    func earlyDataAndReplay() throws {
        let server = try Server()
        server.earlyData = 1024
        let session = try Self.firstConnection(server)[0]
        #expect(session.maxEarlyDataSize == 1024)
        server.now += 2_000
        let early = Array("GET / 0-RTT\n".utf8)
        let pair = try Self.resumed(server, session: session, earlyData: early) { $0.clock = { server.now } }
        var firstFlight: [UInt8] = []
        pair.loopback.onFlight = { sender, bytes in
            if sender == .client && firstFlight.isEmpty { firstFlight = bytes }
            return bytes
        }
        try pair.handshake()
        #expect(pair.client.earlyDataAccepted == true)
        #expect(pair.server.takeApplicationData() == early)
        #expect(pair.clientLog.handshakeTypes(.sent).contains(.endOfEarlyData))

        // The same bytes again (an attacker replaying the recorded flight): the server must not
        // deliver the early data twice. It answers; the replay cannot finish the handshake.
        let replayTarget = try ConnectionPair(server: server.configure).server
        try? replayTarget.receive(firstFlight)
        #expect(replayTarget.takeApplicationData().isEmpty, "the replayed early data is not delivered")
    }

    @Test("0-RTT declined when the server allows none: the data is handed back for after the handshake, nothing lost")
    func earlyDataDeclined() throws {
        let server = try Server()
        server.earlyData = 1024
        let session = try Self.firstConnection(server)[0]
        server.earlyData = 0
        let early = Array("early".utf8)
        let pair = try Self.resumed(server, session: session, earlyData: early)
        try pair.handshake()
        #expect(pair.client.isResumed)
        #expect(pair.client.earlyDataAccepted == false)
        #expect(pair.client.rejectedEarlyData == early)
        #expect(pair.server.takeApplicationData().isEmpty)
    }

    @Test("a ticket sealed under another key, or expired, means a full handshake, not an alert")
    func fallbacks() throws {
        let server = try Server()
        let session = try Self.firstConnection(server)[0]
        let other = try Server(seed: 10)
        let pair = try Self.resumed(other, session: session)
        try pair.handshake()
        #expect(!pair.client.isResumed)
        #expect(pair.serverLog.handshakeTypes(.sent).contains(.certificate))

        server.now += 7200 * 1000 + 1
        let late = try Self.resumed(server, session: session) { _ in }
        try late.handshake()
        #expect(!late.client.isResumed)
    }

    @Test("a wrong binder ends the handshake with decrypt_error (RFC 8446 §4.2.11)")
    func badBinder() throws {
        let server = try Server()
        var session = try Self.firstConnection(server)[0]
        session.psk[0] ^= 1
        let pair = try Self.resumed(server, session: session)
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(pair.serverLog.sentAlerts == [.decryptError])
    }

    @Test("a server that allows only psk_ke does not resume our client, which offers only psk_dhe_ke (RFC 8446 §4.2.9)")
    func pskKE() throws {
        let server = try Server()
        let session = try Self.firstConnection(server)[0]
        server.modes = [.pskKE]
        let pair = try Self.resumed(server, session: session)
        // Our client offers psk_dhe_ke only: a psk_ke-only server cannot resume it.
        try pair.handshake()
        #expect(!pair.client.isResumed)
    }

    @Test("the session file round-trips, and a damaged one is refused with the reason")
    func sessionFile() throws {
        let server = try Server()
        let session = try Self.firstConnection(server)[0]
        #expect(try ResumptionSession(fileText: session.fileText) == session)
        #expect(throws: SessionFileError.self) { try ResumptionSession(fileText: "cipher_suite: 1301\npsk: zz\n") }
        #expect(throws: SessionFileError.self) { try ResumptionSession(fileText: String(session.fileText.prefix(60))) }
    }
}

/// Issue 14's hostile cases: each gets the alert RFC 8446 names.
@Suite("Resumption: hostile ClientHellos and early data")
struct HostileResumptionTests {
    /// A resuming client's first flight, decoded: the ClientHello and what follows it.
    static func resumingClientHello(_ server: ResumptionTests.Server, earlyData: [UInt8]? = nil,
                                    adjust: (inout ResumptionSession) -> Void = { _ in }) throws -> (hello: ClientHello, rest: [UInt8]) {
        var session = try ResumptionTests.firstConnection(server)[0]
        adjust(&session)
        let pair = try ResumptionTests.resumed(server, session: session, earlyData: earlyData)
        try pair.client.start()
        let flight = pair.client.takeOutgoing()
        let records = splitRecords(flight)
        var reader = ByteReader(Array(records[0].dropFirst(5 + 4)))
        return (try ClientHello(decoding: &reader), Array(records.dropFirst().joined()))
    }

    /// A fresh server of `server`'s process given `hello` (re-encoded) and `rest`; the alert it sent.
    static func alert(_ server: ResumptionTests.Server, _ hello: ClientHello, rest: [UInt8] = []) throws -> AlertDescription? {
        let log = EventLog()
        let pair = try ConnectionPair(server: { server.configure(&$0); $0.observer = log.observer })
        try pair.server.start()
        _ = try? pair.server.receive(try plaintextRecord(.clientHello(hello)) + rest)
        return log.sentAlerts.first
    }

    @Test("pre_shared_key not the last extension → illegal_parameter (§4.2.11)")
    func pskNotLast() throws {
        let server = try ResumptionTests.Server()
        var (hello, _) = try Self.resumingClientHello(server)
        let psk = hello.extensions.removeLast()
        hello.extensions.insert(psk, at: 0)
        #expect(try Self.alert(server, hello) == .illegalParameter)
    }

    @Test("more binders than identities → illegal_parameter (§4.2.11.2)")
    func binderCountMismatch() throws {
        let server = try ResumptionTests.Server()
        var (hello, _) = try Self.resumingClientHello(server)
        var offered = try #require(try hello.extensions.decode(.preSharedKey, as: PreSharedKeyClientHello.self))
        offered.binders.append(offered.binders[0])
        hello.extensions[hello.extensions.count - 1] = try Extension(.preSharedKey, offered)
        #expect(try Self.alert(server, hello) == .illegalParameter)
    }

    @Test("truncated identities → decode_error")
    func truncatedIdentities() throws {
        let server = try ResumptionTests.Server()
        var (hello, _) = try Self.resumingClientHello(server)
        let data = hello.extensions[hello.extensions.count - 1].data
        hello.extensions[hello.extensions.count - 1] = Extension(type: .preSharedKey, data: Array(data.prefix(9)))
        #expect(try Self.alert(server, hello) == .decodeError)
    }

    @Test("pre_shared_key without psk_key_exchange_modes → missing_extension (§4.2.9)")
    func pskWithoutModes() throws {
        let server = try ResumptionTests.Server()
        var (hello, _) = try Self.resumingClientHello(server)
        hello.extensions.removeAll { $0.type == .pskKeyExchangeModes }
        #expect(try Self.alert(server, hello) == .missingExtension)
    }

    @Test("a binder over another ClientHello (one byte of the random changed) → decrypt_error")
    func binderOverAnotherHello() throws {
        let server = try ResumptionTests.Server()
        var (hello, _) = try Self.resumingClientHello(server)
        hello.random[0] ^= 1
        #expect(try Self.alert(server, hello) == .decryptError)
    }

    @Test("more early data than max_early_data_size → unexpected_message (§4.2.10)")
    func earlyDataBeyondLimit() throws {
        let server = try ResumptionTests.Server()
        server.earlyData = 16
        // The client believes the ticket allows 1000 bytes; the ticket itself says 16.
        let (hello, rest) = try Self.resumingClientHello(server, earlyData: [UInt8](repeating: 0x41, count: 100)) {
            $0.maxEarlyDataSize = 1000
        }
        #expect(try Self.alert(server, hello, rest: rest) == .unexpectedMessage)
    }

    @Test("EndOfEarlyData where none is due → unexpected_message")
    func endOfEarlyDataOutOfPlace() throws {
        let log = EventLog()
        let pair = try ConnectionPair(server: { $0.observer = log.observer })
        try pair.server.start()
        _ = try? pair.server.receive(try plaintextRecord(.endOfEarlyData))
        #expect(log.sentAlerts == [.unexpectedMessage])
    }
}
