import TLS13

/// A client and a server `TLSConnection` joined in memory: what one writes, the other reads.
/// One thread, no sockets, no clock, so the same configurations give the same bytes and the
/// same events in the same order every time. The tests of every layer, the fuzzer's seeds and
/// the committed transcripts all drive their connections through here.
///
/// Three ways to move bytes:
/// - `pump` takes both sides' flights, hands each to the peer, and repeats until neither side
///   has anything to say (after `start`, `send`, `updateKeys` or `close`); `handshake` starts
///   both sides and pumps.
/// - `deliver(from:)` moves one side's flight, for a script of who speaks when; `exchange` is
///   the script of RFC 8448 §3 (handshake, data both ways, close_notify both ways).
/// - `pumpQUICHandshake` moves RFC 9001's handshake data level by level instead of records,
///   the interface QUIC uses, without QUIC.
///
/// `onFlight` sees every flight on its way, to record the wire or to play the attacker on it;
/// `chunkSize` makes the reader take it in small pieces, down to one byte at a time.
public final class TLSLoopback {
    public let client: TLSConnection
    public let server: TLSConnection
    /// Each side reads what its peer wrote in pieces of this many bytes (1: one byte at a time):
    /// the state machines must not care where the network cuts the stream.
    public var chunkSize: Int
    /// Sees each non-empty flight (all a side wrote since it last sent) before the peer reads it,
    /// and returns what the peer reads: the same bytes to record the wire, others to tamper.
    public var onFlight: ((_ sender: Side, _ flight: [UInt8]) throws -> [UInt8])?
    /// Called for a side before it writes or reads, as `TLSSession.beforeNetwork` is on a socket
    /// (trace printers flush there, so held-back text lands where a tool would print it).
    public var beforeNetwork: (Side) -> Void

    public init(client: TLSConnection, server: TLSConnection, chunkSize: Int = .max,
                beforeNetwork: @escaping (Side) -> Void = { _ in }) {
        precondition(chunkSize > 0, "a side reads at least one byte at a time")
        self.client = client
        self.server = server
        self.chunkSize = chunkSize
        self.beforeNetwork = beforeNetwork
    }

    /// A new client and a new server with these configurations.
    public convenience init(client: TLSConfiguration, server: TLSConfiguration, chunkSize: Int = .max,
                            beforeNetwork: @escaping (Side) -> Void = { _ in }) {
        self.init(client: TLSConnection(side: .client, configuration: client),
                  server: TLSConnection(side: .server, configuration: server),
                  chunkSize: chunkSize, beforeNetwork: beforeNetwork)
    }

    public func connection(_ side: Side) -> TLSConnection { side == .client ? client : server }

    /// Starts both sides and pumps: the whole handshake, and what the server sends after it
    /// (NewSessionTicket). Rethrows the first error either side throws.
    public func handshake() throws {
        try client.start()
        try server.start()
        try pump()
    }

    /// Moves bytes both ways until both sides are quiet: each round takes both sides' flights
    /// first, then hands each to its peer. Rethrows the first error either side throws.
    public func pump() throws {
        while true {
            let fromClient = take(from: .client)
            let fromServer = take(from: .server)
            if fromClient.isEmpty && fromServer.isEmpty { return }
            let toServer = try onTheWire(fromClient, from: .client)
            let toClient = try onTheWire(fromServer, from: .server)
            try read(toServer, by: .server)
            try read(toClient, by: .client)
        }
    }

    /// One flight: what `sender` wrote, read by its peer. Whether there was anything to move.
    @discardableResult
    public func deliver(from sender: Side) throws -> Bool {
        let flight = take(from: sender)
        guard !flight.isEmpty else { return false }
        try read(try onTheWire(flight, from: sender), by: sender.peer)
        return true
    }

    /// RFC 9001 §4: the handshake bytes each side hands QUIC, level by level, read by its peer
    /// as CRYPTO data, until both are quiet; no record is written. `sent` sees each piece with
    /// the epoch of the key it travels under (nil: the Initial level, before any). Start both
    /// sides first.
    public func pumpQUICHandshake(_ sent: (_ sender: Side, _ epoch: TrafficEpoch?, _ bytes: [UInt8]) -> Void = { _, _, _ in }) throws {
        while true {
            let fromClient = client.takeQUICHandshakeData()
            let fromServer = server.takeQUICHandshakeData()
            if fromClient.isEmpty && fromServer.isEmpty { return }
            for (level, bytes) in fromClient {
                sent(.client, level, bytes)
                try server.receiveQUICHandshake(bytes)
            }
            for (level, bytes) in fromServer {
                sent(.server, level, bytes)
                try client.receiveQUICHandshake(bytes)
            }
        }
    }

    private func take(from sender: Side) -> [UInt8] {
        beforeNetwork(sender)
        return connection(sender).takeOutgoing()
    }

    private func onTheWire(_ flight: [UInt8], from sender: Side) throws -> [UInt8] {
        guard !flight.isEmpty, let onFlight else { return flight }
        return try onFlight(sender, flight)
    }

    private func read(_ bytes: [UInt8], by reader: Side) throws {
        guard !bytes.isEmpty else { return }
        beforeNetwork(reader)
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            try connection(reader).receive(Array(bytes[start..<start + min(chunkSize, bytes.count - start)]))
        }
    }
}

extension TLSLoopback {
    /// The conversation of RFC 8448 §3, in its order: ClientHello; the server's flight (after a
    /// HelloRetryRequest, the second ClientHello and the real flight); the client's Finished;
    /// what the server sends after the handshake (NewSessionTicket); the client's data, the
    /// server's data (no data, no record: §5 closes right after the handshake); the client's
    /// close_notify, the server's. What each side received; throws the first TLSError either
    /// side raises, and an internal_error when the handshake or the closing does not complete.
    public func exchange(clientData: [UInt8], serverData: [UInt8]) throws -> (clientReceived: [UInt8], serverReceived: [UInt8]) {
        try client.start()
        try server.start()
        try deliver(from: .client)
        try deliver(from: .server)
        if !client.isHandshakeComplete {
            try deliver(from: .client)
            try deliver(from: .server)
        }
        try deliver(from: .client)
        try deliver(from: .server)
        guard client.isHandshakeComplete, server.isHandshakeComplete else {
            throw TLSError(.internalError, "the in-memory handshake did not complete")
        }
        if !clientData.isEmpty {
            try client.send(clientData)
            try deliver(from: .client)
        }
        if !serverData.isEmpty {
            try server.send(serverData)
            try deliver(from: .server)
        }
        client.close()
        try deliver(from: .client)
        server.close()
        try deliver(from: .server)
        beforeNetwork(.client)
        beforeNetwork(.server)
        guard client.peerClosed, server.peerClosed else {
            throw TLSError(.internalError, "the in-memory exchange did not end with close_notify both ways")
        }
        return (client.takeApplicationData(), server.takeApplicationData())
    }
}
