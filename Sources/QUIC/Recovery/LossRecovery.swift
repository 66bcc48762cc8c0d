/// RFC 9002: round-trip estimation (§5), loss detection (§6.1), the probe timeout (§6.2) and a
/// NewReno congestion controller (§7). Times are seconds on one monotonic clock.
struct RTTEstimator {
    /// §6.2.2: before any sample, 333 ms.
    static let initialRTT = 0.333
    var latest = 0.0
    var smoothed = initialRTT
    var variance = initialRTT / 2
    var minimum = Double.infinity
    var hasSample = false

    /// §5.3: `ackDelay` is what the peer says it waited before acknowledging (already limited
    /// to max_ack_delay once the handshake is confirmed).
    mutating func update(sample: Double, ackDelay: Double) {
        latest = sample
        minimum = min(minimum, sample)
        guard hasSample else {
            hasSample = true
            smoothed = sample
            variance = sample / 2
            return
        }
        var adjusted = sample
        if sample >= minimum + ackDelay { adjusted = sample - ackDelay }
        variance = 0.75 * variance + 0.25 * abs(smoothed - adjusted)
        smoothed = 0.875 * smoothed + 0.125 * adjusted
    }

    /// §6.2.1: PTO = smoothed_rtt + max(4*rttvar, kGranularity) + max_ack_delay.
    func probeTimeout(maxAckDelay: Double) -> Double {
        smoothed + max(4 * variance, LossRecovery.granularity) + maxAckDelay
    }
}

/// §7.3: NewReno, counted in bytes.
struct CongestionController {
    static let maxDatagramSize = 1200
    var window = 10 * maxDatagramSize          // §7.2: kInitialWindow
    var bytesInFlight = 0
    var slowStartThreshold = Int.max
    var recoveryStartTime: Double?

    var available: Int { max(0, window - bytesInFlight) }

    mutating func sent(_ packet: SentPacket) {
        if packet.inFlight { bytesInFlight += packet.size }
    }

    mutating func acknowledged(_ packet: SentPacket) {
        guard packet.inFlight else { return }
        bytesInFlight = max(0, bytesInFlight - packet.size)
        // §7.3.2: no growth for packets sent before the current recovery period began.
        if let start = recoveryStartTime, packet.timeSent <= start { return }
        if window < slowStartThreshold {
            window += packet.size                                   // slow start
        } else {
            window += Self.maxDatagramSize * packet.size / window   // congestion avoidance
        }
    }

    mutating func lost(_ packets: [SentPacket], now: Double) {
        var latest = 0.0
        for p in packets where p.inFlight {
            bytesInFlight = max(0, bytesInFlight - p.size)
            latest = max(latest, p.timeSent)
        }
        guard latest > 0 else { return }
        // §7.3.2: one reduction per round trip: only a loss of a packet sent after the current
        // recovery period started begins a new one.
        if let start = recoveryStartTime, latest <= start { return }
        recoveryStartTime = now
        slowStartThreshold = max(window / 2, 2 * Self.maxDatagramSize)   // kLossReductionFactor 0.5
        window = slowStartThreshold
    }

    /// A packet number space's packets are gone with its keys (§6.4): they no longer count.
    mutating func discard(_ packets: some Sequence<SentPacket>) {
        for p in packets where p.inFlight { bytesInFlight = max(0, bytesInFlight - p.size) }
    }
}

enum LossRecovery {
    /// §6.1.1: kPacketThreshold.
    static let packetThreshold: UInt64 = 3
    /// §6.1.2: kTimeThreshold.
    static let timeThreshold = 9.0 / 8.0
    /// §6.1.2: kGranularity, 1 ms.
    static let granularity = 0.001

    /// §6.1: packets sent before the largest acknowledged one are lost when they are three
    /// packets older, or older by 9/8 of a round trip. Returns the lost packets and, for the
    /// rest, the time at which the time threshold would declare the oldest of them lost.
    static func detectLost(in space: inout PacketNumberSpaceState, rtt: RTTEstimator, now: Double) -> [SentPacket] {
        space.lossTime = nil
        guard let largest = space.largestAcknowledged else { return [] }
        let delay = max(timeThreshold * max(rtt.latest, rtt.smoothed), granularity)
        var lost: [SentPacket] = []
        for (number, packet) in space.sent where number < largest {
            // (The same sum as the loss time below, so a timer at that time finds the packet lost.)
            if packet.timeSent + delay <= now || largest >= number + packetThreshold {
                lost.append(packet)
                space.sent[number] = nil
            } else {
                let when = packet.timeSent + delay
                space.lossTime = min(space.lossTime ?? when, when)
            }
        }
        return lost.sorted { $0.packetNumber < $1.packetNumber }
    }
}
