import Foundation
import Loopback
import Testing
import TLS13
import TLSCrypto
@testable import QUIC

/// The connection (RFC 9000/9001/9002) between our client and our server endpoint over a
/// simulated network: handshake, echo, loss, Retry, key update, amplification.
@Suite("QUIC connection, in memory")
struct QUICConnectionTests {
    static func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }

    @Test("handshake and a 100 KB echo on one stream, FIN included; both sides confirm the handshake and drop Initial and Handshake keys")
    func echo() throws {
        let (net, events) = try QUICLoopback.withTeachingPKI()
        let data = Self.pattern(100_000)
        let (id, echo) = net.echoRoundTrip(data)
        #expect(id == 0)
        #expect(echo.count == data.count && echo.elementsEqual(data))
        #expect(net.client.handshakeConfirmed)
        #expect(net.client.tls.negotiatedApplicationProtocol == "quic-echo-example")
        let discarded = events.client.compactMap { if case .keysDiscarded(let l) = $0 { l } else { nil } }
        #expect(discarded == [.initial, .handshake])
    }
}

extension QUICConnectionTests {
    @Test("with a fifth of the datagrams lost both ways, the handshake completes and the echo is byte-exact: lost packets are declared lost and their data sent again",
          arguments: [UInt64(1), 2, 3, 4, 5])
    func lossy(seed: UInt64) throws {
        let (net, events) = try QUICLoopback.withTeachingPKI()
        let dice = DeterministicRandom(seed: seed)
        net.drop = { _, _, _ in ((try? dice.bytes(1)[0]) ?? 0) % 5 == 0 }
        let data = Self.pattern(60_000)
        let (_, echo) = net.echoRoundTrip(data, limit: 120)
        #expect(echo.count == data.count && echo.elementsEqual(data))
        let lost = events.client.filter { if case .packetLost = $0 { true } else if case .probeTimeout = $0 { true } else { false } }
        #expect(!lost.isEmpty, "the client recovered something")
    }

    @Test("every client datagram carrying an Initial is 1200 bytes or more; so is every server datagram with an ack-eliciting Initial (RFC 9000 §14.1)")
    func initialPadding() throws {
        let (net, _) = try QUICLoopback.withTeachingPKI()
        var sizes: [(Bool, Int, Bool)] = []
        net.drop = { fromClient, _, d in
            let isInitial = d[0] & 0xf0 == 0xc0
            sizes.append((fromClient, d.count, isInitial))
            return false
        }
        _ = net.echoRoundTrip(Array("hello".utf8))
        for (fromClient, size, isInitial) in sizes where isInitial && fromClient { #expect(size >= 1200) }
        #expect(sizes.contains { !$0.0 && $0.2 && $0.1 >= 1200 })
    }

    @Test("Retry: the server answers the first Initial with a Retry (valid tag, token); the client starts again towards the new ID; §7.3's three connection-ID checks pass")
    func retry() throws {
        let (net, events) = try QUICLoopback.withTeachingPKI(retry: true)
        let (_, echo) = net.echoRoundTrip(Array("through a Retry".utf8))
        #expect(echo == Array("through a Retry".utf8))
        let retries = events.client.compactMap { if case .retry(.received, _, _, _, let valid) = $0 { valid } else { nil } }
        #expect(retries == [true])
        let checks = events.client.compactMap { if case .check(let what, let passed, _) = $0 { (what, passed) } else { nil } }
        #expect(checks.count == 3 && checks.allSatisfy(\.1))
        #expect(checks.contains { $0.0.hasPrefix("retry_source_connection_id is") })
        let initialSecrets = events.client.filter { if case .initialSecrets = $0 { true } else { false } }
        #expect(initialSecrets.count == 2, "Initial keys again from the Retry's connection ID")
    }

    @Test("a Retry with a forged integrity tag is discarded: the client keeps its connection ID and the handshake goes on")
    func forgedRetry() throws {
        let (net, events) = try QUICLoopback.withTeachingPKI()
        _ = net.client.takeDatagrams(now: 0)
        var retry = try PacketBuilder.retry(destinationConnectionID: net.client.sourceConnectionID, sourceConnectionID: [1, 2, 3, 4, 5, 6, 7, 8],
                                            token: [9, 9, 9], originalDestinationConnectionID: net.client.originalDestinationConnectionID)
        retry[retry.count - 1] ^= 1
        net.client.receive(datagram: retry, now: 0.001)
        let retries = events.client.compactMap { if case .retry(.received, _, _, _, let valid) = $0 { valid } else { nil } }
        #expect(retries == [false])
        #expect(net.client.destinationConnectionID == net.client.originalDestinationConnectionID)
        let (_, echo) = net.echoRoundTrip(Array("still fine".utf8))
        #expect(echo == Array("still fine".utf8))
    }

    @Test("key update (RFC 9001 §6): the client moves to generation 1, the server follows, data keeps flowing both ways")
    func keyUpdate() throws {
        var client = try QUICTestPKI.client()
        client.tls.cipherSuites = [.aes256GCMSHA384]
        let (net, events) = try QUICLoopback.withTeachingPKI(client: client)
        _ = net.echoRoundTrip(Array("before".utf8))
        #expect(net.client.requestKeyUpdate())
        #expect(!net.client.requestKeyUpdate(), "one update at a time")
        let id = try #require(net.client.openStream())
        net.client.send(stream: id, data: Array("after".utf8), fin: true)
        net.run { net.finished.contains(id) }
        #expect(net.received[id] == Array("after".utf8))
        let clientUpdates = events.client.compactMap { if case .keyUpdate(let g, let local, _) = $0 { (g, local) } else { nil } }
        #expect(clientUpdates.count == 1 && clientUpdates[0].0 == 1 && clientUpdates[0].1)
        let serverUpdates = events.server.compactMap { if case .keyUpdate(let g, let local, _) = $0.1 { (g, local) } else { nil } }
        #expect(serverUpdates.count == 1 && serverUpdates[0].0 == 1 && !serverUpdates[0].1)
    }

    @Test("amplification (RFC 9000 §8.1): with every client datagram after the first lost, the server never sends more than three times the 1200 bytes it received")
    func amplification() throws {
        let (net, _) = try QUICLoopback.withTeachingPKI()
        var serverBytes = 0
        net.drop = { fromClient, index, d in
            if !fromClient { serverBytes += d.count; return true }
            return index > 1
        }
        net.run(limit: 20) { false }
        #expect(serverBytes > 0)
        #expect(serverBytes <= 3 * 1200)
    }
}
