import Testing
import QUIC
import TLS13

/// RFC 9000 §19: every frame type of QUIC v1 round-trips, the RFC's examples decode as the RFC
/// says, and malformed frames are FRAME_ENCODING_ERROR (§12.4), never a crash.
@Suite("QUIC frames (RFC 9000 §19)")
struct FrameTests {
    static let samples: [Frame] = [
        .padding(count: 3), .ping,
        .ack(Frame.Ack(ranges: [10...12, 5...7, 0...1], ackDelay: 25)),
        .ack(Frame.Ack(ranges: [3...3], ackDelay: 0, ecn: (1, 2, 3))),
        .resetStream(streamID: 4, errorCode: 7, finalSize: 1000),
        .stopSending(streamID: 8, errorCode: 1),
        .crypto(offset: 0, data: [1, 2, 3]),
        .crypto(offset: 1 << 20, data: Array(repeating: 9, count: 300)),
        .newToken(token: [0xaa, 0xbb]),
        .stream(streamID: 0, offset: 0, data: Array("hello".utf8), fin: false),
        .stream(streamID: 4, offset: 77, data: Array("world".utf8), fin: true),
        .stream(streamID: 8, offset: 0, data: [], fin: true),
        .maxData(1 << 30), .maxStreamData(streamID: 4, maximum: 65536),
        .maxStreams(bidirectional: true, maximum: 100), .maxStreams(bidirectional: false, maximum: 3),
        .dataBlocked(5), .streamDataBlocked(streamID: 4, limit: 6),
        .streamsBlocked(bidirectional: true, limit: 7), .streamsBlocked(bidirectional: false, limit: 8),
        .newConnectionID(sequenceNumber: 1, retirePriorTo: 0, connectionID: [1, 2, 3, 4, 5, 6, 7, 8],
                         statelessResetToken: Array(repeating: 0x5a, count: 16)),
        .retireConnectionID(sequenceNumber: 1),
        .pathChallenge([1, 2, 3, 4, 5, 6, 7, 8]), .pathResponse([8, 7, 6, 5, 4, 3, 2, 1]),
        .connectionClose(errorCode: 0x0a, frameType: 0x08, reason: Array("bad stream".utf8)),
        .connectionClose(errorCode: 0, frameType: nil, reason: []),
        .handshakeDone,
    ]

    @Test("RFC 9001 §A.2: the client Initial's payload is one CRYPTO frame carrying the ClientHello, then PADDING, and re-encodes byte for byte")
    func clientInitialPayload() throws {
        let v = try RFC9001Vectors.load()
        let frame = v.bytes("client_crypto_frame")
        let payload = frame + [UInt8](repeating: 0, count: v.int("client_payload_length") - frame.count)
        let frames = try Frame.parseAll(payload)
        #expect(frames.count == 2)
        guard case .crypto(let offset, let data) = frames[0] else { Issue.record("not CRYPTO: \(frames[0])"); return }
        #expect(offset == 0)
        #expect(data.first == 0x01, "HandshakeType client_hello")
        #expect(frames[1] == .padding(count: payload.count - frame.count))
        #expect(frames.allSatisfy { $0.isAllowed(in: .initial) })
        #expect(frames.flatMap(\.encoded) == payload)
    }

    @Test("RFC 9001 §A.3: the server Initial's payload is an ACK of packet 0, then the ServerHello in CRYPTO, and re-encodes byte for byte")
    func serverInitialPayload() throws {
        let payload = try RFC9001Vectors.load().bytes("server_payload")
        let frames = try Frame.parseAll(payload)
        #expect(frames.first == .ack(Frame.Ack(ranges: [0...0], ackDelay: 0)))
        guard case .crypto(0, let data) = frames[1] else { Issue.record("not CRYPTO at 0: \(frames[1])"); return }
        #expect(data.first == 0x02, "HandshakeType server_hello")
        #expect(frames.flatMap(\.encoded) == payload)
    }

    @Test("every frame type encodes and parses back to itself, also all in one payload")
    func roundTrip() throws {
        for frame in Self.samples {
            #expect(try Frame.parseAll(frame.encoded) == [frame], "\(frame.name)")
        }
        // STREAM carries its length, so frames can follow it; PADDING runs to the next non-zero byte.
        let payload = Self.samples.flatMap(\.encoded)
        #expect(try Frame.parseAll(payload) == Self.samples)
    }

