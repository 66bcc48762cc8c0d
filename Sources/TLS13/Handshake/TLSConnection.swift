import TLSCrypto

/// One TLS 1.3 connection, client or server, without any I/O (sans-I/O): feed it the peer's
/// bytes with `receive`, write what `takeOutgoing` returns, read what `takeApplicationData`
/// returns. Nothing here blocks, prints or touches a socket.
///
/// The handshake itself is written as straight lines of named steps (ClientHandshake.swift,
/// ServerHandshake.swift), in the manner of Go's crypto/tls: `readServerHello`,
/// `deriveHandshakeKeys`, `readEncryptedExtensions`, ... . Because bytes arrive whenever they
/// arrive, each step runs when its message does: `state` (HandshakeState.swift) names the
/// message awaited next and holds what exists at that point, `handle` hands the message to the
/// one step that takes it in that state, and the step returns the next state. Anything else is
/// an unexpected_message (RFC 8446 §4: "A peer which receives a handshake message in an
/// unexpected order MUST abort the handshake with an "unexpected_message" alert").
public final class TLSConnection {
    public let side: Side
    let configuration: TLSConfiguration
    let events: EventSink
    var records: RecordLayer

    /// Where the handshake stands, with the secrets and transcript of that point (HandshakeState.swift).
    var state: HandshakeState

    private var outgoing: [UInt8] = []
    private var receivedApplicationData: [UInt8] = []
    /// Handshake messages of the flight being built, written as records by `flushFlight()`.
    private var flight: [UInt8] = []
    private var failure: TLSError?

    /// True once a handshake message from the peer has decoded, whatever the handshake then
    /// made of it: until then a failure may mean the peer does not speak TLS at all.
    public private(set) var decodedPeerHandshakeMessage = false
    public private(set) var peerClosed = false
    public private(set) var isClosed = false
    public var isHandshakeComplete: Bool {
        if case .connected = state { return true }
        return false
    }
    public var negotiatedCipherSuite: CipherSuite? { isHandshakeComplete ? state.suite?.suite : nil }
    /// RFC 7301: the protocol ALPN settled on ("http/1.1"), nil when none was negotiated.
    public var negotiatedApplicationProtocol: String? {
        applicationProtocol.map { String(decoding: $0, as: UTF8.self) }
    }

    // What the handshake has learned so far, for the trace and the public API (the secrets and
    // the transcript live in `state`). A value is nil until the step that learns it has run.
    var clientRandom: [UInt8] = []
    var legacySessionID: [UInt8] = []
    /// The group whose shared secret entered the key schedule.
    var keyExchangeGroup: NamedGroup?
    var signatureScheme: SignatureScheme?
    /// The ALPN protocol (RFC 7301) the server selected, once known.
    var applicationProtocol: [UInt8]?
    var sentChangeCipherSpec = false

    /// Resumption (Resumption/): the PSK identity the server accepted (both sides know it after
    /// ServerHello), the server name asked for, and the outcomes of tickets and 0-RTT.
    var acceptedPSKIndex: Int?
    var requestedServerName: String?
    var resumption = ResumptionState()

    /// QUIC (QUICMode.swift): handshake bytes per level, and the peer's transport parameters.
    var quicOutgoing: [(epoch: TrafficEpoch?, bytes: [UInt8])] = []
    var quicPeerParameters: [UInt8]?

    public init(side: Side, configuration: TLSConfiguration) {
        self.side = side
        self.configuration = configuration
        self.events = EventSink(observer: configuration.observer)
        self.records = RecordLayer(events: events, handshakeMessageSizeLimit: configuration.handshakeMessageSizeLimit)
        self.state = .start
    }

    // MARK: Public API

    /// Client: builds and queues the ClientHello. Server: starts listening for one.
    public func start() throws {
        guard case .start = state else { return }
        switch side {
        case .client: try guarded { state = .expectServerHello(try sendClientHello(retrying: nil)) }
        case .server: state = .expectClientHello
        }
    }

    public func receive(_ bytes: [UInt8]) throws {
        if let failure { throw failure }
        // RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be ignored."
        guard !peerClosed else { return }
        if case .start = state, side == .server { state = .expectClientHello }
        records.receive(bytes)
        try guarded {
            while !peerClosed, let message = try records.nextMessage() {
                try handle(message)
            }
        }
    }

