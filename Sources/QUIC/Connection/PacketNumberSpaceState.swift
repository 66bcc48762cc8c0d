import TLS13

/// RFC 9000 §12.3: Initial, Handshake and application data packets each have their own packet
/// number space: their own numbers, acknowledgements, CRYPTO stream and keys. 0-RTT and 1-RTT
/// share the application data space.
public enum EncryptionLevel: Int, CaseIterable, Sendable, Comparable {
    case initial = 0, handshake = 1, application = 2

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// RFC 9001 §4.1.4: the level of a TLS key (QUICMode.swift): none yet is Initial; the
    /// handshake keys are Handshake, the application keys 1-RTT. nil for 0-RTT, which this
    /// QUIC does not offer.
    init?(tlsEpoch: TrafficEpoch?) {
        switch tlsEpoch {
        case nil: self = .initial
        case .handshake?: self = .handshake
        case .application?: self = .application
        case .early?: return nil
        }
    }

    public var packetSpace: PacketSpace {
        switch self {
        case .initial: .initial
        case .handshake: .handshake
        case .application: .oneRTT
        }
    }

    public var name: String {
        switch self {
        case .initial: "Initial"
        case .handshake: "Handshake"
        case .application: "Application"
        }
    }
}

/// A packet we sent and still track (RFC 9002 §A.1.1 "sent_packets"): what it carried, so its
/// data can be sent again if it is lost, and when it left, for round-trip samples.
struct SentPacket {
    var packetNumber: UInt64
    var timeSent: Double
    var size: Int
    var ackEliciting: Bool
    /// Counted in bytes_in_flight (every packet but an ACK-only one, RFC 9002 §2).
    var inFlight: Bool
    var frames: [Frame]
}

/// Everything one packet number space holds.
struct PacketNumberSpaceState {
    var sendKeys: PacketKeys?
    var receiveKeys: PacketKeys?
    /// Set when the keys are discarded (RFC 9001 §4.9): packets of this level are then dropped.
    var discarded = false

    var nextPacketNumber: UInt64 = 0
    var largestAcknowledged: UInt64?
    var sent: [UInt64: SentPacket] = [:]
    var lossTime: Double?
    var timeOfLastAckElicitingPacket: Double?

    /// Packet numbers received, as ranges largest first, for ACK frames (§13.2).
    var received: [ClosedRange<UInt64>] = []
    var largestReceived: UInt64?
    var largestReceivedTime: Double = 0
    /// §13.2.1: an ack-eliciting packet arrived since our last ACK.
    var ackPending = false
    var ackElicitingSinceAck = 0

    var cryptoSend = SendBuffer()
    var cryptoReceive = ReceiveBuffer()
    var cryptoLevelCheck = CryptoLevelCheck()

    /// Frames to send again whose data is not a stream's (HANDSHAKE_DONE, MAX_DATA, ...).
    var controlRetransmit: [Frame] = []

    var ackElicitingInFlight: Bool { sent.values.contains { $0.ackEliciting } }

    /// Records a received packet number; false for a duplicate (§12.3: "A receiver MUST discard
    /// a newly unprotected packet unless it is certain that it has not processed another packet
    /// with the same packet number").
    mutating func record(_ packetNumber: UInt64) -> Bool {
        if received.contains(where: { $0.contains(packetNumber) }) { return false }
        // Older than every range we still remember: treat it as a duplicate (it may be one).
        if received.count == 32, let oldest = received.last?.lowerBound, packetNumber < oldest { return false }
        var ranges = received + [packetNumber...packetNumber]
        ranges.sort { $0.lowerBound > $1.lowerBound }
        var merged: [ClosedRange<UInt64>] = []
        for r in ranges {
            if let last = merged.last, r.upperBound + 1 >= last.lowerBound {
                merged[merged.count - 1] = min(r.lowerBound, last.lowerBound)...max(r.upperBound, last.upperBound)
            } else {
                merged.append(r)
            }
        }
        // Keep the ACK frame bounded: the 32 most recent ranges are plenty to recover from.
        received = Array(merged.prefix(32))
        largestReceived = max(largestReceived ?? 0, packetNumber)
        return true
    }
}
