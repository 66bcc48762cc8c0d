import TLS13
import TLSCrypto

/// A QUIC server's UDP port, sans I/O: it routes each datagram to its connection by
/// Destination Connection ID (RFC 9000 §5.2), makes connections for new clients' Initial
/// packets, answers unknown versions (§6) and, with `requireRetry`, makes each new client prove
/// its address with a Retry first (§8.1.2). Addresses are opaque bytes to it (the tool passes
/// the socket address).
public final class QUICServerEndpoint {
    public let configuration: QUICConfiguration
    public var requireRetry: Bool
    /// The key of our Retry tokens' MAC.
    let tokenKey: [UInt8]
    /// Milliseconds for token lifetimes (a fixed clock in deterministic runs).
    public var clock: () -> UInt64
    /// Events, with the number of the connection they belong to (0: no connection).
    public var observer: ((Int, QUICEvent) -> Void)?
    /// Called for each new connection, before its first packet is processed.
    public var onNewConnection: ((Int, QUICConnection) -> Void)?
    /// At most this many connections at once; more Initials are dropped.
    public var connectionLimit = 256

    struct Entry {
        let connection: QUICConnection
        var address: [UInt8]
        let connectionIDs: [[UInt8]]
    }
    var connections: [Int: Entry] = [:]
    var routes: [[UInt8]: Int] = [:]
    var outbox: [(datagram: [UInt8], address: [UInt8])] = []
    var nextNumber = 1

    public init(configuration: QUICConfiguration, requireRetry: Bool, clock: @escaping () -> UInt64) throws {
        self.configuration = configuration
        self.requireRetry = requireRetry
        self.clock = clock
        self.tokenKey = try configuration.tls.random.bytes(32)
    }

    public var connectionCount: Int { connections.count }
    public func connection(_ number: Int) -> QUICConnection? { connections[number]?.connection }
    public var connectionNumbers: [Int] { connections.keys.sorted() }

    public func receive(datagram: [UInt8], from address: [UInt8], now: Double) {
        let header: PacketHeader
        do {
            header = try PacketHeader.parse(datagram, at: 0, shortHeaderConnectionIDLength: configuration.connectionIDLength)
        } catch {
            observer?(0, .packetDropped(bytes: datagram, reason: "\(error)"))
            return
        }
        if let number = routes[header.destinationConnectionID], var entry = connections[number] {
            entry.address = address   // §9: we do not validate new paths; the latest address answers
            connections[number] = entry
            entry.connection.receive(datagram: datagram, now: now)
            return
        }
        func drop(_ reason: String) { observer?(0, .packetDropped(bytes: datagram, reason: reason)) }
        guard header.isLongHeader else { return drop("a short header packet for no connection of ours") }
        guard header.version == QUICVersion.v1 else {
            // §6.1: a Version Negotiation answers only a datagram big enough to have been an
            // Initial ("a server MUST discard packets ... [smaller than 1200 bytes]" otherwise).
            guard datagram.count >= 1200 else { return drop("unknown version in a datagram under 1200 bytes") }
            let reply = PacketBuilder.versionNegotiation(destinationConnectionID: header.sourceConnectionID,
                                                         sourceConnectionID: header.destinationConnectionID, unusedBits: 0x40)
            observer?(0, .datagram(.sent, reply))
            outbox.append((reply, address))
            return
        }
        guard header.type == .initial else { return drop("a \(header.type.rawValue) packet for no connection of ours") }
        // §14.1: "A server MUST discard an Initial packet that is carried in a UDP datagram with a
        // payload that is smaller than the smallest allowed maximum datagram size of 1200 bytes."
        guard datagram.count >= 1200 else { return drop("an Initial in a datagram of \(datagram.count) bytes, under 1200 (RFC 9000 §14.1)") }
        // §7.2: a client's first Destination Connection ID is at least 8 bytes.
        guard header.destinationConnectionID.count >= 8 else { return drop("a first Destination Connection ID under 8 bytes (RFC 9000 §7.2)") }
        guard connections.count < connectionLimit else { return drop("connection limit reached") }
        var originalDCID = header.destinationConnectionID
        var retrySCID: [UInt8]?
        if requireRetry {
            guard !header.token.isEmpty else { return sendRetry(for: header, datagram: datagram, to: address) }
            do {
                let token = try AddressValidationToken(opening: header.token, key: tokenKey, address: address, nowMilliseconds: clock())
                guard token.retrySourceConnectionID == header.destinationConnectionID else { throw AddressValidationToken.Failure.malformed }
                originalDCID = token.originalDestinationConnectionID
                retrySCID = token.retrySourceConnectionID
                observer?(0, .check("the Initial's token is ours, for this address, and fresh (RFC 9000 §8.1.3)", passed: true, rule: Self.tokenRule))
            } catch {
                observer?(0, .check("the Initial's token is ours, for this address, and fresh (RFC 9000 §8.1.3): \(error)", passed: false, rule: Self.tokenRule))
                return refuseToken(header, datagram: datagram, address: address)
            }
        }
        let connection: QUICConnection
        do {
            connection = try QUICConnection(server: configuration, initial: header, originalDestinationConnectionID: originalDCID,
                                            retrySourceConnectionID: retrySCID, now: now)
        } catch {
            return drop("cannot start a connection: \(error)")
        }
        let number = nextNumber
        nextNumber += 1
        let ids = [connection.sourceConnectionID, header.destinationConnectionID]
        connections[number] = Entry(connection: connection, address: address, connectionIDs: ids)
        for id in ids { routes[id] = number }
        connection.observer = { [weak self] event in self?.observer?(number, event) }
        onNewConnection?(number, connection)
        connection.receive(datagram: datagram, now: now)
    }