    public func send(_ applicationData: [UInt8]) throws {
        if let failure { throw failure }
        guard isHandshakeComplete else {
            throw TLSError(.internalError, "application data cannot be sent before the handshake is complete")
        }
        guard !isClosed else {
            throw TLSError(.internalError, "application data cannot be sent after close_notify")
        }
        try guarded {
            outgoing.appendOrAdopt(try records.writeApplicationData(applicationData))
            events(.applicationData(.sent, applicationData))
        }
    }

    /// Client: 0-RTT data right after the ClientHello, under the early key (RFC 8446 §2.3).
    func send(earlyData: [UInt8]) throws {
        outgoing.appendOrAdopt(try records.writeApplicationData(earlyData))
        events(.earlyData(.sent, earlyData))
    }

    /// RFC 8446 §6.1: close_notify says we will send nothing more. Idempotent.
    public func close() {
        guard !isClosed, failure == nil else { return }
        isClosed = true
        sendAlert(.warning, .closeNotify)
    }

    /// RFC 8446 §4.6.3: sends a KeyUpdate and moves our sending key to its next generation;
    /// `requestPeerUpdate` asks the peer to do the same for its sending key.
    public func updateKeys(requestPeerUpdate: Bool) throws {
        if let failure { throw failure }
        guard isHandshakeComplete, !isClosed else {
            throw TLSError(.internalError, "KeyUpdate needs a completed, open connection")
        }
        try guarded {
            guard case .connected(let established) = state else { return }
            state = .connected(try sendKeyUpdate(requestPeerUpdate ? .updateRequested : .updateNotRequested, established))
        }
    }

    public func takeOutgoing() -> [UInt8] {
        defer { outgoing = [] }
        return outgoing
    }

    public func takeApplicationData() -> [UInt8] {
        defer { receivedApplicationData = [] }
        return receivedApplicationData
    }

    // MARK: Dispatch

    private func handle(_ message: IncomingMessage) throws {
        switch message {
        case .alert(let level, let description):
            try readAlert(level, description)
        case .applicationData(let data):
            // RFC 8446 §4.2.10: 0-RTT data, under the early key, until EndOfEarlyData.
            if case .expectEndOfEarlyData = state {
                try readEarlyData(data)
                receivedApplicationData.appendOrAdopt(data)
                return
            }
            // RFC 8446 §2: application data flows only once the handshake keys are replaced by
            // application keys; before that it is out of order.
            guard case .connected(let established) = state else {
                throw TLSError(.unexpectedMessage, "application data arrived \(state.awaiting)")
            }
            try checkNothingInterruptsPostHandshakeAuthentication(established, "application data")
            receivedApplicationData.appendOrAdopt(data)
            events(.applicationData(.received, data))
        case .handshake(let type, let bytes):
            let decoded = try HandshakeMessage(decoding: bytes, finishedLength: state.suite?.hash.length ?? 32)
            decodedPeerHandshakeMessage = true
            events(.handshakeMessage(.received, type, bytes: bytes, fields: decoded.traceFields))
            try handle(decoded, bytes: bytes)
        }
    }

