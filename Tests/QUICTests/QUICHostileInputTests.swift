import Foundation
import Loopback
import Testing
import TLS13
import TLSCrypto
@testable import QUIC

/// Issue 18, "Hostile input": datagrams an attacker or a broken peer sends to a server. Each is
/// dropped, or closes its connection with the transport error RFC 9000 names; the endpoint
/// keeps serving and keeps nothing for what it dropped.
@Suite("QUIC hostile datagrams")
struct QUICHostileInputTests {
    static let dcid: [UInt8] = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08]
    static let scid: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
    static let address: [UInt8] = [127, 0, 0, 1, 0x30, 0x39]

    /// A client Initial of 1200 bytes carrying `frames` (then PADDING), protected with the
    /// Initial keys of `dcid`, as any client (or attacker) can make.
    static func initial(_ frames: [UInt8], dcid: [UInt8] = dcid, token: [UInt8] = []) throws -> [UInt8] {
        let secrets = try InitialSecrets(destinationConnectionID: dcid)
        let overhead = 1 + 4 + 1 + dcid.count + 1 + scid.count + VariableLengthInteger.length(of: UInt64(token.count)) + token.count + 2 + 2 + 16
        let payload = frames + [UInt8](repeating: 0, count: max(0, 1200 - overhead - frames.count))
        let built = PacketBuilder.longHeader(type: .initial, destinationConnectionID: dcid, sourceConnectionID: scid, token: token,
                                             packetNumber: 0, packetNumberLength: 2, payloadLength: payload.count)
        return try PacketProtection.protect(header: built.header, packetNumberOffset: built.packetNumberOffset, packetNumber: 0,
                                            payload: payload, keys: secrets.clientKeys).packet
    }

    /// The frames of the server's Initial packets in its replies, opened with the server's
    /// Initial keys for `dcid`.
    static func serverInitialFrames(_ replies: [[UInt8]], dcid: [UInt8] = dcid) throws -> [Frame] {
        let keys = try InitialSecrets(destinationConnectionID: dcid).serverKeys
        var frames: [Frame] = []
        for datagram in replies {
            let header = try PacketHeader.parse(datagram, at: 0, shortHeaderConnectionIDLength: 8)
            guard header.type == .initial else { continue }
            let unmasked = try PacketProtection.removeHeaderProtection(packet: header.bytes, packetNumberOffset: header.packetNumberOffset,
                                                                       headerProtection: keys.headerProtection)
            let opened = try PacketProtection.decryptPayload(packet: header.bytes, unmasked: unmasked,
                                                             packetNumber: unmasked.truncatedPacketNumber, keys: keys)
            frames += try Frame.parseAll(opened.payload)
        }
        return frames
    }

    static func closeCode(_ frames: [Frame]) -> UInt64? {
        for case .connectionClose(let code, _, _) in frames { return code }
        return nil
    }

    func endpoint(retry: Bool = false) throws -> QUICServerEndpoint {
        try QUICServerEndpoint(configuration: QUICTestPKI.server(), requireRetry: retry, clock: { 1_000 })
    }

    @Test("every truncation of a client's first datagram, and datagrams of garbage up to 64 KiB: dropped, nothing kept, nothing sent")
    func truncatedAndGarbage() throws {
        let server = try endpoint()
        let client = try QUICConnection(client: QUICTestPKI.client(), now: 0)
        let first = try #require(client.takeDatagrams(now: 0).first)
        for length in stride(from: 0, to: first.count, by: 7) {
            server.receive(datagram: Array(first.prefix(length)), from: Self.address, now: 0)
        }
        let dice = DeterministicRandom(seed: 7)
        for size in [1, 2, 5, 20, 1199, 1200, 1500, 65_535] {
            let garbage = try dice.bytes(size)
            server.receive(datagram: garbage, from: Self.address, now: 0)
        }
        #expect(server.connectionCount == 0)
        #expect(server.takeDatagrams(now: 0).isEmpty)
    }

    @Test("short-header and Handshake packets for connections we do not have are dropped without an answer (RFC 9000 §5.2)")
    func unknownConnections() throws {
        let server = try endpoint()
        var shortHeader: [UInt8] = [0x40] + [9, 9, 9, 9, 9, 9, 9, 9] + [UInt8](repeating: 0x55, count: 40)
        server.receive(datagram: shortHeader, from: Self.address, now: 0)
        shortHeader[0] = 0x00   // fixed bit 0
        server.receive(datagram: shortHeader, from: Self.address, now: 0)
        let handshake = PacketBuilder.longHeader(type: .handshake, destinationConnectionID: Self.dcid, sourceConnectionID: Self.scid,
                                                 packetNumber: 0, packetNumberLength: 1, payloadLength: 30).header + [UInt8](repeating: 1, count: 46)
        server.receive(datagram: handshake, from: Self.address, now: 0)
        #expect(server.connectionCount == 0)
        #expect(server.takeDatagrams(now: 0).isEmpty)
    }

    @Test("a long header of an unknown version in 1200 bytes gets Version Negotiation listing version 1 (RFC 9000 §6.1); under 1200 bytes, nothing")
    func versionNegotiation() throws {
        let server = try endpoint()
        var packet = try Self.initial([0x01])
        packet[1...4] = [0x1a, 0x2a, 0x3a, 0x4a]
        server.receive(datagram: Array(packet.prefix(1000)), from: Self.address, now: 0)
        #expect(server.takeDatagrams(now: 0).isEmpty)
        server.receive(datagram: packet, from: Self.address, now: 0)
        let reply = try #require(server.takeDatagrams(now: 0).first)
        let header = try PacketHeader.parse(reply.datagram, at: 0, shortHeaderConnectionIDLength: 8)
        #expect(header.type == .versionNegotiation)
        #expect(header.supportedVersions == [QUICVersion.v1])
        #expect(header.destinationConnectionID == Self.scid && header.sourceConnectionID == Self.dcid)
        #expect(server.connectionCount == 0)
    }

    @Test("frames a client Initial may not carry, and malformed frames, close the connection with the RFC's error",
          arguments: [
            // STREAM in an Initial: §12.4 PROTOCOL_VIOLATION.
            ([0x0a, 0x00, 0x01, 0x41], TransportErrorCode.protocolViolation),
            // HANDSHAKE_DONE from a client, in an Initial: PROTOCOL_VIOLATION.
            ([0x1e], .protocolViolation),
            // A CRYPTO frame whose varint offset is cut short by the end of the payload is
            // followed by padding zeros here, so use a length beyond the packet: FRAME_ENCODING_ERROR.
            ([0x06, 0x00, 0x7f, 0xff], .frameEncodingError),
            // An unknown frame type: FRAME_ENCODING_ERROR (§12.4).
            ([0x21], .frameEncodingError),
            // ACK of a packet never sent: PROTOCOL_VIOLATION (§13.1).
            ([0x02, 0x05, 0x00, 0x00, 0x00], .protocolViolation),
          ])
    func badFrames(frames: [UInt8], expected: TransportErrorCode) throws {
        let server = try endpoint()
        server.receive(datagram: try Self.initial(frames), from: Self.address, now: 0)
        let replies = server.takeDatagrams(now: 0).map(\.datagram)
        #expect(Self.closeCode(try Self.serverInitialFrames(replies)) == expected.rawValue)
        // The endpoint forgets the connection after its closing period and keeps serving.
        server.handleTimeouts(now: 60)
        _ = server.takeDatagrams(now: 60)
        #expect(server.connectionCount == 0)
        let (net, _) = try QUICLoopback.withTeachingPKI()
        let (_, echo) = net.echoRoundTrip(Array("still serving".utf8))
        #expect(echo == Array("still serving".utf8))
    }

    @Test("a token that is not ours, or from another address, closes with INVALID_TOKEN (RFC 9000 §8.1.3); an empty one gets a Retry")
    func badTokens() throws {
        let server = try endpoint(retry: true)
        server.receive(datagram: try Self.initial([0x01], token: [1, 2, 3]), from: Self.address, now: 0)
        #expect(Self.closeCode(try Self.serverInitialFrames(server.takeDatagrams(now: 0).map(\.datagram))) == TransportErrorCode.invalidToken.rawValue)
        server.receive(datagram: try Self.initial([0x01]), from: Self.address, now: 0)
        let retry = try #require(server.takeDatagrams(now: 0).first?.datagram)
        let header = try PacketHeader.parse(retry, at: 0, shortHeaderConnectionIDLength: 8)
        #expect(header.type == .retry)
        #expect(RetryIntegrity.isValid(retry: retry, originalDestinationConnectionID: Self.dcid))
        // The same token from another address is refused.
        let fromElsewhere: [UInt8] = [127, 0, 0, 2, 0x30, 0x39]
        server.receive(datagram: try Self.initial([0x01], dcid: header.sourceConnectionID, token: header.token), from: fromElsewhere, now: 0)
        let replies = server.takeDatagrams(now: 0).map(\.datagram)
        #expect(Self.closeCode(try Self.serverInitialFrames(replies, dcid: header.sourceConnectionID)) == TransportErrorCode.invalidToken.rawValue)
        #expect(server.connectionCount == 0)
    }

    @Test("flow control: a client sending past the stream's limit gets FLOW_CONTROL_ERROR (RFC 9000 §4.1)")
    func flowControl() throws {
        var client = try QUICTestPKI.client()
        // The client pretends the server allows far more than it does.
        client.transportParameters.initialMaxData = 1 << 30
        var serverConfiguration = try QUICTestPKI.server()
        serverConfiguration.transportParameters.initialMaxStreamDataBidiRemote = 1000
        let (net, _) = try QUICLoopback.withTeachingPKI(client: client, server: serverConfiguration)
        #expect(net.run { net.client.isEstablished })
        let id = try #require(net.client.openStream())
        // Our client honours the server's limit, so break the rule below the API: raise it.
        net.client.streams[id]?.sendLimit = 1 << 20
        net.client.send(stream: id, data: [UInt8](repeating: 7, count: 5000), fin: true)
        net.run(limit: 10) { net.client.isDraining || net.client.isClosed }
        #expect(net.client.closeError?.code == .flowControlError)
        #expect(net.client.closeError?.fromPeer == true)
    }
}

