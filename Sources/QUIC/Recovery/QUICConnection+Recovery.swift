import Foundation

/// RFC 9002 applied to the connection: acknowledgements (§5, §6.1), the probe timeout (§6.2),
/// the idle timeout (RFC 9000 §10.1) and the end of the closing and draining states (§10.2).
extension QUICConnection {
    /// §13.2 / RFC 9002 §5–§6: an ACK frame of `level` arrived.
    func receiveAck(_ ack: Frame.Ack, level: EncryptionLevel, now: Double) throws {
        var space = spaces[level.rawValue]
        // §13.1: "An endpoint SHOULD treat receipt of an acknowledgment for a packet it did not
        // send as a connection error of type PROTOCOL_VIOLATION."
        guard ack.largestAcknowledged < space.nextPacketNumber else {
            throw QUICError(.protocolViolation, "ACK of packet \(ack.largestAcknowledged) in \(level.name), never sent", frameType: 0x02)
        }
        var newlyAcked: [SentPacket] = []
        for range in ack.ranges {
            // Walk the shorter of the range and what is still tracked.
            if UInt64(space.sent.count) < range.upperBound - range.lowerBound {
                for number in space.sent.keys where range.contains(number) {
                    if let p = space.sent.removeValue(forKey: number) { newlyAcked.append(p) }
                }
            } else {
                for number in range { if let p = space.sent.removeValue(forKey: number) { newlyAcked.append(p) } }
            }
        }
        guard !newlyAcked.isEmpty else { return }
        space.largestAcknowledged = max(space.largestAcknowledged ?? 0, ack.largestAcknowledged)
        // §5.1: an RTT sample when the largest acknowledged is newly acknowledged and at least
        // one of the newly acknowledged packets was ack-eliciting.
        if let largest = newlyAcked.first(where: { $0.packetNumber == ack.largestAcknowledged }),
           newlyAcked.contains(where: \.ackEliciting) {
            var delay = 0.0
            if level == .application {
                let exponent = peerTransportParameters?.ackDelayExponent ?? 3
                delay = Double(ack.ackDelay << exponent) / 1_000_000
                if handshakeConfirmed { delay = min(delay, Double(peerTransportParameters?.maxAckDelay ?? 25) / 1000) }
            }
            rtt.update(sample: now - largest.timeSent, ackDelay: delay)
        }
        for packet in newlyAcked {
            congestion.acknowledged(packet)
            for frame in packet.frames { acknowledged(frame, level: level, in: &space) }
        }
        let lost = LossRecovery.detectLost(in: &space, rtt: rtt, now: now)
        spaces[level.rawValue] = space
        declareLost(lost, level: level, now: now, byTime: false)
        // §6.2.1: the PTO backoff resets on an acknowledgement (a client still waiting for its
        // address to be validated keeps it).
        if !(side == .client && !handshakeConfirmed && level == .initial) { ptoCount = 0 }
        probesOwed[level] = nil
    }

    private func acknowledged(_ frame: Frame, level: EncryptionLevel, in space: inout PacketNumberSpaceState) {
        switch frame {
        case .crypto(let offset, let data):
            space.cryptoSend.acknowledge(offset..<offset + UInt64(data.count), fin: false)
        case .stream(let id, let offset, let data, let fin):
            streams[id]?.send.acknowledge(offset..<offset + UInt64(data.count), fin: fin)
            closeStreamIfDone(id)
        case .ack(let ack):
            // §13.2.4: once our ACK is acknowledged, ranges below it need not be repeated.
            if let floor = ack.ranges.last?.lowerBound { space.received = space.received.filter { $0.upperBound >= floor } }
        default:
            break
        }
    }

    /// Lost packets' frames go out again in new packets (RFC 9000 §13.3): data by its offsets,
    /// control frames with their current values; PADDING, PING and ACK are not repeated.
    func declareLost(_ lost: [SentPacket], level: EncryptionLevel, now: Double, byTime: Bool) {
        guard !lost.isEmpty else { return }
        congestion.lost(lost, now: now)
        for packet in lost {
            observer?(.packetLost(level, packetNumber: packet.packetNumber, frames: packet.frames, byTime: byTime))
            requeue(packet.frames, level: level)
        }
    }

    func requeue(_ frames: [Frame], level: EncryptionLevel) {
        for frame in frames {
            switch frame {
            case .crypto(let offset, let data):
                spaces[level.rawValue].cryptoSend.lost(offset..<offset + UInt64(data.count), fin: false)
            case .stream(let id, let offset, let data, let fin):
                streams[id]?.send.lost(offset..<offset + UInt64(data.count), fin: fin)
            case .maxData:
                maxDataPending = true
            case .maxStreams:
                maxStreamsPending = true
            case .maxStreamData(let id, _):
                streams[id]?.maxStreamDataPending = true
            case .handshakeDone:
                handshakeDonePending = true
            case .retireConnectionID(let sequence):
                retireConnectionIDs.append(sequence)
            case .resetStream, .stopSending, .newConnectionID:
                spaces[level.rawValue].controlRetransmit.append(frame)
            default:
                break
            }
        }
    }

