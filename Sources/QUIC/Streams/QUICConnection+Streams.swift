/// One stream's state (RFC 9000 §2, §3): its two directions and their flow-control limits (§4).
struct StreamState {
    let id: UInt64
    var send = SendBuffer()
    var receive = ReceiveBuffer()
    /// §4.1: the peer's limit on what we send on this stream, and ours on what it sends.
    var sendLimit: UInt64
    var receiveLimit: UInt64
    var receiveWindow: UInt64
    var maxStreamDataPending = false
    /// §4.5: the final size, once known (FIN or RESET_STREAM).
    var finalSize: UInt64?
    var finDelivered = false
    var resetReceived = false

    var isDone: Bool { (finDelivered || resetReceived) && (send.isFullyAcknowledged || isReceiveOnly) }
    var isReceiveOnly = false
}

/// A piece of a stream handed to the application, in order.
public struct StreamChunk: Sendable, Hashable {
    public var streamID: UInt64
    public var data: [UInt8]
    public var fin: Bool
}

/// Streams (RFC 9000 §2–§3) and flow control (§4) for the application.
extension QUICConnection {
    /// §2.1: bit 0 of a stream ID says who opened it (0 client, 1 server), bit 1 whether it is
    /// unidirectional.
    static func isBidirectional(_ id: UInt64) -> Bool { id & 0x2 == 0 }
    func isLocallyInitiated(_ id: UInt64) -> Bool { (id & 0x1 == 0) == (side == .client) }

    func initialSendLimit(for id: UInt64) -> UInt64 {
        guard let p = peerTransportParameters else { return 0 }
        // §18.2: the peer's "bidi_local" limit applies to streams it opened, "bidi_remote" to ours.
        return isLocallyInitiated(id) ? p.initialMaxStreamDataBidiRemote : p.initialMaxStreamDataBidiLocal
    }

    func newStream(_ id: UInt64) -> StreamState {
        let ours = configuration.transportParameters
        let window = isLocallyInitiated(id) ? ours.initialMaxStreamDataBidiLocal : ours.initialMaxStreamDataBidiRemote
        return StreamState(id: id, sendLimit: initialSendLimit(for: id), receiveLimit: window, receiveWindow: window)
    }

    /// Opens a bidirectional stream, or nil while the peer's MAX_STREAMS does not allow another
    /// (§4.6) or the handshake has not completed.
    public func openStream() -> UInt64? {
        guard state == .established, nextLocalBidiStream / 4 < peerMaxStreamsBidi else { return nil }
        let id = nextLocalBidiStream
        nextLocalBidiStream += 4
        streams[id] = newStream(id)
        return id
    }

    /// Whether `openStream` would give a stream now.
    public var canOpenStream: Bool { state == .established && nextLocalBidiStream / 4 < peerMaxStreamsBidi }

    /// Queues data (and the FIN) on a stream we may send on.
    public func send(stream id: UInt64, data: [UInt8], fin: Bool = false) {
        guard streams[id] != nil, streams[id]?.send.finOffset == nil else { return }
        if !data.isEmpty { streams[id]?.send.write(data) }
        if fin { streams[id]?.send.finish() }
    }

    /// Stream data that arrived, in order per stream.
    public func takeStreamData() -> [StreamChunk] {
        defer { incoming = [] }
        return incoming
    }

    /// Whether everything we wrote on every stream has been acknowledged.
    public var allStreamDataAcknowledged: Bool {
        streams.values.allSatisfy { $0.send.isFullyAcknowledged || ($0.send.writtenOffset == 0 && $0.send.finOffset == nil) }
    }

    func receiveStream(id: UInt64, offset: UInt64, data: [UInt8], fin: Bool) throws {
        guard var stream = try stream(forPeerFrame: id, frameType: 0x08) else { return }
        let end = offset + UInt64(data.count)
        // §4.5: "Once a final size for a stream is known, it cannot change. If a RESET_STREAM or
        // STREAM frame is received indicating a change in the final size for the stream, an
        // endpoint SHOULD respond with an error of type FINAL_SIZE_ERROR"; data past it too.
        if let known = stream.finalSize, (fin && end != known) || end > known {
            throw QUICError(.finalSizeError, "stream \(id): data to \(end), final size \(known)", frameType: 0x08)
        }
        if fin {
            guard end >= stream.receive.highestOffset else {
                throw QUICError(.finalSizeError, "stream \(id): FIN at \(end) below data already received to \(stream.receive.highestOffset)", frameType: 0x08)
            }
            stream.finalSize = end
        }
        // §4.1: "A receiver MUST close the connection with an error of type FLOW_CONTROL_ERROR if
        // the sender violates the advertised connection or stream data limits."
        guard end <= stream.receiveLimit else {
            throw QUICError(.flowControlError, "stream \(id): data to offset \(end), limit \(stream.receiveLimit)", frameType: 0x08)
        }
        let before = stream.receive.highestOffset
        let ready = stream.receive.insert(offset: offset, data: data)
        dataReceivedTotal += stream.receive.highestOffset - before
        guard dataReceivedTotal <= maxDataAdvertised else {
            throw QUICError(.flowControlError, "\(dataReceivedTotal) bytes on all streams, MAX_DATA \(maxDataAdvertised)", frameType: 0x08)
        }
        let finNow = stream.finalSize != nil && stream.receive.deliveredOffset == stream.finalSize && !stream.finDelivered
        if finNow { stream.finDelivered = true }
        if !ready.isEmpty || finNow {
            incoming.append(StreamChunk(streamID: id, data: ready, fin: finNow))
            // The application takes data as it arrives, so delivered data is consumed: the
            // windows slide (§4.2), announced once half of one is used.
            dataConsumed += UInt64(ready.count)
            if stream.finalSize == nil, stream.receiveLimit - stream.receive.deliveredOffset < stream.receiveWindow / 2 {
                stream.receiveLimit = stream.receive.deliveredOffset + stream.receiveWindow
                stream.maxStreamDataPending = true
            }
            let window = configuration.transportParameters.initialMaxData
            if maxDataAdvertised - dataConsumed < window / 2 {
                maxDataAdvertised = dataConsumed + window
                maxDataPending = true
            }
        }
        streams[id] = stream
        closeStreamIfDone(id)
    }

