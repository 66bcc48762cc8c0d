import Testing
import TLS13

@Suite("RFC 7301 ALPN")
struct ApplicationProtocolTests {
    @Test("§3.2: the server selects its first protocol the client offers, never one it does not speak")
    func serverPreferenceWins() throws {
        let pair = try ConnectionPair(client: { $0.applicationProtocols = ["h2", "http/1.1"] },
                                      server: { $0.applicationProtocols = ["http/1.1"] })
        try pair.handshake()
        #expect(pair.client.negotiatedApplicationProtocol == "http/1.1")
        #expect(pair.server.negotiatedApplicationProtocol == "http/1.1")
    }

    @Test("§3.2: no protocol in common is a fatal no_application_protocol, sent by the server")
    func noOverlap() throws {
        let pair = try ConnectionPair(client: { $0.applicationProtocols = ["h2"] },
                                      server: { $0.applicationProtocols = ["http/1.1"] })
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(pair.serverLog.sentAlerts == [.noApplicationProtocol])
        #expect(pair.client.negotiatedApplicationProtocol == nil)
    }

    @Test("A server without a list, or a client without an offer: no ALPN at all, the handshake completes")
    func absentOnEitherSide() throws {
        let ignoring = try ConnectionPair(client: { $0.applicationProtocols = ["h2"] })
        try ignoring.handshake()
        #expect(ignoring.client.isHandshakeComplete && ignoring.client.negotiatedApplicationProtocol == nil)
        let silent = try ConnectionPair(server: { $0.applicationProtocols = ["http/1.1"] })
        try silent.handshake()
        #expect(silent.client.isHandshakeComplete && silent.server.negotiatedApplicationProtocol == nil)
    }

    @Test("RFC 8701 §3.1: a GREASE protocol name among the offers is just one the server does not speak")
    func greaseNameIgnored() throws {
        let pair = try ConnectionPair(client: { $0.applicationProtocols = ["\u{0a}\u{0a}", "h2", "http/1.1"] },
                                      server: { $0.applicationProtocols = ["http/1.1"] })
        try pair.handshake()
        #expect(pair.server.negotiatedApplicationProtocol == "http/1.1")
        #expect(ProtocolNameList.describe([0x0a, 0x0a]) == "GREASE (0x0a0a)")
        #expect(ProtocolNameList.describe(Array("http/1.1".utf8)) == "\"http/1.1\"")
    }

    @Test("§3.1: the server's answer names exactly one protocol, one the client offered (illegal_parameter)")
    func clientChecksTheAnswer() throws {
        for answer in [["h2"], ["http/1.1", "h2"]] {
            let pair = try ConnectionPair(client: { $0.applicationProtocols = ["http/1.1"] }, server: {
                $0.encryptedExtensions = [try Extension(.applicationLayerProtocolNegotiation, ProtocolNameList(answer))]
            })
            #expect(throws: TLSError.self) { try pair.handshake() }
            #expect(pair.clientLog.sentAlerts == [.illegalParameter])
        }
    }

    @Test("§3.1: ProtocolName<1..2^8-1> and protocol_name_list<2..2^16-1>: empty ones are decode_error")
    func emptyNamesRefused() {
        for data: [UInt8] in [[0, 0], [0, 1, 0], [0, 3, 1, 0x68, 0]] {
            var r = ByteReader(data)
            #expect(throws: TLSError.self) { _ = try ProtocolNameList(decoding: &r) }
        }
    }
}
