import TLS13

/// What each frame does on arrival (RFC 9000 §19), and the two packets that carry no frames:
/// Retry (§17.2.5) and Version Negotiation (§17.2.1).
extension QUICConnection {
    func receive(_ frame: Frame, level: EncryptionLevel, now: Double) throws {
        switch frame {
        case .padding, .ping:
            break
        case .ack(let ack):
            try receiveAck(ack, level: level, now: now)
        case .crypto(let offset, let data):
            try receiveCrypto(offset: offset, data: data, level: level, now: now)
        case .stream(let id, let offset, let data, let fin):
            try receiveStream(id: id, offset: offset, data: data, fin: fin)
        case .resetStream(let id, let errorCode, let finalSize):
            try receiveResetStream(id: id, errorCode: errorCode, finalSize: finalSize)
        case .stopSending(let id, _):
            try receiveStopSending(id: id)
        case .maxData(let maximum):
            peerMaxData = max(peerMaxData, maximum)
        case .maxStreamData(let id, let maximum):
            try receiveMaxStreamData(id: id, maximum: maximum)
        case .maxStreams(let bidirectional, let maximum):
            if bidirectional { peerMaxStreamsBidi = max(peerMaxStreamsBidi, maximum) }
        case .dataBlocked, .streamDataBlocked, .streamsBlocked:
            break  // informational (§4.1): our limits grow as the application reads
        case .newToken:
            // §19.7: "A server MUST treat receipt of a NEW_TOKEN frame as a connection error of
            // type PROTOCOL_VIOLATION." A client may keep it for a later connection; we do not.
            guard side == .client else { throw QUICError(.protocolViolation, "a client sent NEW_TOKEN", frameType: 0x07) }
        case .newConnectionID(let sequence, let retirePriorTo, let id, _):
            try receiveNewConnectionID(sequence: sequence, retirePriorTo: retirePriorTo, id: id)
        case .retireConnectionID(let sequence):
            // §19.16: we only ever issued sequence number 0 (the handshake's ID).
            guard sequence == 0 else {
                throw QUICError(.protocolViolation, "RETIRE_CONNECTION_ID for sequence \(sequence), never issued", frameType: 0x19)
            }
        case .pathChallenge(let data):
            pathResponses.append(data)   // §8.2.2: answered with PATH_RESPONSE
        case .pathResponse:
            break   // we send no PATH_CHALLENGE; §19.18 allows ignoring an unmatched response
        case .connectionClose(let code, let frameType, let reason):
            receiveConnectionClose(code: code, frameType: frameType, reason: reason, now: now)
        case .handshakeDone:
            // §19.20: "A server MUST treat receipt of a HANDSHAKE_DONE frame as a connection error
            // of type PROTOCOL_VIOLATION."
            guard side == .client else { throw QUICError(.protocolViolation, "a client sent HANDSHAKE_DONE", frameType: 0x1e) }
            confirmHandshake()
        }
    }

    /// RFC 9001 §4.1.3: CRYPTO data goes to TLS in order, per level.
    func receiveCrypto(offset: UInt64, data: [UInt8], level: EncryptionLevel, now: Double) throws {
        let ready = spaces[level.rawValue].cryptoReceive.insert(offset: offset, data: data)
        // §7.5: "Implementations MUST support buffering at least 4096 bytes of data received in
        // out-of-order CRYPTO frames"; beyond our limit, CRYPTO_BUFFER_EXCEEDED.
        guard spaces[level.rawValue].cryptoReceive.bufferedBytes <= 64 * 1024 else {
            throw QUICError(.cryptoBufferExceeded, "more than 64 KiB of out-of-order \(level.name) CRYPTO data", frameType: 0x06)
        }
        guard !ready.isEmpty else { return }
        try spaces[level.rawValue].cryptoLevelCheck.check(ready, level: level, receiver: side)
        defer { pumpTLS(now: now) }
        try tls.receiveQUICHandshake(ready)
        pumpTLS(now: now)
        try readPeerTransportParameters()
        if tls.isHandshakeComplete && state == .handshaking {
            state = .established
            try readPeerTransportParameters()
            if side == .server {
                // RFC 9001 §4.1.2: the server's handshake is confirmed when it completes; it
                // tells the client with HANDSHAKE_DONE (§19.20).
                handshakeDonePending = true
                confirmHandshake()
            }
        }
        try openWaitingPackets(now: now)
    }

