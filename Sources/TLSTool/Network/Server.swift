import Foundation
import Synchronization
import TLS13
import TLSCrypto

/// Application data waiting to go to one connection (the server's stdin), and the pipe that
/// wakes its thread out of poll.
///
/// Bounded (issue 5: no unbounded buffering): when a client reads slower than stdin arrives,
/// `post` waits until that connection has sent what it holds, so stdin is read no faster than
/// the slowest client takes it and nothing is dropped. A client that stops reading altogether
/// is cut off by the socket's send timeout, which closes its mailbox and releases the wait.
/// All mutable state is guarded by `condition`.
final class Mailbox: @unchecked Sendable {
    static let capacity = 1 << 20

    let wakePipe: WakePipe
    private let condition = NSCondition()
    private var pending: [ChatInput] = []
    private var pendingByteCount = 0
    private var closed = false
    private var goodbyeRequested = false

    init() throws { wakePipe = try WakePipe() }

    /// Asks the connection's thread to send close_notify and end (the server was interrupted).
    func requestGoodbye() {
        condition.lock()
        goodbyeRequested = true
        condition.unlock()
        wakePipe.wake()
    }

    var wantsGoodbye: Bool {
        condition.lock()
        defer { condition.unlock() }
        return goodbyeRequested
    }

    func post(_ input: ChatInput) {
        condition.lock()
        while pendingByteCount >= Self.capacity && !closed { condition.wait() }
        let accepted = !closed
        if accepted {
            pending.append(input)
            if case .data(let data) = input { pendingByteCount += data.count }
        }
        condition.unlock()
        if accepted { wakePipe.wake() }
    }

    func takeAll() -> [ChatInput] {
        wakePipe.drain()
        condition.lock()
        defer { condition.unlock() }
        let items = pending
        pending = []
        pendingByteCount = 0
        condition.broadcast()
        return items
    }

    /// The connection is over: what waits is dropped and no post waits for it any longer.
    func close() {
        condition.lock()
        closed = true
        pending = []
        pendingByteCount = 0
        condition.broadcast()
        condition.unlock()
    }
}

/// The state the connection threads share: who is connected (for the stdin broadcast).
final class Server: Sendable {
    let options: ServerOptions
    let environment: ToolEnvironment
    let credentials: ServerCredentials
    /// The CAs a client certificate must lead to (--verify-client, --request-client-cert, /auth).
    let clientTrustAnchors: [Certificate]
    /// The HMAC key of --retry cookies: one per process, so a cookie from another run is refused.
    let retryCookieKey: [UInt8]?
    /// Set with --rfc8448: each connection replays RFC 8448 §3's server.
    let rfc8448: RFC8448Profile?
    /// The port we listen on (for --capture).
    let port: UInt16
    /// RFC 8446 §4.6.1 tickets: the keys, and the anti-replay memory of accepted 0-RTT (§8.2).
    let ticketKeys: TicketKeyRing
    let strikeRegister = StrikeRegister()
    private let mailboxes = Mutex<[Int: Mailbox]>([:])
    private let activeConnections = Atomic<Int>(0)

    init(options: ServerOptions, environment: ToolEnvironment, credentials: ServerCredentials,
         clientTrustAnchors: [Certificate] = [], rfc8448: RFC8448Profile? = nil, port: UInt16) throws {
        self.options = options
        self.environment = environment
        self.credentials = credentials
        self.clientTrustAnchors = clientTrustAnchors
        self.rfc8448 = rfc8448
        self.port = port
        if !options.retry {
            retryCookieKey = nil
        } else if options.deterministic {
            retryCookieKey = Self.deterministicRetryCookieKey
        } else {
            retryCookieKey = try SystemRandom().bytes(32)
        }
        if let path = options.ticketKeyPath {
            ticketKeys = TicketKeyRing(keys: try TicketKeyRing.load(path: path), rotates: false, rotationSeconds: 3600)
        } else if options.deterministic {
            ticketKeys = TicketKeyRing(keys: TicketKeyRing.deterministicKeys, rotates: false, rotationSeconds: 3600)
        } else {
            ticketKeys = TicketKeyRing(keys: try TicketKeys.random(SystemRandom()), rotates: true, rotationSeconds: 3600)
        }
    }

