import Foundation
import TLS13
import TLSCrypto

/// One QUIC v1 connection (RFC 9000), sans I/O: datagrams in (`receive`), datagrams out
/// (`takeDatagrams`), timers (`nextTimeout`, `handleTimeout`), streams for the application.
/// The TLS 1.3 handshake runs inside, in CRYPTO frames (RFC 9001), on the same engine as TLS
/// over TCP. Times are seconds on the caller's monotonic clock.
///
/// The files of this folder follow a packet's life: receiving (this file and
/// +Frames), sending (+Sending), acknowledgements, loss and timers (+Recovery), streams and
/// flow control (+Streams), keys (+Keys).
public final class QUICConnection {
    public let side: Side
    let configuration: QUICConfiguration
    public let tls: TLSConnection
    private let tlsEvents = TLSEventQueue()
    public var observer: QUICObserver?

    var spaces = [PacketNumberSpaceState](repeating: PacketNumberSpaceState(), count: 3)

    /// RFC 9000 §5.1, §7.2: our connection ID, and the peer's we send to.
    public private(set) var sourceConnectionID: [UInt8]
    public internal(set) var destinationConnectionID: [UInt8]
    /// The Destination Connection ID of the client's first Initial (for the §7.3 check and
    /// the Retry integrity tag).
    public let originalDestinationConnectionID: [UInt8]
    /// Client: the Source Connection ID of the Retry it followed. Server: the one it chose.
    var retrySourceConnectionID: [UInt8]?
    /// Client: the token from a Retry, echoed in every later Initial (§17.2.5.2).
    var retryToken: [UInt8] = []
    /// Client: the server's Source Connection ID in its first Initial (§7.2).
    var serverInitialSourceConnectionID: [UInt8]?
    public private(set) var peerTransportParameters: TransportParameters?

    var rtt = RTTEstimator()
    var congestion = CongestionController()
    var ptoCount = 0
    /// Probe packets owed after a probe timeout (RFC 9002 §6.2.4), per level.
    var probesOwed: [EncryptionLevel: Int] = [:]
    var lastActivity: Double

    enum State: Equatable { case handshaking, established, closing(until: Double), draining(until: Double), closed }
    var state = State.handshaking
    public internal(set) var handshakeConfirmed = false
    /// Why the connection ended (nil: closed cleanly with NO_ERROR, or still open).
    public internal(set) var closeError: QUICError?
    public internal(set) var closeReason: QUICEvent.CloseReason?
    /// The CONNECTION_CLOSE frame we owe the peer (sent once, then again for each packet that
    /// arrives while closing, §10.2.1).
    var closeFrame: Frame?
    var closeFramePending = false

    /// §8.1: before the peer's address is validated a server sends at most three times what it
    /// received. A client's address counts as validated for the client itself.
    var addressValidated: Bool
    public private(set) var bytesReceived = 0
    public internal(set) var bytesSent = 0

    // Streams and flow control (+Streams).
    var streams: [UInt64: StreamState] = [:]
    var incoming: [StreamChunk] = []
    var nextLocalBidiStream: UInt64
    var peerMaxStreamsBidi: UInt64 = 0
    var peerMaxData: UInt64 = 0
    var newDataSent: UInt64 = 0
    var maxDataAdvertised: UInt64
    var dataReceivedTotal: UInt64 = 0
    var dataConsumed: UInt64 = 0
    var maxStreamsBidiAdvertised: UInt64
    var peerBidiStreamsClosed: UInt64 = 0
    /// How many of the peer's bidirectional streams have been opened (the next is this × 4 + 1 or + 0).
    var peerStreamsSeen: UInt64 = 0
    var maxDataPending = false
    var maxStreamsPending = false
    var handshakeDonePending = false
    var pathResponses: [[UInt8]] = []

    /// §5.1.1: the peer's connection IDs by sequence number, and the one in use.
    var peerConnectionIDs: [UInt64: [UInt8]] = [:]
    var peerConnectionIDSequence: UInt64 = 0
    var retireConnectionIDs: [UInt64] = []
    var retirePriorToSeen: UInt64 = 0

    // Key update (+Keys).
    var keyPhase = false
    var previousReceiveKeys: PacketKeys?
    var firstPacketNumberOfPhase: UInt64 = 0
    var keyUpdateInFlight = false
    /// Handshake packets that arrived before their keys (a lost ServerHello); opened later.
    var undecryptable: [(header: PacketHeader, level: EncryptionLevel)] = []
    var pendingInitialSecrets: InitialSecrets?