    static let retryRule = "RFC 9000 §8.1.2: \"Upon receiving the client's Initial packet, the server can request address validation by sending a Retry packet (Section 17.2.5) containing a token.\" This server keeps nothing until the client's next Initial brings the token back."
    static let tokenRule = "RFC 9000 §8.1.3: \"If a server receives a client Initial that contains an invalid Retry token but is otherwise valid, ... the server SHOULD immediately close the connection with an INVALID_TOKEN error.\""

    /// §8.1.2: a Retry with a token and a new connection ID; no state is kept (the token holds
    /// what the server needs to remember).
    func sendRetry(for header: PacketHeader, datagram: [UInt8], to address: [UInt8]) {
        // The Initial that asked is reported too, so a trace or page starts where the client did.
        observer?(0, .datagram(.received, datagram))
        observer?(0, .check("the client's Initial carries an address-validation token (RFC 9000 §8.1.2)", passed: false, rule: Self.retryRule))
        guard let newID = try? configuration.tls.random.bytes(configuration.connectionIDLength) else { return }
        let token = AddressValidationToken(issuedMilliseconds: clock(), originalDestinationConnectionID: header.destinationConnectionID,
                                           retrySourceConnectionID: newID).sealed(key: tokenKey, address: address)
        guard let retry = try? PacketBuilder.retry(destinationConnectionID: header.sourceConnectionID, sourceConnectionID: newID,
                                                   token: token, originalDestinationConnectionID: header.destinationConnectionID),
              let parsed = try? PacketHeader.parse(retry, at: 0, shortHeaderConnectionIDLength: 0) else { return }
        observer?(0, .retry(.sent, header: parsed, originalDestinationConnectionID: header.destinationConnectionID,
                            integrityTag: Array(retry.suffix(RetryIntegrity.tagLength)), tagValid: true))
        observer?(0, .datagram(.sent, retry))
        outbox.append((retry, address))
    }

    /// §8.1.3: an Initial with a bad token gets CONNECTION_CLOSE (INVALID_TOKEN) in an Initial
    /// packet under the keys of its own Destination Connection ID; nothing is kept.
    func refuseToken(_ header: PacketHeader, datagram: [UInt8], address: [UInt8]) {
        guard let secrets = try? InitialSecrets(destinationConnectionID: header.destinationConnectionID),
              let scid = try? configuration.tls.random.bytes(configuration.connectionIDLength) else { return }
        let frame = Frame.connectionClose(errorCode: TransportErrorCode.invalidToken.rawValue, frameType: 0x00,
                                          reason: Array("invalid address validation token".utf8))
        let payload = frame.encoded
        let built = PacketBuilder.longHeader(type: .initial, destinationConnectionID: header.sourceConnectionID, sourceConnectionID: scid,
                                             packetNumber: 0, packetNumberLength: 2, payloadLength: payload.count)
        guard let (packet, _) = try? PacketProtection.protect(header: built.header, packetNumberOffset: built.packetNumberOffset,
                                                              packetNumber: 0, payload: payload, keys: secrets.serverKeys) else { return }
        observer?(0, .datagram(.sent, packet))
        outbox.append((packet, address))
    }

    /// Everything to send now, with its address; closed connections are forgotten.
    public func takeDatagrams(now: Double) -> [(datagram: [UInt8], address: [UInt8])] {
        var out = outbox
        outbox = []
        for number in connections.keys.sorted() {
            guard let entry = connections[number] else { continue }
            out += entry.connection.takeDatagrams(now: now).map { ($0, entry.address) }
            if entry.connection.isClosed { forget(number) }
        }
        return out
    }

    public var nextTimeout: Double? { connections.values.compactMap(\.connection.nextTimeout).min() }

    public func handleTimeouts(now: Double) {
        for (number, entry) in connections {
            if let deadline = entry.connection.nextTimeout, deadline <= now { entry.connection.handleTimeout(now: now) }
            if entry.connection.isClosed { forget(number) }
        }
    }

    func forget(_ number: Int) {
        guard let entry = connections.removeValue(forKey: number) else { return }
        for id in entry.connectionIDs where routes[id] == number { routes[id] = nil }
    }
}