    @Test("RFC 9000 §19.3's ACK: ranges counted down from the largest, gap + 2 between them")
    func ackRanges() throws {
        // Largest 12, delay 25, 2 more ranges, first range 2 (10...12), gap 1 length 2 (5...7), gap 2 length 1 (0...1).
        let ack = try #require({ () -> Frame.Ack? in
            if case .ack(let ack) = try Frame.parseAll([0x02, 12, 25, 2, 2, 1, 2, 2, 1])[0] { return ack }
            return nil
        }())
        #expect(ack.ranges == [10...12, 5...7, 0...1])
        #expect(ack.contains(6) && !ack.contains(8) && !ack.contains(2))
    }

    @Test("malformed frames are FRAME_ENCODING_ERROR, with the frame type", arguments: [
        ([0x02, 5, 0, 0, 6], "First ACK Range below packet 0"),
        ([0x02, 5, 0, 1, 1, 3, 0], "an ACK range below packet 0"),
        ([0x02, 5, 0, 60, 0], "more ranges than bytes"),
        ([0x06, 0, 10, 1, 2], "CRYPTO longer than the packet"),
        ([0x07, 0], "an empty NEW_TOKEN"),
        ([0x0a, 0, 0x40, 0x10, 1], "STREAM length past the end"),
        ([0x12, 0xd0, 0, 0, 0, 0, 0, 0, 1], "MAX_STREAMS above 2^60"),
        ([0x18, 1, 0, 21] + [UInt8](repeating: 1, count: 37), "a 21-byte connection ID"),
        ([0x18, 1, 2, 4, 1, 2, 3, 4] + [UInt8](repeating: 0, count: 16), "Retire Prior To above the sequence number"),
        ([0x1a, 1, 2, 3], "a truncated PATH_CHALLENGE"),
        ([0x1f], "an unknown frame type"),
        ([0x40], "a truncated frame type"),
        ([0x1c, 0x0a, 0x08, 5, 0x61], "a reason longer than the frame"),
    ] as [([UInt8], String)])
    func malformed(_ bytes: [UInt8], _ why: String) {
        do {
            _ = try Frame.parseAll(bytes)
            Issue.record("\(why): parsed")
        } catch let error as QUICError {
            #expect(error.code == .frameEncodingError, "\(why): \(error)")
        } catch {
            Issue.record("\(why): \(error)")
        }
    }

    @Test("an empty payload is a PROTOCOL_VIOLATION (§12.4: at least one frame)")
    func emptyPayload() {
        #expect(throws: QUICError(.protocolViolation, "a packet with no frame")) { try Frame.parseAll([]) }
    }

    @Test("§12.4 Table 3: which frames may travel in which packet type")
    func packetTypes() {
        #expect(Frame.crypto(offset: 0, data: [1]).isAllowed(in: .initial))
        #expect(!Frame.crypto(offset: 0, data: [1]).isAllowed(in: .zeroRTT))
        #expect(!Frame.stream(streamID: 0, offset: 0, data: [1], fin: false).isAllowed(in: .initial))
        #expect(!Frame.stream(streamID: 0, offset: 0, data: [1], fin: false).isAllowed(in: .handshake))
        #expect(Frame.stream(streamID: 0, offset: 0, data: [1], fin: false).isAllowed(in: .zeroRTT))
        #expect(!Frame.handshakeDone.isAllowed(in: .handshake) && Frame.handshakeDone.isAllowed(in: .oneRTT))
        #expect(Frame.connectionClose(errorCode: 1, frameType: 0, reason: []).isAllowed(in: .initial))
        #expect(!Frame.connectionClose(errorCode: 1, frameType: nil, reason: []).isAllowed(in: .initial))
        #expect(!Frame.ack(Frame.Ack(ranges: [0...0], ackDelay: 0)).isAllowed(in: .zeroRTT))
        #expect(!Frame.newToken(token: [1]).isAllowed(in: .handshake))
        #expect(Frame.ping.isAllowed(in: .initial) && Frame.padding(count: 1).isAllowed(in: .handshake))
        #expect(!Frame.ack(Frame.Ack(ranges: [0...0], ackDelay: 0)).isAckEliciting && Frame.ping.isAckEliciting)
    }

    @Test("no byte string crashes the frame parser: every truncation of every sample fails cleanly or parses")
    func truncations() {
        for frame in Self.samples {
            let bytes = frame.encoded
            for cut in 0..<bytes.count {
                _ = try? Frame.parseAll(Array(bytes.prefix(cut)))
            }
        }
    }
}
