import TLSCrypto

/// One TLS 1.3 connection, client or server, without any I/O (sans-I/O): feed it the peer's
/// bytes with `receive`, write what `takeOutgoing` returns, read what `takeApplicationData`
/// returns. Nothing here blocks, prints or touches a socket.
///
/// The handshake itself is written as straight lines of named steps (ClientHandshake.swift,
/// ServerHandshake.swift), in the manner of Go's crypto/tls: `readServerHello`,
/// `deriveHandshakeSecrets`, `readEncryptedExtensions`, ... . Because bytes arrive whenever they
/// arrive, each step runs when its message does; `state` names the message awaited next, and
/// anything else is an unexpected_message (RFC 8446 §4: "A peer which receives a handshake
/// message in an unexpected order MUST abort the handshake with an "unexpected_message" alert").
public final class TLSConnection {
    public let side: Side
    let configuration: TLSConfiguration
    let events: EventSink
    var records: RecordLayer

    /// The message the handshake waits for next.
    enum State: String {
        case start = "before the first message"
        case waitServerHello = "while waiting for ServerHello"
        case waitEncryptedExtensions = "while waiting for EncryptedExtensions"
        case waitCertificate = "while waiting for the server's Certificate"
        case waitCertificateVerify = "while waiting for CertificateVerify"
        case waitServerFinished = "while waiting for the server's Finished"
        case waitClientHello = "while waiting for ClientHello"
        case waitClientCertificate = "while waiting for the client's Certificate"
        case waitClientCertificateVerify = "while waiting for the client's CertificateVerify"
        case waitEndOfEarlyData = "while waiting for the client's early data and EndOfEarlyData"
        case waitClientFinished = "while waiting for the client's Finished"
        case connected = "after the handshake"
    }
    var state: State

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
    public var isHandshakeComplete: Bool { state == .connected }
    public var negotiatedCipherSuite: CipherSuite? { isHandshakeComplete ? suite?.suite : nil }
    /// RFC 7301: the protocol ALPN settled on ("http/1.1"), nil when none was negotiated.
    public var negotiatedApplicationProtocol: String? {
        applicationProtocol.map { String(decoding: $0, as: UTF8.self) }
    }

    // What the handshake has learned and derived so far. A value is nil until the step that
    // establishes it has run.
    var suite: CipherSuiteParameters?
    var transcript: TranscriptHash?
    var clientRandom: [UInt8] = []
    var legacySessionID: [UInt8] = []
    /// Client: the key shares of our (latest) ClientHello, private keys included.
    var keyShares: [KeyShare] = []
    /// The group whose shared secret entered the key schedule.
    var keyExchangeGroup: NamedGroup?
    var signatureScheme: SignatureScheme?
    /// The ALPN protocol (RFC 7301) the server selected, once known.
    var applicationProtocol: [UInt8]?
    var sentChangeCipherSpec = false
    var clientHandshakeTrafficSecret: TrafficSecret?
    var serverHandshakeTrafficSecret: TrafficSecret?
    var masterSecret: MasterSecret?
    var resumptionMasterSecret: ResumptionMasterSecret?
    /// The current application traffic secrets; KeyUpdate moves each to its next generation.
    var readApplicationSecret: TrafficSecret?
    var writeApplicationSecret: TrafficSecret?

    // Client-only state.
    var clientHello: ClientHello?
    var clientHello1Bytes: [UInt8] = []
    var helloRetryRequest: HelloRetryRequest?
    var serverLeafKey: CertificatePublicKey?

    /// Resumption (Resumption/): the PSK identity the server accepted (both sides know it after
    /// ServerHello), the early data the client still has to send, and what arrived as 0-RTT.
    var acceptedPSKIndex: Int?
    var requestedServerName: String?
    var resumption = ResumptionState()

    /// QUIC (QUICMode.swift): handshake bytes per level, and the peer's transport parameters.
    var quicOutgoing: [(level: String, bytes: [UInt8])] = []
    var quicPeerParameters: [UInt8]?

    /// Both sides: client certificates, in and after the handshake (ClientAuthentication.swift).
    var clientAuthentication = ClientAuthenticationState()