    /// Client: a connection to a server.
    public convenience init(client configuration: QUICConfiguration, now: Double) throws {
        let random = configuration.tls.random
        // §7.2: "the client populates the Destination Connection ID field with an unpredictable
        // value. This Destination Connection ID MUST be at least 8 bytes in length."
        let dcid = try random.bytes(8)
        try self.init(side: .client, configuration, sourceConnectionID: random.bytes(configuration.connectionIDLength),
                      destinationConnectionID: dcid, originalDestinationConnectionID: dcid, retrySourceConnectionID: nil,
                      addressValidated: true, now: now)
        try installInitialKeys(destinationConnectionID: dcid)
        // The ClientHello is built now; its events reach the observer with the first datagram.
        try tls.start()
    }

    /// Server: a connection for a client's first Initial, made by `QUICServerEndpoint`.
    convenience init(server configuration: QUICConfiguration, initial header: PacketHeader, originalDestinationConnectionID: [UInt8],
                     retrySourceConnectionID: [UInt8]?, now: Double) throws {
        // §8.1.2: a valid Retry token validates the address.
        try self.init(side: .server, configuration, sourceConnectionID: configuration.tls.random.bytes(configuration.connectionIDLength),
                      destinationConnectionID: header.sourceConnectionID, originalDestinationConnectionID: originalDestinationConnectionID,
                      retrySourceConnectionID: retrySourceConnectionID, addressValidated: retrySourceConnectionID != nil, now: now)
        peerConnectionIDs[0] = header.sourceConnectionID
        try installInitialKeys(destinationConnectionID: header.destinationConnectionID)
        try tls.start()
    }

    /// What both sides set alike: the connection IDs, our flow-control limits as we announce
    /// them, and the TLS engine configured for QUIC, carrying our transport parameters (§18.2:
    /// a server's also name the client's original and Retry connection IDs).
    private init(side: Side, _ configuration: QUICConfiguration, sourceConnectionID: [UInt8], destinationConnectionID: [UInt8],
                 originalDestinationConnectionID: [UInt8], retrySourceConnectionID: [UInt8]?, addressValidated: Bool, now: Double) {
        self.side = side
        self.configuration = configuration
        self.sourceConnectionID = sourceConnectionID
        self.destinationConnectionID = destinationConnectionID
        self.originalDestinationConnectionID = originalDestinationConnectionID
        self.retrySourceConnectionID = retrySourceConnectionID
        self.addressValidated = addressValidated
        lastActivity = now
        // §2.1: the client's streams are 0, 4, 8...; the server's 1, 5, 9...
        nextLocalBidiStream = side == .client ? 0 : 1
        maxDataAdvertised = configuration.transportParameters.initialMaxData
        maxStreamsBidiAdvertised = configuration.transportParameters.initialMaxStreamsBidi
        var parameters = configuration.transportParameters
        parameters.initialSourceConnectionID = sourceConnectionID
        if side == .server {
            parameters.originalDestinationConnectionID = originalDestinationConnectionID
            parameters.retrySourceConnectionID = retrySourceConnectionID
        }
        tls = TLSConnection(side: side, configuration: Self.tlsConfiguration(configuration, parameters, tlsEvents))
    }

    static func tlsConfiguration(_ configuration: QUICConfiguration, _ parameters: TransportParameters,
                                 _ queue: TLSEventQueue) -> TLSConfiguration {
        var tls = configuration.tls
        tls.quicTransportParameters = parameters.encoded
        // RFC 9001 §8.4: no middlebox compatibility mode.
        tls.middleboxCompatibility = false
        tls.observer = queue.observer
        return tls
    }

    /// RFC 9001 §5.2.
    func installInitialKeys(destinationConnectionID dcid: [UInt8]) throws {
        let secrets = try InitialSecrets(destinationConnectionID: dcid)
        spaces[0].sendKeys = secrets.keys(for: side)
        spaces[0].receiveKeys = secrets.keys(for: side.peer)
        // Reported at the next pumpTLS: the observer is installed after init.
        pendingInitialSecrets = secrets
    }

    public var isEstablished: Bool { state == .established }
    public var isClosed: Bool { state == .closed }
    public var isDraining: Bool { if case .draining = state { true } else { false } }
    public var isClosing: Bool { if case .closing = state { true } else { false } }

    // MARK: Receiving