    /// RFC 9001 §4.1.2 and §4.9.2: the handshake is confirmed; Handshake keys are discarded.
    func confirmHandshake() {
        guard !handshakeConfirmed else { return }
        handshakeConfirmed = true
        observer?(.handshakeConfirmed)
        discardKeys(.handshake)
    }

    /// §10.2.2: the peer closed; we enter the draining state for three PTOs and send nothing.
    func receiveConnectionClose(code: UInt64, frameType: UInt64?, reason: [UInt8], now: Double) {
        let text = String(decoding: reason, as: UTF8.self)
        // 0x1c carries a transport error code; 0x1d (no frame type) the application's own code,
        // which is not a transport error and is named as what it is (§19.19).
        let error = frameType == nil
            ? QUICError(.applicationError, "application error \(code)\(text.isEmpty ? "" : ": " + text)", fromPeer: true)
            : QUICError(TransportErrorCode(rawValue: code), text, frameType: frameType ?? 0, fromPeer: true)
        let clean = code == 0
        closeError = clean ? nil : error
        closeReason = .peerClose
        state = .draining(until: now + 3 * rtt.probeTimeout(maxAckDelay: 0))
        observer?(.closed(clean ? nil : error, how: .peerClose))
    }

    /// §5.1.1: more connection IDs for the peer; we keep them (we use one at a time) up to our
    /// active_connection_id_limit.
    func receiveNewConnectionID(sequence: UInt64, retirePriorTo: UInt64, id: [UInt8]) throws {
        // §19.15: "An endpoint that is sending packets with a zero-length Destination Connection
        // ID MUST treat receipt of a NEW_CONNECTION_ID frame as a connection error of type
        // PROTOCOL_VIOLATION."
        guard !destinationConnectionID.isEmpty else {
            throw QUICError(.protocolViolation, "NEW_CONNECTION_ID while the peer uses a zero-length connection ID", frameType: 0x18)
        }
        // §19.15: retire_prior_to greater than the sequence number is FRAME_ENCODING_ERROR.
        guard retirePriorTo <= sequence else {
            throw QUICError(.frameEncodingError, "Retire Prior To \(retirePriorTo) above Sequence Number \(sequence)", frameType: 0x18)
        }
        if let known = peerConnectionIDs[sequence] {
            // §19.15: the same sequence number with a different ID is PROTOCOL_VIOLATION.
            guard known == id else { throw QUICError(.protocolViolation, "sequence \(sequence) reused for another ID", frameType: 0x18) }
            return
        }
        guard sequence >= retirePriorToSeen else { retireConnectionIDs.append(sequence); return }
        peerConnectionIDs[sequence] = id
        if retirePriorTo > retirePriorToSeen {
            retirePriorToSeen = retirePriorTo
            for old in peerConnectionIDs.keys where old < retirePriorTo {
                peerConnectionIDs[old] = nil
                retireConnectionIDs.append(old)
            }
            if peerConnectionIDSequence < retirePriorTo, let next = peerConnectionIDs.keys.min(), let cid = peerConnectionIDs[next] {
                peerConnectionIDSequence = next
                destinationConnectionID = cid
            }
        }
        // §5.1.1: more active IDs than our limit is CONNECTION_ID_LIMIT_ERROR.
        guard UInt64(peerConnectionIDs.count) <= configuration.transportParameters.activeConnectionIDLimit else {
            throw QUICError(.connectionIDLimitError, "\(peerConnectionIDs.count) active connection IDs, our limit is \(configuration.transportParameters.activeConnectionIDLimit)", frameType: 0x18)
        }
    }

    // MARK: Retry and Version Negotiation