    // Server-only state.
    var sentHelloRetryRequest = false
    /// What a stateful server remembers of its HelloRetryRequest (nil for a stateless one,
    /// whose memory is the cookie).
    var helloRetry: HelloRetry?

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
        guard state == .start else { return }
        switch side {
        case .client: try guarded { try sendClientHello() }
        case .server: state = .waitClientHello
        }
    }

    public func receive(_ bytes: [UInt8]) throws {
        if let failure { throw failure }
        // RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be ignored."
        guard !peerClosed else { return }
        if state == .start && side == .server { state = .waitClientHello }
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
        try guarded { try sendKeyUpdate(requestPeerUpdate ? .updateRequested : .updateNotRequested) }
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
            if state == .waitEndOfEarlyData {
                try readEarlyData(data)
                receivedApplicationData.appendOrAdopt(data)
                return
            }
            // RFC 8446 §2: application data flows only once the handshake keys are replaced by
            // application keys; before that it is out of order.
            guard state == .connected else {
                throw TLSError(.unexpectedMessage, "application data arrived \(state.rawValue)")
            }
            try checkNothingInterruptsPostHandshakeAuthentication("application data")
            receivedApplicationData.appendOrAdopt(data)
            events(.applicationData(.received, data))
        case .handshake(let type, let bytes):
            let decoded = try HandshakeMessage(decoding: bytes, finishedLength: suite?.hash.length ?? 32)
            decodedPeerHandshakeMessage = true
            events(.handshakeMessage(.received, type, bytes: bytes, fields: decoded.traceFields))
            try handle(decoded, bytes: bytes)
        }
    }

    private func handle(_ message: HandshakeMessage, bytes: [UInt8]) throws {
        switch (state, message) {
        case (.waitServerHello, .serverHello(let hello)):
            try readServerHello(hello, bytes: bytes)
        case (.waitServerHello, .helloRetryRequest(let request)):
            try readHelloRetryRequest(request, bytes: bytes)
        case (.waitEncryptedExtensions, .encryptedExtensions(let extensions)):
            try readEncryptedExtensions(extensions, bytes: bytes)
        case (.waitCertificate, .certificateRequest(let request)) where clientAuthentication.receivedRequest == nil:
            try readCertificateRequest(request, bytes: bytes)
        case (.waitCertificate, .certificate(let certificate)):
            try readCertificate(certificate, bytes: bytes)
        case (.waitCertificateVerify, .certificateVerify(let verify)):
            try readCertificateVerify(verify, bytes: bytes)
        case (.waitServerFinished, .finished(let finished)):
            try readServerFinished(finished, bytes: bytes)
            try sendClientFinished()
        case (.waitClientHello, .clientHello(let hello)):
            try readClientHello(hello, bytes: bytes)
        case (.waitClientCertificate, .certificate(let certificate)):
            try readClientCertificate(certificate, bytes: bytes)
        case (.waitClientCertificateVerify, .certificateVerify(let verify)):
            try readClientCertificateVerify(verify, bytes: bytes)
        case (.waitEndOfEarlyData, .endOfEarlyData):
            try readEndOfEarlyData(bytes: bytes)
        case (.waitClientFinished, .finished(let finished)):
            try readClientFinished(finished, bytes: bytes)
        case (.connected, .certificateRequest(let request)) where side == .client:
            try answerPostHandshakeCertificateRequest(request, bytes: bytes)
        case (.connected, .certificate), (.connected, .certificateVerify), (.connected, .finished):
            try readPostHandshakeAuthentication(message, bytes: bytes)
        case (.connected, .newSessionTicket(let ticket)) where side == .client:
            try readNewSessionTicket(ticket)
        case (.connected, .keyUpdate(let update)):
            try checkNothingInterruptsPostHandshakeAuthentication("KeyUpdate")
            try readKeyUpdate(update)
        default:
            throw TLSError(.unexpectedMessage, "\(message.name) arrived \(state.rawValue)")
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
    private func readKeyUpdate(_ update: KeyUpdate) throws {
        guard let current = readApplicationSecret, let suite else {
            throw TLSError(.internalError, "KeyUpdate without application secrets")
        }
        let next = current.nextGeneration()
        events(.keyUpdated(usage: "read", generation: next.generation, secret: next.secret))
        let keys = next.trafficKeys(usage: "read", epoch: "application data (generation \(next.generation))")
        // changeReadKey enforces that the KeyUpdate ends its record (RFC 8446 §5.1).
        try records.changeReadKey(to: RecordProtection(parameters: suite, keys: keys, epoch: Self.applicationEpoch(next.generation)))
        readApplicationSecret = next
        if update.requestUpdate == .updateRequested && !isClosed {
            try sendKeyUpdate(.updateNotRequested)
        }
    }

    private func sendKeyUpdate(_ request: KeyUpdate.Request) throws {
        guard let current = writeApplicationSecret, let suite else {
            throw TLSError(.internalError, "KeyUpdate without application secrets")
        }
        try queue(.keyUpdate(KeyUpdate(requestUpdate: request)))
        try flushFlight()
        let next = current.nextGeneration()
        events(.keyUpdated(usage: "write", generation: next.generation, secret: next.secret))
        let keys = next.trafficKeys(usage: "write", epoch: "application data (generation \(next.generation))")
        records.changeWriteKey(to: try RecordProtection(parameters: suite, keys: keys, epoch: Self.applicationEpoch(next.generation)))
        writeApplicationSecret = next
    }

    static func applicationEpoch(_ generation: Int) -> String {
        generation == 0 ? "application" : "application (after \(generation) KeyUpdate\(generation == 1 ? "" : "s"))"
    }

    // MARK: Writing

    /// Adds a handshake message to the flight being built and reports it. Returns its exact
    /// bytes, for the transcript.
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