    /// One UDP datagram from the peer: every coalesced packet in it (RFC 9000 §12.2).
    public func receive(datagram: [UInt8], now: Double) {
        guard state != .closed else { return }
        bytesReceived += datagram.count
        observer?(.datagram(.received, datagram))
        if case .draining = state { return }
        if case .closing = state {
            // §10.2.1: answer packets with the CONNECTION_CLOSE again (not every one: at most
            // once per datagram received).
            closeFramePending = true
            return
        }
        lastActivity = now
        pumpTLS(now: now)
        var offset = 0
        while offset < datagram.count {
            let header: PacketHeader
            do {
                header = try PacketHeader.parse(datagram, at: offset, shortHeaderConnectionIDLength: sourceConnectionID.count)
            } catch {
                observer?(.packetDropped(bytes: Array(datagram[offset...]), reason: "\(error)"))
                return
            }
            offset += header.bytes.count
            do {
                try receive(packet: header, now: now)
            } catch let error as QUICError {
                close(error)
                return
            } catch let error as TLSError {
                close(QUICError(.crypto(error.alert), error.reason))
                return
            } catch {
                close(QUICError(.internalError, "\(error)"))
                return
            }
            if state == .closed || isDraining { return }
        }
    }

    func receive(packet header: PacketHeader, now: Double) throws {
        let level: EncryptionLevel
        switch header.type {
        case .initial: level = .initial
        case .handshake: level = .handshake
        case .oneRTT: level = .application
        case .retry:
            try receiveRetry(header)
            return
        case .versionNegotiation:
            try receiveVersionNegotiation(header)
            return
        case .zeroRTT:
            observer?(.packetDropped(bytes: header.bytes, reason: "\(header.type.rawValue) packets are not used by this endpoint"))
            return
        }
        guard header.version == QUICVersion.v1 else {
            observer?(.packetDropped(bytes: header.bytes, reason: "version 0x\(String(header.version, radix: 16)) in a v1 connection"))
            return
        }
        // §12.2: "Senders MUST NOT coalesce QUIC packets with different connection IDs into a
        // single UDP datagram. Receivers SHOULD ignore any subsequent packets with a different
        // Destination Connection ID than the first packet in the datagram." We check against
        // ours (and, on a server, the client's chosen ID that its first Initials carry).
        let ours = header.destinationConnectionID == sourceConnectionID
            || (side == .server && header.type == .initial && !spaces[0].discarded)
        guard ours else {
            observer?(.packetDropped(bytes: header.bytes, reason: "Destination Connection ID is not ours"))
            return
        }
        if side == .client, header.type == .initial, !header.token.isEmpty {
            // §17.2.2: "clients that receive an Initial packet with a non-zero Token Length field
            // MUST either discard the packet or generate a connection error of type
            // PROTOCOL_VIOLATION."
            observer?(.packetDropped(bytes: header.bytes, reason: "a server Initial with a token (RFC 9000 §17.2.2)"))
            return
        }
        if side == .client, header.isLongHeader, let known = serverInitialSourceConnectionID, header.sourceConnectionID != known {
            // §7.2: "Once a client has received a valid Initial packet from the server, it MUST
            // discard any subsequent packet it receives on that connection with a different
            // Source Connection ID."
            observer?(.packetDropped(bytes: header.bytes, reason: "the server's Source Connection ID changed (RFC 9000 §7.2)"))
            return
        }
        if spaces[level.rawValue].discarded {
            observer?(.packetDropped(bytes: header.bytes, reason: "\(level.name) keys were discarded (RFC 9001 §4.9)"))
            return
        }
        guard spaces[level.rawValue].receiveKeys != nil else {
            // Keys not yet derived (the packet overtook the one that makes them): keep a few.
            if undecryptable.count < 8 { undecryptable.append((header, level)) }
            observer?(.packetDropped(bytes: header.bytes, reason: "no \(level.name) keys yet: kept to open later"))
            return
        }
        guard let opened = open(header, level: level) else { return }
        let (packetNumber, payload, trace, keyPhase) = opened
        // §17.2, §17.3.1: reserved bits MUST be 0 once protection is removed (PROTOCOL_VIOLATION).
        let reserved = trace.unprotectedHeader[0] & (header.isLongHeader ? 0x0c : 0x18)
        guard reserved == 0 else { throw QUICError(.protocolViolation, "reserved header bits are \(reserved), not 0") }
        guard spaces[level.rawValue].record(packetNumber) else {
            observer?(.packetDropped(bytes: header.bytes, reason: "packet number \(packetNumber) already received"))
            return
        }
        spaces[level.rawValue].largestReceivedTime = now
        let frames = try Frame.parseAll(payload)
        observer?(.packet(.received, PacketRecord(level: level, header: header, protectedBytes: header.bytes,
                                                  protection: trace, frames: frames, keyPhase: keyPhase)))
        try afterOpening(header, level: level)
        for frame in frames {
            // §12.4: "An endpoint MUST treat receipt of a frame in a packet type that is not
            // permitted as a connection error of type PROTOCOL_VIOLATION."
            guard frame.isAllowed(in: level.packetSpace) else {
                throw QUICError(.protocolViolation, "\(frame.name) is not allowed in \(level.name) packets", frameType: frame.type)
            }
            try receive(frame, level: level, now: now)
            if state == .closed || isDraining { return }
        }
        if frames.contains(where: \.isAckEliciting) {
            spaces[level.rawValue].ackPending = true
        }
    }