    /// §17.2.5.2: a client accepts one Retry, only before it has received any other packet
    /// from the server, and only with a valid integrity tag (RFC 9001 §5.8); it then starts
    /// again towards the Retry's Source Connection ID, with the token in every Initial.
    func receiveRetry(_ header: PacketHeader) throws {
        guard side == .client, retrySourceConnectionID == nil, serverInitialSourceConnectionID == nil else {
            observer?(.packetDropped(bytes: header.bytes, reason: "a Retry after the first (or after the server's Initial) is discarded (RFC 9000 §17.2.5.2)"))
            return
        }
        let valid = RetryIntegrity.isValid(retry: header.bytes, originalDestinationConnectionID: originalDestinationConnectionID)
        observer?(.retry(.received, header: header, originalDestinationConnectionID: originalDestinationConnectionID,
                         integrityTag: Array(header.bytes.suffix(RetryIntegrity.tagLength)), tagValid: valid))
        // RFC 9001 §5.8: "A client MUST discard a Retry packet [with an invalid tag]";
        // §17.2.5.2: and one with an empty token, and "A client MUST discard a Retry packet that
        // contains a Source Connection ID field that is identical to the Destination Connection
        // ID field of its Initial packet."
        guard valid, !header.token.isEmpty, header.sourceConnectionID != originalDestinationConnectionID else { return }
        retrySourceConnectionID = header.sourceConnectionID
        retryToken = header.token
        destinationConnectionID = header.sourceConnectionID
        // The ClientHello goes again, in new Initial packets under keys from the new ID; the
        // old Initial packets are forgotten (RFC 9002 §6.3: they are not lost, just discarded).
        congestion.discard(spaces[0].sent.values)
        spaces[0].sent = [:]
        spaces[0].cryptoSend.restart()
        try installInitialKeys(destinationConnectionID: header.sourceConnectionID)
        pumpTLS(now: lastActivity)
    }

    /// RFC 9000 §6.2: a client that receives a Version Negotiation packet listing the version it
    /// chose MUST ignore it; otherwise there is no version in common.
    func receiveVersionNegotiation(_ header: PacketHeader) throws {
        guard side == .client, serverInitialSourceConnectionID == nil,
              header.destinationConnectionID == sourceConnectionID else {
            observer?(.packetDropped(bytes: header.bytes, reason: "Version Negotiation not answering our first Initial"))
            return
        }
        guard !header.supportedVersions.contains(QUICVersion.v1) else {
            observer?(.packetDropped(bytes: header.bytes, reason: "Version Negotiation lists version 1, which we chose (RFC 9000 §6.2)"))
            return
        }
        let offered = header.supportedVersions.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
        closeError = QUICError(.noError, "no version in common: the server speaks \(offered)", fromPeer: true)
        closeReason = .peerClose
        state = .closed
        observer?(.closed(closeError, how: .peerClose))
    }

    /// §7.3: the connection IDs each side used in its packets, repeated in the transport
    /// parameters the handshake authenticates. A mismatch or an absence is a
    /// TRANSPORT_PARAMETER_ERROR (or PROTOCOL_VIOLATION for the missing ones).
    func authenticateConnectionIDs(_ p: TransportParameters) throws {
        func require(_ ok: Bool, _ code: TransportErrorCode, _ what: String) throws {
            let rule = "RFC 9000 §7.3: \"An endpoint MUST treat the absence of the initial_source_connection_id transport parameter from either endpoint or the absence of the original_destination_connection_id transport parameter from the server as a connection error of type TRANSPORT_PARAMETER_ERROR\" and a value that does not match \"as a connection error of type TRANSPORT_PARAMETER_ERROR\"."
            observer?(.check(what, passed: ok, rule: rule))
            guard ok else { throw QUICError(code, "\(what): no") }
        }
        let peerSource = side == .client ? serverInitialSourceConnectionID : peerConnectionIDs[0]
        try require(p.initialSourceConnectionID != nil && p.initialSourceConnectionID == peerSource, .transportParameterError,
                    "initial_source_connection_id matches the Source Connection ID of the peer's first packet (RFC 9000 §7.3)")
        guard side == .client else { return }
        try require(p.originalDestinationConnectionID == originalDestinationConnectionID, .transportParameterError,
                    "original_destination_connection_id is the Destination Connection ID of our first Initial (RFC 9000 §7.3)")
        try require(p.retrySourceConnectionID == retrySourceConnectionID, .transportParameterError,
                    retrySourceConnectionID == nil ? "no retry_source_connection_id, as there was no Retry (RFC 9000 §7.3)"
                                                   : "retry_source_connection_id is the Source Connection ID of the Retry (RFC 9000 §7.3)")
    }
}
