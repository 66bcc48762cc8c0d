import TLS13

/// RFC 9000 §12.4 and §19: the frames a QUIC packet's payload is made of, every type of QUIC v1.
/// A payload is a sequence of frames, each a variable-length integer type and its fields;
/// `Frame.parse` reads one, bounds-checked, and anything malformed is a FRAME_ENCODING_ERROR
/// naming the frame type (§12.4: "An endpoint MUST treat the receipt of a frame of unknown type
/// as a connection error of type FRAME_ENCODING_ERROR").
public enum Frame: Hashable, Sendable {
    /// §19.1: one byte, 0x00; consecutive padding bytes are read as one frame.
    case padding(count: Int)
    /// §19.2.
    case ping
    /// §19.3: the largest packet number acknowledged, the delay, and the acknowledged ranges
    /// from the largest down, as (gap, length) pairs after the first; with ECN counts for 0x03.
    case ack(Ack)
    /// §19.4.
    case resetStream(streamID: UInt64, errorCode: UInt64, finalSize: UInt64)
    /// §19.5.
    case stopSending(streamID: UInt64, errorCode: UInt64)
    /// §19.6: handshake bytes at an offset of the CRYPTO stream of this packet number space.
    case crypto(offset: UInt64, data: [UInt8])
    /// §19.7.
    case newToken(token: [UInt8])
    /// §19.8: 0x08-0x0f, the low bits say whether offset, length and FIN are present.
    case stream(streamID: UInt64, offset: UInt64, data: [UInt8], fin: Bool)
    /// §19.9-§19.11.
    case maxData(UInt64)
    case maxStreamData(streamID: UInt64, maximum: UInt64)
    case maxStreams(bidirectional: Bool, maximum: UInt64)
    /// §19.12-§19.14.
    case dataBlocked(UInt64)
    case streamDataBlocked(streamID: UInt64, limit: UInt64)
    case streamsBlocked(bidirectional: Bool, limit: UInt64)
    /// §19.15.
    case newConnectionID(sequenceNumber: UInt64, retirePriorTo: UInt64, connectionID: [UInt8], statelessResetToken: [UInt8])
    /// §19.16.
    case retireConnectionID(sequenceNumber: UInt64)
    /// §19.17-§19.18: 8 bytes of data.
    case pathChallenge([UInt8])
    case pathResponse([UInt8])
    /// §19.19: 0x1c (transport, with the frame type that caused it) or 0x1d (application).
    case connectionClose(errorCode: UInt64, frameType: UInt64?, reason: [UInt8])
    /// §19.20.
    case handshakeDone

    public struct Ack: Hashable, Sendable {
        public var largestAcknowledged: UInt64
        public var ackDelay: UInt64
        /// Acknowledged packet numbers as closed ranges, largest first, not overlapping.
        public var ranges: [ClosedRange<UInt64>]
        /// ECT(0), ECT(1), ECN-CE counts (type 0x03).
        public var ecn: (UInt64, UInt64, UInt64)?

        public init(ranges: [ClosedRange<UInt64>], ackDelay: UInt64, ecn: (UInt64, UInt64, UInt64)? = nil) {
            precondition(!ranges.isEmpty, "an ACK frame acknowledges at least one packet")
            self.ranges = ranges
            self.largestAcknowledged = ranges[0].upperBound
            self.ackDelay = ackDelay
            self.ecn = ecn
        }

        public static func == (a: Ack, b: Ack) -> Bool {
            a.largestAcknowledged == b.largestAcknowledged && a.ackDelay == b.ackDelay && a.ranges == b.ranges
                && a.ecn.map { [$0.0, $0.1, $0.2] } == b.ecn.map { [$0.0, $0.1, $0.2] }
        }

        public func hash(into h: inout Hasher) {
            h.combine(largestAcknowledged)
            h.combine(ranges.map(\.lowerBound))
        }

        /// Whether `packetNumber` is acknowledged.
        public func contains(_ packetNumber: UInt64) -> Bool { ranges.contains { $0.contains(packetNumber) } }
    }

    // MARK: Types

