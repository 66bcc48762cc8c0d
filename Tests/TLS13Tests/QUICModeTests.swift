import Foundation
import Testing
import TLS13
import TLSCrypto

/// RFC 9001: the TLS engine behind QUIC's interface. Handshake bytes move per encryption level
/// with no records; both sides derive the same secrets per level; transport parameters and ALPN
/// are required; no ChangeCipherSpec, no compatibility mode.
@Suite("TLS inside QUIC (RFC 9001), in memory")
struct QUICModeTests {
    static let clientParameters: [UInt8] = [0x04, 0x04, 0x80, 0x10, 0x00, 0x00]   // initial_max_data
    static let serverParameters: [UInt8] = [0x01, 0x02, 0x75, 0x30]               // max_idle_timeout 30000

    static func pair(clientALPN: [String] = ["quic-echo-example"], serverALPN: [String] = ["quic-echo-example"],
                     clientParameters: [UInt8]? = clientParameters) throws -> ConnectionPair {
        try ConnectionPair(client: {
            $0.quicTransportParameters = clientParameters
            $0.applicationProtocols = clientALPN
        }, server: {
            $0.quicTransportParameters = serverParameters
            $0.applicationProtocols = serverALPN
        })
    }

    /// Moves CRYPTO data between the two until both are quiet; the levels each side sent at.
    static func run(_ pair: ConnectionPair) throws -> (client: [TrafficEpoch?], server: [TrafficEpoch?]) {
        var levels: (client: [TrafficEpoch?], server: [TrafficEpoch?]) = ([], [])
        try pair.client.start()
        try pair.server.start()
        try pair.loopback.pumpQUICHandshake { sender, level, _ in
            if sender == .client { levels.client.append(level) } else { levels.server.append(level) }
        }
        return levels
    }

    /// The traffic secrets a side derived, by "direction epoch".
    static func secrets(_ log: EventLog) -> [String: [UInt8]] {
        var found: [String: [UInt8]] = [:]
        for case .trafficKeys(let direction, let epoch, _, let secret, _, _, _, _) in log.events {
            let name = switch epoch { case .handshake: "handshake data"; case .application(0): "application data"; default: "other" }
            found["\(direction.rawValue) \(name)"] = secret
        }
        return found
    }

    @Test("the handshake completes with no records: ClientHello/ServerHello at Initial, the rest at Handshake, tickets at 1-RTT; both sides hold the same secrets")
    func handshake() throws {
        let pair = try Self.pair()
        let levels = try Self.run(pair)
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        #expect(levels.client == [nil, .handshake], "Initial (no key yet), then Handshake")
        #expect(Array(levels.server.prefix(2)) == [nil, .handshake])
        #expect(pair.client.takeOutgoing().isEmpty && pair.server.takeOutgoing().isEmpty, "no TLS record was written")
        #expect(pair.client.peerQUICTransportParameters == Self.serverParameters)
        #expect(pair.server.peerQUICTransportParameters == Self.clientParameters)
        #expect(pair.client.negotiatedApplicationProtocol == "quic-echo-example")
        let client = Self.secrets(pair.clientLog), server = Self.secrets(pair.serverLog)
        #expect(client["write handshake data"] == server["read handshake data"] && client["write handshake data"] != nil)
        #expect(client["read handshake data"] == server["write handshake data"])
        #expect(client["write application data"] == server["read application data"] && client["write application data"] != nil)
        #expect(client["read application data"] == server["write application data"])
        let noCCS = pair.clientLog.events.allSatisfy { if case .changeCipherSpecIgnored = $0 { false } else { true } }
        #expect(noCCS)
        for case .handshakeMessage(.sent, .clientHello, let bytes, _) in pair.clientLog.events {
            #expect(bytes[38] == 0, "an empty legacy_session_id (RFC 9001 §8.4)")
        }
    }

    @Test("a ClientHello without quic_transport_parameters → missing_extension (RFC 9001 §8.2)")
    func missingParameters() throws {
        var client = TLSConfiguration()
        client.applicationProtocols = ["quic-echo-example"]
        client.middleboxCompatibility = false
        let plain = TLSConnection(side: .client, configuration: client)
        try plain.start()
        let hello = Array(plain.takeOutgoing().dropFirst(5))
        let pair = try Self.pair()
        try pair.server.start()
        #expect(throws: TLSError.self) { try pair.server.receiveQUICHandshake(hello) }
        #expect(pair.server.takeQUICHandshakeData().isEmpty)
        #expect(pair.serverLog.sentAlerts == [.missingExtension])
    }

    @Test("no application protocol in common → no_application_protocol (RFC 9001 §8.1)")
    func noALPN() throws {
        let pair = try Self.pair(clientALPN: ["h3"])
        #expect(throws: TLSError.self) { _ = try Self.run(pair) }
        #expect(pair.serverLog.sentAlerts == [.noApplicationProtocol])
    }
}