extension QUICHostileInputTests {
    @Test("TLS messages at the wrong encryption level are PROTOCOL_VIOLATION, a KeyUpdate is CRYPTO_ERROR 0x10a (RFC 9001 §4.1.3, §6)",
          arguments: [
            ([0x06, 0x00, 0x08, 20, 0, 0, 4, 1, 2, 3, 4], TransportErrorCode.protocolViolation),   // Finished in an Initial
            ([0x06, 0x00, 0x08, 24, 0, 0, 4, 1, 2, 3, 4], TransportErrorCode.crypto(.unexpectedMessage)),  // KeyUpdate
            ([0x06, 0x00, 0x04, 2, 0, 0, 0], TransportErrorCode.protocolViolation),               // a ServerHello sent to a server
          ])
    func cryptoAtTheWrongLevel(frames: [UInt8], expected: TransportErrorCode) throws {
        let server = try endpoint()
        server.receive(datagram: try Self.initial(frames), from: Self.address, now: 0)
        let replies = server.takeDatagrams(now: 0).map(\.datagram)
        #expect(Self.closeCode(try Self.serverInitialFrames(replies)) == expected.rawValue)
    }

    @Test("the level check follows message boundaries across CRYPTO frames split anywhere")
    func levelCheckAcrossSplits() throws {
        // A ClientHello-shaped header with 5 body bytes, then another ClientHello header.
        let stream: [UInt8] = [1, 0, 0, 5, 9, 9, 9, 9, 9, 1, 0, 0, 0]
        for cut in 0...stream.count {
            var check = CryptoLevelCheck()
            try check.check(Array(stream[..<cut]), level: .initial, receiver: .server)
            try check.check(Array(stream[cut...]), level: .initial, receiver: .server)
        }
        var check = CryptoLevelCheck()
        try check.check([1, 0, 0, 2, 7], level: .initial, receiver: .server)
        #expect(throws: QUICError.self) { try check.check([7, 20, 0, 0, 0], level: .initial, receiver: .server) }
    }
}