    /// The stream a peer's frame names, opened if the peer may open it; nil for a stream that
    /// is already finished and forgotten. Throws the errors §19.8 and §4.6 name.
    func stream(forPeerFrame id: UInt64, frameType: UInt64, receiving: Bool = true) throws -> StreamState? {
        if let existing = streams[id] { return existing }
        if isLocallyInitiated(id) {
            // §19.8: a STREAM frame for a locally initiated stream not yet created is
            // STREAM_STATE_ERROR (we never open unidirectional streams).
            guard id < nextLocalBidiStream, Self.isBidirectional(id) else {
                throw QUICError(.streamStateError, "stream \(id) is ours and was never opened", frameType: frameType)
            }
            return nil
        }
        // §4.6: "Endpoints MUST NOT exceed the limit set by their peer. An endpoint that receives a
        // frame with a stream ID exceeding the limit it has sent MUST treat this as a connection
        // error of type STREAM_LIMIT_ERROR."
        let limit = Self.isBidirectional(id) ? maxStreamsBidiAdvertised : configuration.transportParameters.initialMaxStreamsUni
        guard id / 4 < limit else {
            throw QUICError(.streamLimitError, "stream \(id) is beyond the \(limit) \(Self.isBidirectional(id) ? "bidirectional" : "unidirectional") streams allowed", frameType: frameType)
        }
        if id / 4 < peerStreamsSeen { return nil }   // opened before, finished and forgotten
        // §3.2: opening a stream opens every lower-numbered stream of its type.
        for lower in stride(from: id % 4 + peerStreamsSeen * 4, through: id, by: 4) where streams[lower] == nil {
            streams[lower] = newStream(lower)
        }
        peerStreamsSeen = id / 4 + 1
        return streams[id]
    }

    func receiveResetStream(id: UInt64, errorCode: UInt64, finalSize: UInt64) throws {
        guard var stream = try stream(forPeerFrame: id, frameType: 0x04) else { return }
        if let known = stream.finalSize, known != finalSize {
            throw QUICError(.finalSizeError, "stream \(id): RESET_STREAM final size \(finalSize), known \(known)", frameType: 0x04)
        }
        stream.finalSize = finalSize
        stream.resetReceived = true
        streams[id] = stream
        incoming.append(StreamChunk(streamID: id, data: [], fin: true))
    }

    func receiveStopSending(id: UInt64) throws {
        guard try stream(forPeerFrame: id, frameType: 0x05, receiving: false) != nil else { return }
        // §3.5: answer with RESET_STREAM; nothing more is sent on the stream.
        let size = streams[id]?.send.writtenOffset ?? 0
        spaces[2].controlRetransmit.append(.resetStream(streamID: id, errorCode: 0, finalSize: size))
        streams[id]?.send = SendBuffer()
        streams[id]?.send.finish()
        streams[id]?.isReceiveOnly = true
    }

    func receiveMaxStreamData(id: UInt64, maximum: UInt64) throws {
        guard try stream(forPeerFrame: id, frameType: 0x11, receiving: false) != nil else { return }
        let current = streams[id]?.sendLimit ?? 0
        streams[id]?.sendLimit = max(current, maximum)
    }

    /// A stream finished both ways is forgotten; a peer's stream frees a slot (MAX_STREAMS).
    func closeStreamIfDone(_ id: UInt64) {
        guard let stream = streams[id], stream.isDone else { return }
        streams[id] = nil
        if !isLocallyInitiated(id) && Self.isBidirectional(id) {
            peerBidiStreamsClosed += 1
            let limit = peerBidiStreamsClosed + configuration.transportParameters.initialMaxStreamsBidi
            if limit - maxStreamsBidiAdvertised >= configuration.transportParameters.initialMaxStreamsBidi / 2 {
                maxStreamsBidiAdvertised = limit
                maxStreamsPending = true
            }
        }
    }
}
