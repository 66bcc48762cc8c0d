import TLS13

/// A client and a server connection run against each other in memory, in the order of RFC 8448
/// §3: the handshake flight by flight (with the second ClientHello after a HelloRetryRequest, and
/// the server's NewSessionTicket, if it sends one), the
/// client's data, the server's data, the client's close_notify, the server's close_notify.
///
/// One thread, no sockets, no timing: the same inputs give the same events in the same order,
/// which is what reproducible transcripts and the RFC 8448 proof need.
public struct InMemoryExchange {
    public let client: TLSConnection
    public let server: TLSConnection
    /// Called for a side before it writes or reads, as `TLSSession.beforeNetwork` is on a
    /// socket (the trace printers flush there, so held-back text lands where a tool prints it).
    public var beforeNetwork: (Side) -> Void

    public init(client: TLSConnection, server: TLSConnection, beforeNetwork: @escaping (Side) -> Void = { _ in }) {
        self.client = client
        self.server = server
        self.beforeNetwork = beforeNetwork
    }

    /// What each side received. Throws the first TLSError either side raises.
    public func run(clientData: [UInt8], serverData: [UInt8]) throws -> (clientReceived: [UInt8], serverReceived: [UInt8]) {
        try client.start()
        try server.start()
        // ClientHello; the server's flight; the client's Finished; whatever the server sends
        // after the handshake (NewSessionTicket).
        try deliver(from: .client)
        try deliver(from: .server)
        if !client.isHandshakeComplete {
            // The server's flight was a HelloRetryRequest: the second ClientHello, the real flight.
            try deliver(from: .client)
            try deliver(from: .server)
        }
        try deliver(from: .client)
        try deliver(from: .server)
        guard client.isHandshakeComplete, server.isHandshakeComplete else {
            throw TLSError(.internalError, "the in-memory handshake did not complete")
        }
        // No data means no record (RFC 8448 §5 closes right after the handshake).
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

    private func deliver(from sender: Side) throws {
        let (from, to) = sender == .client ? (client, server) : (server, client)
        beforeNetwork(sender)
        let bytes = from.takeOutgoing()
        guard !bytes.isEmpty else { return }
        beforeNetwork(sender.peer)
        try to.receive(bytes)
    }
}
