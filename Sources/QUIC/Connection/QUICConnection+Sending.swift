import TLS13

/// Building datagrams: which frames go in which packet (RFC 9000 §12–§13), coalescing packets
/// of several levels in one datagram (§12.2), padding Initial datagrams to 1200 bytes (§14.1),
/// the amplification limit (§8.1) and the congestion window (RFC 9002 §7).
extension QUICConnection {
    /// §8.1: what a server may still send before the client's address is validated.
    var amplificationAllowance: Int {
        addressValidated ? Int.max : max(0, 3 * bytesReceived - bytesSent)
    }

    /// Every datagram ready to go now.
    public func takeDatagrams(now: Double) -> [[UInt8]] {
        pumpTLS(now: now)
        switch state {
        case .closed, .draining:
            return []
        case .closing:
            guard closeFramePending else { return [] }
            closeFramePending = false
            return closeDatagram(now: now).map { [$0] } ?? []
        default:
            break
        }
        var datagrams: [[UInt8]] = []
        while datagrams.count < 64, let datagram = buildDatagram(now: now) { datagrams.append(datagram) }
        return datagrams
    }

    /// Header and tag bytes of the next packet at `level`.
    private func overhead(_ level: EncryptionLevel) -> (bytes: Int, packetNumberLength: Int) {
        let space = spaces[level.rawValue]
        let pnLength = PacketNumberEncoding.length(of: space.nextPacketNumber, largestAcknowledged: space.largestAcknowledged)
        var header = 1 + destinationConnectionID.count + pnLength
        if level != .application {
            header += 4 + 1 + 1 + sourceConnectionID.count + 2
            if level == .initial {
                let token = side == .client ? retryToken : []
                header += VariableLengthInteger.length(of: UInt64(token.count)) + token.count
            }
        }
        return (header + 16, pnLength)
    }

    private func buildDatagram(now: Double) -> [UInt8]? {
        let size = configuration.maxDatagramSize
        // §8.1: an unvalidated server sends a full datagram only when the limit allows it.
        guard amplificationAllowance >= size else { return nil }
        let probing = probesOwed.values.contains { $0 > 0 }
        // RFC 9002 §7: new ack-eliciting packets wait for room in the congestion window;
        // probes do not (§7.5), nor do ACKs.
        let ackElicitingAllowed = probing || congestion.available >= size
        var packets: [(level: EncryptionLevel, frames: [Frame])] = []
        var used = 0
        for level in EncryptionLevel.allCases {
            guard spaces[level.rawValue].sendKeys != nil, !spaces[level.rawValue].discarded else { continue }
            if level == .application && state != .established { continue }
            let room = size - used - overhead(level).bytes
            guard room >= 24 else { break }
            let frames = collectFrames(level, room: room, ackElicitingAllowed: ackElicitingAllowed, now: now)
            guard !frames.isEmpty else { continue }
            packets.append((level, frames))
            used += overhead(level).bytes + frames.reduce(0) { $0 + $1.encoded.count }
        }
        guard !packets.isEmpty else { return nil }
        // §14.1: "A client MUST expand the payload of all UDP datagrams carrying Initial packets
        // to at least the smallest allowed maximum datagram size of 1200 bytes ... A server MUST
        // expand the payload of all UDP datagrams carrying ack-eliciting Initial packets".
        let initialPacket = packets.first { $0.level == .initial }
        if let initialPacket, side == .client || initialPacket.frames.contains(where: \.isAckEliciting), used < size {
            packets[packets.count - 1].frames.append(.padding(count: size - used))
        }
        var datagram: [UInt8] = []
        var records: [PacketRecord] = []
        var sentHandshake = false
        for (level, frames) in packets {
            guard let (packet, record) = encodePacket(level, frames: frames, now: now) else { continue }
            datagram += packet
            records += record.map { [$0] } ?? []
            sentHandshake = sentHandshake || level == .handshake
        }
        bytesSent += datagram.count
        // The datagram first, then the packets in it, as a reader follows them.
        observer?(.datagram(.sent, datagram))
        for record in records { observer?(.packet(.sent, record)) }
        // RFC 9001 §4.9.1: "a client MUST discard Initial keys when it first sends a Handshake packet".
        if side == .client && sentHandshake { discardKeys(.initial) }
        return datagram
    }