    /// One step per (state, message) pair; each consumes the state and returns the next.
    private func handle(_ message: HandshakeMessage, bytes: [UInt8]) throws {
        switch (state, message) {
        case (.expectServerHello(let sent), .serverHello(let hello)):
            state = try readServerHello(hello, bytes: bytes, after: sent)
        case (.expectServerHello(let sent), .helloRetryRequest(let request)):
            state = try readHelloRetryRequest(request, bytes: bytes, after: sent)
        case (.expectEncryptedExtensions(let keys), .encryptedExtensions(let extensions)):
            state = try readEncryptedExtensions(extensions, bytes: bytes, keys)
        case (.expectCertificateOrRequest(let keys), .certificateRequest(let request)):
            state = try readCertificateRequest(request, bytes: bytes, keys)
        case (.expectCertificateOrRequest(let keys), .certificate(let certificate)):
            state = try readCertificate(certificate, bytes: bytes, keys, request: nil)
        case (.expectCertificate(let keys, let request), .certificate(let certificate)):
            state = try readCertificate(certificate, bytes: bytes, keys, request: request)
        case (.expectCertificateVerify(let keys, let request, let serverKey), .certificateVerify(let verify)):
            state = try readCertificateVerify(verify, bytes: bytes, keys, request: request, serverKey: serverKey)
        case (.expectServerFinished(let keys, let request), .finished(let finished)):
            let verified = try readServerFinished(finished, bytes: bytes, keys)
            state = .connected(try sendClientFinished(verified, request: request))
            completeHandshake()
        case (.expectClientHello, .clientHello(let hello)):
            state = try readClientHello(hello, bytes: bytes, retried: nil)
        case (.expectSecondClientHello(let retry), .clientHello(let hello)):
            state = try readClientHello(hello, bytes: bytes, retried: retry)
        case (.expectClientCertificate(let flight, let request), .certificate(let certificate)):
            state = try readClientCertificate(certificate, bytes: bytes, flight, request: request)
        case (.expectClientCertificateVerify(let flight, let request, let key), .certificateVerify(let verify)):
            state = try readClientCertificateVerify(verify, bytes: bytes, flight, request: request, key: key)
        case (.expectEndOfEarlyData(let flight), .endOfEarlyData):
            state = try readEndOfEarlyData(bytes: bytes, flight)
        case (.expectClientFinished(let flight), .finished(let finished)):
            let established = try readClientFinished(finished, bytes: bytes, flight)
            state = .connected(established)
            completeHandshake()
            try sendSessionTickets(established)
        case (.connected(let established), _):
            state = .connected(try handlePostHandshake(message, bytes: bytes, established))
        default:
            throw TLSError(.unexpectedMessage, "\(message.name) arrived \(state.awaiting)")
        }
    }

    /// RFC 8446 §4.6: the messages allowed after the handshake.
    private func handlePostHandshake(_ message: HandshakeMessage, bytes: [UInt8], _ established: Established) throws -> Established {
        switch message {
        case .certificateRequest(let request) where side == .client:
            try answerPostHandshakeCertificateRequest(request, bytes: bytes, established)
            return established
        case .certificate, .certificateVerify, .finished:
            return try readPostHandshakeAuthentication(message, bytes: bytes, established)
        case .newSessionTicket(let ticket) where side == .client:
            try readNewSessionTicket(ticket, established)
            return established
        case .keyUpdate(let update):
            try checkNothingInterruptsPostHandshakeAuthentication(established, "KeyUpdate")
            return try readKeyUpdate(update, established)
        default:
            throw TLSError(.unexpectedMessage, "\(message.name) arrived \(state.awaiting)")
        }
    }

    /// RFC 8446 §6: close_notify ends the peer's sending; user_canceled announces it; every
    /// other alert is an error "regardless of the AlertLevel in the message".
    private func readAlert(_ level: AlertLevel, _ description: AlertDescription) throws {
        events(.alert(.received, level: level, description: description))
        switch description {
        case .closeNotify:
            peerClosed = true
        case .userCanceled:
            events(.note("the peer canceled the handshake (user_canceled); close_notify should follow"))
        default:
            throw TLSError(description, "", origin: .peer)
        }
    }

    // MARK: Post-handshake messages


    /// RFC 8446 §4.6.3: the peer's sending key moves to its next generation; when asked, we
    /// answer with our own KeyUpdate before any further application data.
    private func readKeyUpdate(_ update: KeyUpdate, _ established: Established) throws -> Established {
        var established = established
        let next = established.application.read.nextGeneration()
        events(.keyUpdated(direction: .read, generation: next.generation, secret: next.secret))
        // The record layer enforces that the KeyUpdate ends its record (RFC 8446 §5.1).
        try install(.read, next, epoch: .application(generation: next.generation), suite: established.suite)
        established.application.read = next
        if update.requestUpdate == .updateRequested && !isClosed {
            established = try sendKeyUpdate(.updateNotRequested, established)
        }
        return established
    }

