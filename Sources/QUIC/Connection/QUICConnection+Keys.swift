import TLS13

/// Opening packets (RFC 9001 §5), 1-RTT key updates (§6) and discarding keys (§4.9).
extension QUICConnection {
    /// Removes header protection, rebuilds the packet number, opens the AEAD. Nil (after a
    /// `.packetDropped` event) when the packet does not open: RFC 9001 §9.5 has it dropped,
    /// never answered.
    func open(_ header: PacketHeader, level: EncryptionLevel) -> (UInt64, [UInt8], ProtectionTrace, Bool)? {
        var space = spaces[level.rawValue]
        guard var keys = space.receiveKeys else { return nil }
        func drop(_ reason: String) -> (UInt64, [UInt8], ProtectionTrace, Bool)? {
            observer?(.packetDropped(bytes: header.bytes, reason: reason))
            return nil
        }
        let unmasked: PacketProtection.UnmaskedHeader
        do {
            unmasked = try PacketProtection.removeHeaderProtection(packet: header.bytes, packetNumberOffset: header.packetNumberOffset,
                                                                   headerProtection: keys.headerProtection)
        } catch {
            return drop("\(error)")
        }
        let packetNumber = PacketNumberEncoding.decode(truncated: unmasked.truncatedPacketNumber, length: unmasked.packetNumberLength,
                                                       largestReceived: space.largestReceived)
        let phase = level == .application && unmasked.firstByte & 0x04 != 0
        var isUpdate = false
        if level == .application, phase != keyPhase {
            // §6.3: a packet of the other phase is either late (older than the first packet of
            // the current phase: the previous keys) or the peer's key update (the next keys).
            if let previous = previousReceiveKeys, packetNumber < firstPacketNumberOfPhase {
                keys = previous
            } else if handshakeConfirmed, let next = try? keys.nextGeneration() {
                keys = next
                isUpdate = true
            } else {
                return drop("key phase changed before the handshake was confirmed (RFC 9001 §6)")
            }
        }
        let opened: (payload: [UInt8], trace: ProtectionTrace)
        do {
            opened = try PacketProtection.decryptPayload(packet: header.bytes, unmasked: unmasked, packetNumber: packetNumber, keys: keys)
        } catch {
            return drop("the AEAD does not open: wrong keys or a damaged packet (RFC 9001 §9.5: dropped)")
        }
        if isUpdate {
            // The peer updated its keys: follow (§6.2 "respond by updating its own keys") unless
            // we started this update ourselves.
            previousReceiveKeys = space.receiveKeys
            space.receiveKeys = keys
            spaces[level.rawValue].receiveKeys = keys
            keyPhase = phase
            firstPacketNumberOfPhase = packetNumber
            let initiatedLocally = keyUpdateInFlight
            if !keyUpdateInFlight, let send = spaces[2].sendKeys, let next = try? send.nextGeneration() {
                spaces[2].sendKeys = next
            }
            keyUpdateInFlight = false
            observer?(.keyUpdate(generation: keys.generation, initiatedLocally: initiatedLocally, next: keys))
        }
        return (packetNumber, opened.payload, opened.trace, phase)
    }

    /// RFC 9001 §6.1: starts a key update. Allowed once the handshake is confirmed and the
    /// previous update was answered; our next packets carry the other Key Phase.
    public func requestKeyUpdate() -> Bool {
        guard handshakeConfirmed, !keyUpdateInFlight, state == .established,
              let send = spaces[2].sendKeys, let next = try? send.nextGeneration() else { return false }
        spaces[2].sendKeys = next
        keyUpdateInFlight = true
        return true
    }

    /// True from our `requestKeyUpdate` until the peer's first packet under the new keys.
    public var isKeyUpdatePending: Bool { keyUpdateInFlight }

    /// Queues a PING (RFC 9000 §19.2): the peer acknowledges it, so after a key update its
    /// answer comes under the new keys.
    public func ping() {
        guard state == .established else { return }
        spaces[EncryptionLevel.application.rawValue].controlRetransmit.append(.ping)
    }

    /// The Key Phase bit our 1-RTT packets carry: flipped as soon as we update.
    var sendKeyPhase: Bool { keyUpdateInFlight ? !keyPhase : keyPhase }

    /// RFC 9001 §4.9: Initial keys go when the client first sends a Handshake packet and when
    /// the server first opens one; Handshake keys when the handshake is confirmed. Whatever was
    /// in flight at that level is forgotten (RFC 9002 §6.4).
    func discardKeys(_ level: EncryptionLevel) {
        guard !spaces[level.rawValue].discarded else { return }
        congestion.discard(spaces[level.rawValue].sent.values)
        var space = PacketNumberSpaceState()
        space.discarded = true
        spaces[level.rawValue] = space
        probesOwed[level] = nil
        ptoCount = 0
        observer?(.keysDiscarded(level))
    }
}