    /// The frame type as it goes on the wire (§19; for STREAM, the OFF/LEN/FIN bits as encoded).
    public var type: UInt64 {
        switch self {
        case .padding: 0x00
        case .ping: 0x01
        case .ack(let ack): ack.ecn == nil ? 0x02 : 0x03
        case .resetStream: 0x04
        case .stopSending: 0x05
        case .crypto: 0x06
        case .newToken: 0x07
        case .stream(_, let offset, _, let fin): 0x08 | (offset > 0 ? 0x04 : 0) | 0x02 | (fin ? 0x01 : 0)
        case .maxData: 0x10
        case .maxStreamData: 0x11
        case .maxStreams(let bidirectional, _): bidirectional ? 0x12 : 0x13
        case .dataBlocked: 0x14
        case .streamDataBlocked: 0x15
        case .streamsBlocked(let bidirectional, _): bidirectional ? 0x16 : 0x17
        case .newConnectionID: 0x18
        case .retireConnectionID: 0x19
        case .pathChallenge: 0x1a
        case .pathResponse: 0x1b
        case .connectionClose(_, let frameType, _): frameType == nil ? 0x1d : 0x1c
        case .handshakeDone: 0x1e
        }
    }

    /// The RFC's name for a frame type ("ACK", "STREAM"), nil for a type QUIC v1 does not define.
    public static func name(ofType type: UInt64) -> String? {
        switch type {
        case 0x00: "PADDING"
        case 0x01: "PING"
        case 0x02, 0x03: "ACK"
        case 0x04: "RESET_STREAM"
        case 0x05: "STOP_SENDING"
        case 0x06: "CRYPTO"
        case 0x07: "NEW_TOKEN"
        case 0x08...0x0f: "STREAM"
        case 0x10: "MAX_DATA"
        case 0x11: "MAX_STREAM_DATA"
        case 0x12, 0x13: "MAX_STREAMS"
        case 0x14: "DATA_BLOCKED"
        case 0x15: "STREAM_DATA_BLOCKED"
        case 0x16, 0x17: "STREAMS_BLOCKED"
        case 0x18: "NEW_CONNECTION_ID"
        case 0x19: "RETIRE_CONNECTION_ID"
        case 0x1a: "PATH_CHALLENGE"
        case 0x1b: "PATH_RESPONSE"
        case 0x1c, 0x1d: "CONNECTION_CLOSE"
        case 0x1e: "HANDSHAKE_DONE"
        default: nil
        }
    }

    public var name: String { Self.name(ofType: type) ?? "unknown" }

    /// §13.2.1: packets containing only ACK, PADDING and CONNECTION_CLOSE frames are not
    /// ack-eliciting (they do not ask for an acknowledgement).
    public var isAckEliciting: Bool {
        switch self {
        case .ack, .padding, .connectionClose: false
        default: true
        }
    }
}

/// RFC 9000 §12.4 Table 3, "Pkts": the packet types a frame may appear in. A frame in the wrong
/// packet type is a connection error of type PROTOCOL_VIOLATION.
public enum PacketSpace: String, Hashable, Sendable {
    case initial = "Initial"
    case zeroRTT = "0-RTT"
    case handshake = "Handshake"
    case oneRTT = "1-RTT"
}

extension Frame {
    /// Whether §12.4's table allows this frame in `space`.
    public func isAllowed(in space: PacketSpace) -> Bool {
        switch self {
        case .padding, .ping:
            true
        case .ack, .crypto:
            space != .zeroRTT
        case .connectionClose(_, let frameType, _):
            // 0x1c in any packet type; 0x1d (application) only in 0-RTT and 1-RTT (§12.5).
            frameType != nil || space == .zeroRTT || space == .oneRTT
        case .newToken, .handshakeDone:
            space == .oneRTT
        case .resetStream, .stopSending, .stream, .maxData, .maxStreamData, .maxStreams, .dataBlocked,
             .streamDataBlocked, .streamsBlocked, .newConnectionID, .retireConnectionID, .pathChallenge:
            space == .zeroRTT || space == .oneRTT
        case .pathResponse:
            space == .oneRTT
        }
    }
}
