import Foundation
import TLS13
import TLSCrypto

/// `tls13-client`: connect, run the handshake with every step traced, then a chat: stdin goes
/// out as application data, what the server sends comes out on stdout.
public enum ClientCommand {
    static let program = "tls13-client"

    /// How long to wait, after ours, for the server's close_notify while nothing arrives.
    static let closeWaitSeconds = 2

    public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
        CommandLineTool.main(program: program, arguments: arguments, usage: ClientOptions.usage,
                             parse: { arguments throws(UsageError) in try ClientOptions.parse(arguments) },
                             run: run)
    }

    public static func run(_ options: ClientOptions) -> Int32 {
        let environment: ToolEnvironment
        var trustAnchors: [Certificate] = []
        var credentials: ServerCredentials?
        var profile: RFC8448Profile?
        var earlyData: [UInt8]?
        do {
            environment = try ToolEnvironment(program: program, noColor: options.noColor,
                                              keyLogPath: options.keyLogPath, step: options.step,
                                              explain: options.explain ? options.language : nil)
            if let section = options.rfc8448 {
                profile = try RFC8448Profile(section: section)
            } else {
                // With --insecure nothing is checked against the anchors, so a missing file is no error.
                trustAnchors = options.insecure ? ((try? loadTrustAnchors(path: options.caPath)) ?? []) : try loadTrustAnchors(path: options.caPath)
                if let certificatePath = options.certificatePath, let keyPath = options.keyPath {
                    credentials = try ServerCredentials.load(certificatePath: certificatePath, keyPath: keyPath)
                }
                if let path = options.earlyDataPath {
                    earlyData = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
                }
            }
        } catch {
            FileDescriptorSink.standardError.write("\(program): \(error)\n")
            return 2
        }
        if let profile {
            environment.warn(profile.clientNotice)
        } else if options.insecure {
            environment.warn("--insecure: the certificate chain and the server name are NOT checked (CertificateVerify and Finished still are)")
        }
        if options.deterministic { environment.warnDeterministic() }

        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: options.host, port: options.port)
        } catch {
            environment.report("cannot connect to \(options.host) port \(options.port): \(error)")
            return 1
        }

        let trace = options.quiet ? nil : environment.tracePrinter(side: .client, view: options.traceView ?? (profile == nil ? .standard : .rfc8448))
        let capture = options.capturePath.map { CaptureFile(path: $0, side: .client, serverPort: options.port) }
        var configuration: TLSConfiguration
        if let profile {
            configuration = profile.clientConfiguration()
        } else {
            configuration = TLSConfiguration()
            configuration.cipherSuites = options.cipherSuites
            configuration.groups = options.groups
            configuration.random = makeRandomSource(deterministic: options.deterministic, side: .client)
            configuration.serverName = options.expectedServerName
            configuration.trustAnchors = trustAnchors
            configuration.certificateVerification = options.insecure ? .insecure : .full
            configuration.middleboxCompatibility = options.middleboxCompatibility
            configuration.certificateChain = credentials?.certificateChain ?? []
            configuration.privateKey = credentials?.privateKey
            configuration.applicationProtocols = options.applicationProtocols
            configuration.resumptionSession = loadSession(options, environment: environment)
            configuration.earlyData = earlyData
            if options.deterministic { configuration.clock = { DeterministicClock.milliseconds } }
        }
        let html = options.htmlPath.map { _ in HTMLRecorder() }
        defer {
            if let html, let path = options.htmlPath {
                html.writePage(to: path, title: "tls13-client → \(options.host):\(options.port)", language: options.language, environment: environment)
            }
        }
        configuration.observer = chained(environment.observer(trace: trace, capture: capture), html?.observer(for: .client))

        let session = TLSSession(socket: socket, connection: TLSConnection(side: .client, configuration: configuration),
                                 beforeNetwork: { trace?.flush() })
        defer {
            trace?.flush()
            socket.close()
            environment.write(capture)
        }
        let handshake = environment.handshakeWait(seconds: options.handshakeTimeoutSeconds, peer: .server, trace: trace)
        do {
            if let profile {
                try replayRFC8448(session, profile: profile, handshake: handshake, environment: environment)
            } else {
                let end = try chat(session, options: options, earlyData: earlyData, handshake: handshake, environment: environment)
                saveSession(session.connection, options, environment: environment)
                if end == .interrupted { return Interruption.exitStatus }
            }
            return 0
        } catch {
            trace?.flush()
            environment.report("\(error)")
            session.diagnosis(of: error, configuration: configuration).forEach { environment.report($0) }
            session.close(after: error)
            return 1
        }
    }

    /// An RFC 8448 section from the handshake on: our data, the server's (§3: 50 bytes each; §5:
    /// none), close_notify each way.
    static func replayRFC8448(_ session: TLSSession, profile: RFC8448Profile, handshake: HandshakeWait,
                              environment: ToolEnvironment) throws(SessionFailure) {
        try session.start()
        try session.completeHandshake(handshake)
        if !profile.clientApplicationData.isEmpty { try session.send(profile.clientApplicationData) }
        let received = profile.serverApplicationData.isEmpty ? []
            : try session.awaitApplicationData(deadline: environment.deadline(seconds: TLSSession.handshakeTimeoutSeconds))
        try session.close()
        guard try session.awaitPeerClose(deadline: .now + .seconds(closeWaitSeconds), deliver: { _ in }) else {
            throw .connectionLost("the server did not answer our close_notify")
        }
        if received != profile.serverApplicationData {
            environment.warn("the server sent other data than RFC 8448's server: not an --rfc8448 server?")
        }
    }

    enum ChatEnd { case closed, interrupted }

    /// --sess-in: the saved session, or nil (with the reason) when the file cannot be used.
    static func loadSession(_ options: ClientOptions, environment: ToolEnvironment) -> ResumptionSession? {
        guard let path = options.sessionInPath else { return nil }
        do {
            return try ResumptionSession(fileText: String(contentsOfFile: path, encoding: .utf8))
        } catch {
            environment.warn("--sess-in \(path): \(error); a full handshake follows")
            return nil
        }
    }

    /// --sess-out: the newest ticket, when one came.
    static func saveSession(_ connection: TLSConnection, _ options: ClientOptions, environment: ToolEnvironment) {
        guard let path = options.sessionOutPath else { return }
        guard let session = connection.receivedSessions.last else {
            environment.warn("--sess-out \(path): the server sent no session ticket; nothing saved")
            return
        }
        do {
            try Data(session.fileText.utf8).write(to: URL(fileURLWithPath: path))
            _ = chmod(path, 0o600)
        } catch {
            environment.warn("--sess-out \(path): \(error)")
        }
    }

    static func chat(_ session: TLSSession, options: ClientOptions, earlyData: [UInt8]?, handshake: HandshakeWait,
                     environment: ToolEnvironment) throws(SessionFailure) -> ChatEnd {
        let connection = session.connection
        let deliver: ([UInt8]) -> Void = { data in
            // The trace already shows received data; in quiet mode stdout carries exactly the bytes.
            if options.quiet, !data.isEmpty { FileDescriptorSink.standardOutput.write(bytes: data) }
        }
        try session.start()
        try session.completeHandshake(handshake)
        if isatty(STDIN_FILENO) == 1 {
            let suite = connection.negotiatedCipherSuite.map { $0.name ?? $0.description } ?? "?"
            environment.report("connected to \(session.socket.peerDescription) with \(suite): type lines to send, Ctrl-D to close")
        }
        deliver(connection.takeApplicationData())
        // RFC 8446 §4.2.10: early data the server did not take (or that the ticket did not allow)
        // is the application's to send again; here it goes first, now under the 1-RTT keys.
        if let earlyData, !earlyData.isEmpty, connection.earlyDataAccepted != true {
            environment.report("the 0-RTT data was not accepted as early data: sending its \(earlyData.count) bytes now")
            try session.send(earlyData)
        }

        var stdinOpen = true
        var splitter = ChatInputSplitter()
        var end = ChatEnd.closed
        var closeDeadline: ContinuousClock.Instant?
        let socketFD = session.socket.fileDescriptor
        Interruption.arm()
        while !connection.peerClosed {
            var watched = [socketFD, Interruption.descriptor].filter { $0 >= 0 }
            if stdinOpen { watched.append(STDIN_FILENO) }
            let ready = Polling.readable(watched, until: closeDeadline)
            if ready.isEmpty { break }  // our close_notify went unanswered for closeWaitSeconds
            if Interruption.happened(in: ready) {
                // Ctrl-C: say goodbye as the RFC asks, then wait (briefly) for the server's.
                environment.report("interrupted (Ctrl-C): sending close_notify; Ctrl-C again to quit at once")
                end = .interrupted
                stdinOpen = false
                try session.close()
                closeDeadline = .now + .seconds(closeWaitSeconds)
                continue
            }
            if ready.contains(STDIN_FILENO) {
                let chunk = Polling.read(STDIN_FILENO)
                if chunk.isEmpty {
                    stdinOpen = false
                    try session.close()
                    closeDeadline = .now + .seconds(closeWaitSeconds)
                } else {
                    for input in splitter.split(chunk) {
                        if let refusal = try session.perform(input) { environment.report(refusal) }
                    }
                }
            }
            if ready.contains(socketFD) {
                guard try session.receiveOnce() else {
                    if connection.isClosed { break }  // we had said goodbye; a bare FIN is fine now
                    throw .connectionLost("the server closed the TCP connection without close_notify")
                }
                deliver(connection.takeApplicationData())
                // Data still arriving after our close_notify (an echo catching up) is not lost:
                // the wait for the server's close_notify counts from the last bytes received.
                if closeDeadline != nil { closeDeadline = .now + .seconds(closeWaitSeconds) }
            }
        }
        try session.close()
        return end
    }
}