    // MARK: Timers

    /// RFC 9002 §6.2.1: the probe timeout for a level (the Application space adds max_ack_delay).
    func probeTimeoutDuration(_ level: EncryptionLevel) -> Double {
        let maxAckDelay = level == .application ? Double(peerTransportParameters?.maxAckDelay ?? 25) / 1000 : 0
        return rtt.probeTimeout(maxAckDelay: maxAckDelay) * Double(1 << min(ptoCount, 16))
    }

    /// The earliest loss time (§6.1.2), or else the probe timeout (§6.2.1) with its level.
    func lossDetectionDeadline() -> (time: Double, level: EncryptionLevel?, isLossTime: Bool)? {
        if let (level, time) = EncryptionLevel.allCases.compactMap({ l in spaces[l.rawValue].lossTime.map { (l, $0) } })
            .min(by: { $0.1 < $1.1 }) {
            return (time, level, true)
        }
        // §6.2.2.1: a server blocked by the amplification limit arms no timer.
        if side == .server && !addressValidated && amplificationAllowance < configuration.maxDatagramSize { return nil }
        var best: (Double, EncryptionLevel)?
        for level in EncryptionLevel.allCases {
            let space = spaces[level.rawValue]
            guard space.ackElicitingInFlight, let last = space.timeOfLastAckElicitingPacket else { continue }
            // §6.2.1: "An endpoint MUST NOT set its PTO timer for the Application Data packet
            // number space until the handshake is confirmed."
            if level == .application && !handshakeConfirmed { continue }
            let time = last + probeTimeoutDuration(level)
            if best == nil || time < best!.0 { best = (time, level) }
        }
        if let best { return (best.0, best.1, false) }
        // §6.2.2.1: a client not yet sure the server validated its address keeps a timer armed
        // so the server is never left unable to send (anti-deadlock).
        if side == .client && !handshakeConfirmed {
            return (lastActivity + probeTimeoutDuration(.initial), nil, false)
        }
        return nil
    }

    var idleTimeout: Double {
        // §10.1: the smaller of the two max_idle_timeout values (0: none), at least 3 PTOs.
        let ours = configuration.transportParameters.maxIdleTimeout
        let theirs = peerTransportParameters?.maxIdleTimeout ?? 0
        let ms: UInt64 = [ours, theirs].filter { $0 > 0 }.min() ?? 30_000
        return max(Double(ms) / 1000, 3 * rtt.probeTimeout(maxAckDelay: 0))
    }

    /// When `handleTimeout` should next be called.
    public var nextTimeout: Double? {
        switch state {
        case .closed: return nil
        case .closing(let until), .draining(let until): return until
        default:
            let idle = lastActivity + idleTimeout
            guard let deadline = lossDetectionDeadline() else { return idle }
            return min(idle, deadline.time)
        }
    }

    public func handleTimeout(now: Double) {
        switch state {
        case .closed:
            return
        case .closing(let until), .draining(let until):
            if now >= until { state = .closed }
            return
        default:
            break
        }
        if now >= lastActivity + idleTimeout {
            // §10.1: the connection is silently closed and its state discarded.
            state = .closed
            closeReason = .idleTimeout
            closeError = QUICError(.noError, "no packet for \(Int(idleTimeout)) s (idle timeout, RFC 9000 §10.1)")
            observer?(.closed(closeError, how: .idleTimeout))
            return
        }
        guard let deadline = lossDetectionDeadline(), now >= deadline.time else { return }
        if deadline.isLossTime, let level = deadline.level {
            var space = spaces[level.rawValue]
            let lost = LossRecovery.detectLost(in: &space, rtt: rtt, now: now)
            spaces[level.rawValue] = space
            declareLost(lost, level: level, now: now, byTime: true)
            return
        }
        // §6.2.4: the probe timeout: one or two ack-eliciting packets, carrying data still
        // unacknowledged when there is some (it is sent again), else PING.
        ptoCount += 1
        observer?(.probeTimeout(count: ptoCount, level: deadline.level))
        if let level = deadline.level {
            for l in EncryptionLevel.allCases where l <= level {
                let space = spaces[l.rawValue]
                guard space.ackElicitingInFlight, l == level || (side == .client && !handshakeConfirmed) else { continue }
                for packet in space.sent.values.sorted(by: { $0.packetNumber < $1.packetNumber }) where packet.ackEliciting {
                    requeue(packet.frames, level: l)
                }
                // "An endpoint MAY send up to two full-sized datagrams containing ack-eliciting
                // packets": two, so one loss does not cost another doubled timeout.
                probesOwed[l] = 2
            }
        } else {
            // Anti-deadlock: Handshake keys if we have them, else a (padded) Initial.
            let level: EncryptionLevel = spaces[1].sendKeys != nil ? .handshake : .initial
            if level == .initial { spaces[0].cryptoSend.lost(0..<spaces[0].cryptoSend.sentOffset, fin: false) }
            probesOwed[level] = 1
        }
    }
}