    /// `--html-dir` file names sort by time: 20261204-031500-0001.html (UTC, then the connection number).
    static func htmlFileName(connection number: Int, date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date) + "-" + String(format: "%04d", number) + ".html"
    }

    /// The --retry cookie key under --deterministic: fixed, so that runs (and transcripts/retry-*.txt)
    /// repeat byte for byte. Anyone can forge cookies for it, as anyone can recompute those keys.
    static let deterministicRetryCookieKey = SHA256.hash(Array("tls13-server --deterministic cookie key".utf8))

    /// Counts a new connection in, unless `maximumConnections` are being served already.
    /// Counted at accept, before its thread starts, so a burst cannot overshoot the cap.
    func admit() -> Bool {
        var current = activeConnections.load(ordering: .relaxed)
        while current < options.maximumConnections {
            let (exchanged, original) = activeConnections.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// A connection admitted by `admit` has ended.
    func release() { activeConnections.subtract(1, ordering: .acquiringAndReleasing) }

    /// Reads stdin until it ends (a terminal line or a pipe chunk at a time) and posts each piece
    /// to every connection, data and commands (/keyupdate, /auth) in the order typed. The end of
    /// stdin ends only this thread, never the server.
    func broadcastStandardInput() {
        var splitter = ChatInputSplitter()
        while true {
            let chunk = environment.stepGate?.readChatInput(STDIN_FILENO) ?? Polling.read(STDIN_FILENO)
            if chunk.isEmpty {
                // Ctrl-D at a terminal is easy to press by mistake; a pipe's end is expected.
                if isatty(STDIN_FILENO) == 1 {
                    environment.report("end of stdin (Ctrl-D): nothing more goes to the clients; still serving, received data is still shown")
                }
                return
            }
            let targets = mailboxes.withLock { Array($0.values) }
            if targets.isEmpty { environment.report("no client connected: input dropped") }
            for input in splitter.split(chunk) {
                for mailbox in targets { mailbox.post(input) }
            }
        }
    }

    /// Waits for Ctrl-C (the handler must be armed), then says goodbye to every client in
    /// conversation (close_notify, RFC 8446 §6.1), gives the connections a moment to end and
    /// exits with 130. Connections still in their handshake are cut when the process ends.
    func closeAllOnInterrupt() -> Never {
        let fd = Interruption.descriptor
        while !Interruption.happened(in: Polling.readable([fd])) {}
        let targets = mailboxes.withLock { Array($0.values) }
        environment.report("interrupted (Ctrl-C): sending close_notify to \(targets.count) connected client\(targets.count == 1 ? "" : "s"); Ctrl-C again to quit at once")
        for mailbox in targets { mailbox.requestGoodbye() }
        let deadline = ContinuousClock.now + .seconds(Self.goodbyeSeconds)
        while activeConnections.load(ordering: .acquiring) > 0 && ContinuousClock.now < deadline {
            usleep(10_000)
        }
        exit(Interruption.exitStatus)
    }

    /// How long an interrupted server waits for its clients' close_notify answers.
    static let goodbyeSeconds = 2

    /// Serves one client to the end. True if the handshake completed and both close_notify
    /// alerts were exchanged.
    func serve(_ socket: TCPSocket, number: Int) -> Bool {
        defer { socket.close() }
        let label = "connection #\(number) from \(socket.peerDescription)"
        let mailbox: Mailbox
        do {
            mailbox = try Mailbox()
        } catch {
            environment.report("\(label): \(error)")
            return false
        }
        defer {
            _ = mailboxes.withLock { $0.removeValue(forKey: number) }
            mailbox.close()
        }
        socket.setSendTimeout(seconds: options.handshakeTimeoutSeconds)
        if !options.quiet { environment.report("\(label)") }

        let view = options.traceView ?? (rfc8448 == nil ? .standard : .rfc8448)
        let trace = options.quiet ? nil : environment.tracePrinter(side: .server, tag: number == 1 ? nil : "server #\(number)", view: view)
        let capture = options.capturePath.map { CaptureFile(path: $0, side: .server, serverPort: port) }
        defer { environment.write(capture) }
        var configuration: TLSConfiguration
        if let rfc8448 {
            configuration = rfc8448.serverConfiguration()
        } else {
            configuration = TLSConfiguration()
            configuration.cipherSuites = options.cipherSuites
            configuration.groups = options.groups
            configuration.random = makeRandomSource(deterministic: options.deterministic, side: .server)
            configuration.certificateChain = credentials.certificateChain
            configuration.privateKey = credentials.privateKey
            configuration.statelessRetryKey = retryCookieKey
            configuration.trustAnchors = clientTrustAnchors
            configuration.clientAuthentication = options.clientAuthentication
            configuration.applicationProtocols = options.applicationProtocols
            // RFC 7301: a browser offers h2 and http/1.1; --http speaks only the latter.
            if options.http && options.applicationProtocols.isEmpty { configuration.applicationProtocols = ["http/1.1"] }
            configuration.ticketKeys = ticketKeys.current
            configuration.ticketCount = options.ticketCount
            configuration.maxEarlyDataSize = options.maxEarlyDataSize
            configuration.strikeRegister = strikeRegister
            configuration.pskKeyExchangeModes = options.pskKE ? [.pskDHEKE, .pskKE] : [.pskDHEKE]
            if let secret = options.externalPSK {
                configuration.externalPSKs = [ExternalPSK(identity: Array(options.externalPSKIdentity.utf8), secret: secret)]
            }
            if options.deterministic { configuration.clock = { DeterministicClock.milliseconds } }
        }
        let html = options.htmlDirectory != nil || options.http ? HTMLRecorder() : nil
        defer {
            if let html, let directory = options.htmlDirectory {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let name = Self.htmlFileName(connection: number)
                html.writePage(to: (directory as NSString).appendingPathComponent(name),
                               title: "tls13-server: connection #\(number)", language: options.language, environment: environment)
            }
        }
        configuration.observer = chained(environment.observer(trace: trace, capture: capture), html?.observer(for: .server))
        let session = TLSSession(socket: socket, connection: TLSConnection(side: .server, configuration: configuration),
                                 beforeNetwork: { trace?.flush() })
        do {
            if let rfc8448 {
                try replayRFC8448(session, profile: rfc8448, trace: trace)
            } else if options.www {
                try answerHTTPRequest(session, trace: trace)
            } else if options.http, let html {
                try session.start()
                try session.completeHandshake(environment.handshakeWait(seconds: options.handshakeTimeoutSeconds, peer: .client, trace: trace))
                try HTTPPageServer(session: session, recorder: html, number: number,
                                   deadline: { [environment, options] in environment.deadline(seconds: options.handshakeTimeoutSeconds * 6) }).serve()
                try session.close()
                _ = try? session.awaitPeerClose(deadline: .now + .seconds(ClientCommand.closeWaitSeconds), deliver: { _ in })
            } else {
                try converse(session, mailbox: mailbox, number: number, trace: trace)
            }
            trace?.flush()
            if !options.quiet { environment.report("connection #\(number) closed cleanly") }
            return true
        } catch {
            trace?.flush()
            environment.report("\(label): \(error)")
            session.diagnosis(of: error, configuration: configuration).forEach { environment.report("\(label): \($0)") }
            session.close(after: error)
            return false
        }
    }

    private func converse(_ session: TLSSession, mailbox: Mailbox, number: Int, trace: TracePrinter?) throws(SessionFailure) {
        let connection = session.connection
        // A client takes part in the stdin broadcast from the moment it connects, so a line typed
        // while its handshake runs waits in its mailbox and is sent once the keys exist. The
        // mailbox is bounded, so a client stuck in its handshake holds the broadcast up at most
        // until the handshake timeout drops it.
        mailboxes.withLock { $0[number] = mailbox }
        try session.start()
        try session.completeHandshake(environment.handshakeWait(seconds: options.handshakeTimeoutSeconds, peer: .client, trace: trace))
        try deliver(connection.takeApplicationData(), session)

        let socketFD = session.socket.fileDescriptor
        while !connection.peerClosed {
            for input in mailbox.takeAll() {
                if let refusal = try session.perform(input) { environment.report("connection #\(number): \(refusal)") }
            }
            if mailbox.wantsGoodbye {
                try session.close()
                _ = try session.awaitPeerClose(deadline: .now + .seconds(Self.goodbyeSeconds),
                                               deliver: { data in try? deliver(data, session) })
                return
            }
            let ready = Polling.readable([socketFD, mailbox.wakePipe.readEnd])
            if ready.contains(socketFD) {
                guard try session.receiveOnce() else {
                    throw .connectionLost("the client closed the TCP connection without close_notify")
                }
                try deliver(connection.takeApplicationData(), session)
            }
        }
        try session.close()
    }

    /// --www: one request, one response, close; what `openssl s_server -www` does, and what
    /// request/reply suites such as tlsfuzzer expect: after their "GET / HTTP/1.0\r\n\r\n"
    /// (in as many records as they like) exactly one application-data record comes back, then
    /// close_notify. The request is read up to its empty line, at most `httpRequestLimit` bytes.
    private func answerHTTPRequest(_ session: TLSSession, trace: TracePrinter?) throws(SessionFailure) {
        let connection = session.connection
        try session.start()
        try session.completeHandshake(environment.handshakeWait(seconds: options.handshakeTimeoutSeconds, peer: .client, trace: trace))
        let deadline = environment.deadline(seconds: options.handshakeTimeoutSeconds)
        var request = connection.takeApplicationData()
        while !HTTPReply.isComplete(request) && request.count < Self.httpRequestLimit {
            request += try session.awaitApplicationData(deadline: deadline)
        }
        if options.quiet { FileDescriptorSink.standardOutput.write(bytes: request) }
        switch HTTPReply.getPath(request) {
        case "/secret" where connection.clientCertificateRequestRefusal == nil:
            // A protected page, as a web server protects a directory: the certificate is asked
            // for after the handshake (RFC 8446 §4.6.2), and the page follows the client's answer.
            _ = try session.perform(.command(.auth))
            while connection.isAwaitingClientCertificate {
                guard Polling.readable([session.socket.fileDescriptor], until: deadline).contains(session.socket.fileDescriptor) else {
                    throw .timedOut("no answer to the post-handshake CertificateRequest")
                }
                guard try session.receiveOnce() else { throw .connectionLost("the client closed during post-handshake authentication") }
            }
        case "/keyupdate":
            // Our sending key moves on and the client is asked to move its own (RFC 8446 §4.6.3),
            // before the page, which then travels under the new key.
            _ = try session.perform(.command(.keyUpdate))
        default:
            break
        }
        try session.send(HTTPReply.response(to: request, cipherSuite: connection.negotiatedCipherSuite))
        try session.close()
        _ = try session.awaitPeerClose(deadline: .now + .seconds(ClientCommand.closeWaitSeconds), deliver: { _ in })
    }

    /// The most of an HTTP request --www reads before answering (it answers what it has).
    static let httpRequestLimit = 16 * 1024

    /// An RFC 8448 section from the handshake on: the client's data and ours (§3: 50 bytes each;
    /// §5: none), close_notify each way.
    private func replayRFC8448(_ session: TLSSession, profile: RFC8448Profile, trace: TracePrinter?) throws(SessionFailure) {
        try session.start()
        try session.completeHandshake(environment.handshakeWait(seconds: options.handshakeTimeoutSeconds, peer: .client, trace: trace))
        // §4: the 0-RTT data arrived during the handshake, before the client's 50 bytes.
        let expected = profile.earlyData + profile.clientApplicationData
        if !expected.isEmpty {
            let deadline = environment.deadline(seconds: TLSSession.handshakeTimeoutSeconds)
            var received: [UInt8] = []
            while received.count < expected.count {
                received += try session.awaitApplicationData(deadline: deadline)
            }
            if received != expected {
                environment.warn("the client sent other data than RFC 8448's client: not an --rfc8448 client?")
            }
        }
        if !profile.serverApplicationData.isEmpty { try session.send(profile.serverApplicationData) }
        guard try session.awaitPeerClose(deadline: environment.deadline(seconds: TLSSession.handshakeTimeoutSeconds), deliver: { _ in }) else {
            throw .connectionLost("the client did not send close_notify")
        }
        try session.close()
    }

    private func deliver(_ data: [UInt8], _ session: TLSSession) throws(SessionFailure) {
        guard !data.isEmpty else { return }
        if options.quiet { FileDescriptorSink.standardOutput.write(bytes: data) }
        if options.echo { try session.send(data) }
    }
}