    private func sendKeyUpdate(_ request: KeyUpdate.Request, _ established: Established) throws -> Established {
        var established = established
        try queue(.keyUpdate(KeyUpdate(requestUpdate: request)))
        try flushFlight()
        let next = established.application.write.nextGeneration()
        events(.keyUpdated(direction: .write, generation: next.generation, secret: next.secret))
        try install(.write, next, epoch: .application(generation: next.generation), suite: established.suite)
        established.application.write = next
        return established
    }

    // MARK: Writing

    /// Adds a handshake message to the flight being built, reports it, and adds its exact bytes
    /// to `transcript` (RFC 8446 §4.4.1): writing and hashing cannot drift apart.
    func queue(_ message: HandshakeMessage, into transcript: inout TranscriptHash) throws {
        transcript.append(try queue(message))
    }

    /// Adds a handshake message that enters no transcript (§4.6: NewSessionTicket, KeyUpdate, a
    /// post-handshake Finished) or whose transcript is not known yet (ClientHello1). Returns its bytes.
    @discardableResult
    func queue(_ message: HandshakeMessage) throws -> [UInt8] {
        let bytes = try message.encoded
        events(.handshakeMessage(.sent, message.type, bytes: bytes, fields: message.traceFields))
        flight += bytes
        return bytes
    }

    /// Writes the queued handshake messages as records under the current write key. Called
    /// before every write-key change, so no message straddles one (RFC 8446 §5.1).
    func flushFlight(legacyRecordVersion: UInt16 = 0x0303) throws {
        guard !flight.isEmpty else { return }
        if isQUIC {
            // RFC 9001 §4: no records; QUIC sends the bytes in CRYPTO frames at this level.
            quicOutgoing.append((records.writeEpoch, flight))
            flight = []
            return
        }
        outgoing += try records.writeHandshake(flight, legacyRecordVersion: legacyRecordVersion)
        flight = []
    }

    /// RFC 8446 §D.4 middlebox compatibility mode: a dummy ChangeCipherSpec, at most once per
    /// connection, and only when the client sent a legacy_session_id (which turns the mode on).
    func sendChangeCipherSpecForCompatibility() {
        guard !sentChangeCipherSpec, !legacySessionID.isEmpty, !isQUIC else { return }
        sentChangeCipherSpec = true
        outgoing += records.changeCipherSpecRecord()
    }

    func sendAlert(_ level: AlertLevel, _ description: AlertDescription) {
        // RFC 9001 §4.8: inside QUIC an alert is never sent as a record; QUIC closes the
        // connection with CRYPTO_ERROR 0x0100 + the alert (the thrown TLSError names it).
        if isQUIC {
            events(.alert(.sent, level: level, description: description))
            return
        }
        do {
            outgoing += try records.writeAlert(level, description)
            events(.alert(.sent, level: level, description: description))
        } catch {
            // The alert could not be protected (the key is spent): there is nothing safe to
            // write, and the connection is over either way.
            events(.note("could not send the \(description) alert: \(error)"))
        }
    }

    func keyLog(_ label: String, _ secret: TrafficSecret) {
        events(.keyLog(label: label, clientRandom: clientRandom, secret: secret.secret))
    }

    /// Runs a step; a local failure queues the fatal alert (RFC 8446 §6.2: "the implementation
    /// MUST send the appropriate alert and close the connection"), a received alert only ends
    /// the connection. Either way the connection is dead afterwards.
    func guarded(_ step: () throws -> Void) throws {
        do {
            try step()
        } catch {
            let tlsError = (error as? TLSError) ?? TLSError(.internalError, "\(error)")
            if tlsError.origin == .local {
                // Whatever the failed step had half-built must not reach the peer.
                flight = []
                if !isClosed { sendAlert(.fatal, tlsError.alert) }
                isClosed = true
            }
            failure = tlsError
            throw tlsError
        }
    }
}

private extension Array where Element == UInt8 {
    /// `self += bytes`, except that an empty array takes over `bytes`' storage instead of
    /// copying it: on the bulk data path that saves a 16 KiB copy per record.
    mutating func appendOrAdopt(_ bytes: [UInt8]) {
        if isEmpty { self = bytes } else { self += bytes }
    }
}
