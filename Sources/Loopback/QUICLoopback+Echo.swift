import QUIC

/// The client's side of the echo, two ways.
extension QUICLoopback {
    /// What quic-client does with one line: opens a stream in the first step it may, sends
    /// `message` with FIN, reads the echo (each piece to `reading`), and once the echo's FIN is
    /// in and all it sent is acknowledged, closes with `close` (by default NO_ERROR). Runs until
    /// both ends are gone; whether the echo came back whole.
    public func echoThenClose(_ message: [UInt8],
                              close: @escaping (QUICConnection, _ now: Double) -> Void = { $0.close(now: $1) },
                              reading: @escaping (StreamChunk) -> Void = { _ in }) -> Bool {
        var stream: UInt64?
        var echoed = false
        clientApplication = { loopback, read in
            let client = loopback.client
            if stream == nil, let id = client.openStream() {
                stream = id
                client.send(stream: id, data: message, fin: true)
            }
            for chunk in read where chunk.fin || !chunk.data.isEmpty {
                reading(chunk)
                echoed = echoed || chunk.fin
            }
            if echoed && client.isEstablished && client.allStreamDataAcknowledged { close(client, loopback.now) }
        }
        defer { clientApplication = nil }
        run { client.isClosed && server.connectionCount == 0 }
        return echoed
    }

    /// Runs until the handshake is done, opens a stream, sends `data` with FIN and runs until
    /// the echo's FIN (or `limit` seconds): the stream and what came back on it, or no stream
    /// when the handshake did not complete.
    public func echoRoundTrip(_ data: [UInt8], limit: Double = 60) -> (stream: UInt64?, echo: [UInt8]) {
        guard run(limit: limit, until: { client.isEstablished }), let id = client.openStream() else { return (nil, []) }
        client.send(stream: id, data: data, fin: true)
        run(limit: limit) { finished.contains(id) }
        return (id, received[id] ?? [])
    }
}