    /// The frames for one packet at `level`, at most `room` bytes: the ACK, then control frames,
    /// CRYPTO data, then stream data as flow control allows, and PING for a probe with nothing
    /// else to say. Data put in a frame counts as sent.
    private func collectFrames(_ level: EncryptionLevel, room: Int, ackElicitingAllowed: Bool, now: Double) -> [Frame] {
        var frames: [Frame] = []
        var room = room
        @discardableResult func add(_ frame: Frame) -> Bool {
            let size = frame.encoded.count
            guard size <= room else { return false }
            frames.append(frame)
            room -= size
            return true
        }
        let i = level.rawValue
        if spaces[i].ackPending, !spaces[i].received.isEmpty {
            // §19.3: ACK Delay in microseconds scaled down by ack_delay_exponent (ours: 3).
            let delay = level == .application ? UInt64(max(0, now - spaces[i].largestReceivedTime) * 1_000_000) >> 3 : 0
            if add(.ack(Frame.Ack(ranges: spaces[i].received, ackDelay: delay))) { spaces[i].ackPending = false }
        }
        guard ackElicitingAllowed else { return frames }
        while let frame = spaces[i].controlRetransmit.first, add(frame) { spaces[i].controlRetransmit.removeFirst() }
        if level == .application {
            if handshakeDonePending && add(.handshakeDone) { handshakeDonePending = false }
            if maxDataPending && add(.maxData(maxDataAdvertised)) { maxDataPending = false }
            if maxStreamsPending && add(.maxStreams(bidirectional: true, maximum: maxStreamsBidiAdvertised)) { maxStreamsPending = false }
            for id in streams.keys.sorted() where streams[id]!.maxStreamDataPending {
                if add(.maxStreamData(streamID: id, maximum: streams[id]!.receiveLimit)) { streams[id]!.maxStreamDataPending = false }
            }
            while let sequence = retireConnectionIDs.first, add(.retireConnectionID(sequenceNumber: sequence)) { retireConnectionIDs.removeFirst() }
            while let data = pathResponses.first, add(.pathResponse(data)) { pathResponses.removeFirst() }
        }
        // CRYPTO: type (1) + offset (up to 8) + length (2) + data.
        while room > 16, let slice = spaces[i].cryptoSend.nextSlice(maximum: room - 11) {
            add(.crypto(offset: slice.offset, data: slice.data))
        }
        if level == .application && state == .established {
            for id in streams.keys.sorted() where streams[id]!.send.hasPendingData {
                // STREAM: type (1) + id (up to 8) + offset (up to 8) + length (2) + data.
                while room > 24 {
                    let before = streams[id]!.send.sentOffset
                    let credit = peerMaxData > newDataSent ? peerMaxData - newDataSent : 0
                    let limit = min(streams[id]!.sendLimit, before + credit)
                    guard let slice = streams[id]!.send.nextSlice(maximum: room - 19, limit: limit) else { break }
                    newDataSent += streams[id]!.send.sentOffset - before
                    add(.stream(streamID: id, offset: slice.offset, data: slice.data, fin: slice.fin))
                }
            }
        }
        if (probesOwed[level] ?? 0) > 0 && !frames.contains(where: \.isAckEliciting) { add(.ping) }
        return frames
    }