    /// Things the first packets of a level settle.
    private func afterOpening(_ header: PacketHeader, level: EncryptionLevel) throws {
        if side == .client, level == .initial, serverInitialSourceConnectionID == nil {
            // §7.2: the client switches to the Source Connection ID of the server's first Initial.
            serverInitialSourceConnectionID = header.sourceConnectionID
            destinationConnectionID = header.sourceConnectionID
            peerConnectionIDs[0] = header.sourceConnectionID
        }
        if side == .server, level == .handshake {
            // §8.1: "a server MUST consider the address validated once it processes a Handshake
            // packet"; RFC 9001 §4.9.1: it discards the Initial keys then.
            addressValidated = true
            discardKeys(.initial)
        }
    }

    /// Opens the packets that waited for keys, once the keys exist.
    func openWaitingPackets(now: Double) throws {
        let waiting = undecryptable
        undecryptable = []
        for (header, level) in waiting {
            if spaces[level.rawValue].receiveKeys == nil && !spaces[level.rawValue].discarded {
                undecryptable.append((header, level))
            } else {
                try receive(packet: header, now: now)
            }
        }
    }

    // MARK: The TLS engine

    /// After every call into TLS: its events (keys become packet keys), its handshake bytes
    /// (into this level's CRYPTO stream), and what the end of the handshake settles.
    func pumpTLS(now: Double) {
        if let secrets = pendingInitialSecrets {
            pendingInitialSecrets = nil
            observer?(.initialSecrets(secrets))
        }
        for event in tlsEvents.take() {
            observer?(.tls(event))
            if case .trafficKeys(let keyDirection, let epoch, let suite, let secret, _, _, _, _) = event,
               let level = EncryptionLevel(tlsEpoch: epoch), level != .initial,
               let parameters = CipherSuiteParameters(suite), let keys = try? PacketKeys(secret: secret, suite: parameters) {
                let direction: Direction = keyDirection == .write ? .sent : .received
                if direction == .sent { spaces[level.rawValue].sendKeys = keys } else { spaces[level.rawValue].receiveKeys = keys }
                observer?(.packetKeys(level, direction, keys))
            }
        }
        for (epoch, bytes) in tls.takeQUICHandshakeData() {
            guard let level = EncryptionLevel(tlsEpoch: epoch) else { continue }
            spaces[level.rawValue].cryptoSend.write(bytes)
        }
    }

    /// The peer's transport parameters, once TLS has them: decoded, and the connection IDs
    /// authenticated (§7.3).
    func readPeerTransportParameters() throws {
        guard peerTransportParameters == nil, let bytes = tls.peerQUICTransportParameters else { return }
        let parameters = try TransportParameters(decoding: bytes, fromServer: side == .client)
        observer?(.peerTransportParameters(parameters, bytes: bytes))
        try authenticateConnectionIDs(parameters)
        peerTransportParameters = parameters
        peerMaxData = parameters.initialMaxData
        peerMaxStreamsBidi = parameters.initialMaxStreamsBidi
        for id in streams.keys { streams[id]?.sendLimit = initialSendLimit(for: id) }
    }
}

/// Collects the TLS engine's events while it runs, for `pumpTLS` to handle in order. The TLS
/// observer must be `@Sendable`; the connection is used from one thread at a time, the lock
/// only satisfies the type.
final class TLSEventQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [TLSEvent] = []

    var observer: TLSObserver { { event in self.lock.withLock { self.events.append(event) } } }

    func take() -> [TLSEvent] {
        lock.withLock {
            defer { events = [] }
            return events
        }
    }
}