    /// Protects one packet and starts tracking it (RFC 9002 §A.5 OnPacketSent).
    private func encodePacket(_ level: EncryptionLevel, frames: [Frame], now: Double) -> ([UInt8], PacketRecord?)? {
        let i = level.rawValue
        guard let keys = spaces[i].sendKeys else { return nil }
        let packetNumber = spaces[i].nextPacketNumber
        let pnLength = overhead(level).packetNumberLength
        spaces[i].nextPacketNumber += 1
        var frames = frames
        var payload = frames.flatMap(\.encoded)
        // RFC 9001 §5.4.2: at least 4 bytes of packet number and payload, for the sample.
        if pnLength + payload.count < 4 {
            let count = 4 - pnLength - payload.count
            frames.append(.padding(count: count))
            payload += [UInt8](repeating: 0, count: count)
        }
        let header: (header: [UInt8], packetNumberOffset: Int)
        if level == .application {
            header = PacketBuilder.shortHeader(destinationConnectionID: destinationConnectionID, keyPhase: sendKeyPhase,
                                               packetNumber: packetNumber, packetNumberLength: pnLength)
        } else {
            header = PacketBuilder.longHeader(type: level == .initial ? .initial : .handshake,
                                              destinationConnectionID: destinationConnectionID, sourceConnectionID: sourceConnectionID,
                                              token: level == .initial && side == .client ? retryToken : [],
                                              packetNumber: packetNumber, packetNumberLength: pnLength, payloadLength: payload.count)
        }
        guard let (packet, trace) = try? PacketProtection.protect(header: header.header, packetNumberOffset: header.packetNumberOffset,
                                                                  packetNumber: packetNumber, payload: payload, keys: keys) else { return nil }
        let ackEliciting = frames.contains(where: \.isAckEliciting)
        let inFlight = ackEliciting || frames.contains { if case .padding = $0 { true } else { false } }
        let tracked = SentPacket(packetNumber: packetNumber, timeSent: now, size: packet.count, ackEliciting: ackEliciting,
                                 inFlight: inFlight, frames: frames.filter { if case .padding = $0 { false } else { true } })
        spaces[i].sent[packetNumber] = tracked
        congestion.sent(tracked)
        if ackEliciting {
            spaces[i].timeOfLastAckElicitingPacket = now
            if let owed = probesOwed[level], owed > 0 { probesOwed[level] = owed - 1 }
        }
        let record = (try? PacketHeader.parse(packet, at: 0, shortHeaderConnectionIDLength: destinationConnectionID.count)).map {
            PacketRecord(level: level, header: $0, protectedBytes: packet, protection: trace, frames: frames,
                         keyPhase: level == .application && sendKeyPhase)
        }
        return (packet, record)
    }

    // MARK: Closing

    /// §10.2: close the connection: CONNECTION_CLOSE goes out, then the closing state lasts
    /// three PTOs, answering anything that arrives with the same frame.
    public func close(applicationError code: UInt64 = 0, reason: String = "", now: Double) {
        guard state != .closed, !isDraining, !isClosing else { return }
        closeReason = .localClose
        enterClosing(.connectionClose(errorCode: code, frameType: nil, reason: Array(reason.utf8)), now: now)
        observer?(.closed(code == 0 ? nil : QUICError(.applicationError, reason), how: .localClose))
    }

    /// A transport error: CONNECTION_CLOSE with its code (§10.2, §11).
    func close(_ error: QUICError) {
        guard state != .closed, !isDraining, !isClosing else { return }
        pumpTLS(now: lastActivity)
        closeError = error
        closeReason = .localClose
        enterClosing(.connectionClose(errorCode: error.code.rawValue, frameType: error.frameType,
                                      reason: Array(error.reason.utf8.prefix(200))), now: lastActivity)
        observer?(.closed(error, how: .localClose))
    }

    private func enterClosing(_ frame: Frame, now: Double) {
        closeFrame = frame
        closeFramePending = true
        state = .closing(until: now + 3 * rtt.probeTimeout(maxAckDelay: 0))
    }

    /// The CONNECTION_CLOSE in every level the peer may be able to read (§10.2.3): before the
    /// handshake is confirmed that may be Initial and Handshake as well as 1-RTT. An application
    /// close becomes APPLICATION_ERROR outside 1-RTT packets.
    private func closeDatagram(now: Double) -> [UInt8]? {
        guard let closeFrame else { return nil }
        var packets: [(EncryptionLevel, [Frame])] = []
        for level in EncryptionLevel.allCases where spaces[level.rawValue].sendKeys != nil && !spaces[level.rawValue].discarded {
            if level == .application && !tls.isHandshakeComplete { continue }
            var frame = closeFrame
            if level != .application, case .connectionClose(_, nil, _) = closeFrame {
                frame = .connectionClose(errorCode: TransportErrorCode.applicationError.rawValue, frameType: 0, reason: [])
            }
            packets.append((level, [frame]))
        }
        if side == .client, packets.contains(where: { $0.0 == .initial }) {
            let used = packets.reduce(0) { $0 + overhead($1.0).bytes + $1.1.reduce(0) { $0 + $1.encoded.count } }
            if used < configuration.maxDatagramSize { packets[packets.count - 1].1.append(.padding(count: configuration.maxDatagramSize - used)) }
        }
        let encoded = packets.compactMap { encodePacket($0.0, frames: $0.1, now: now) }
        let datagram = encoded.flatMap(\.0)
        guard !datagram.isEmpty else { return nil }
        bytesSent += datagram.count
        observer?(.datagram(.sent, datagram))
        for case let record? in encoded.map(\.1) { observer?(.packet(.sent, record)) }
        return datagram
    }
}
