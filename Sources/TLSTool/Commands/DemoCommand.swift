import Foundation
import Synchronization
import TLS13
import TLSCrypto

/// `tls13-demo`: a server and a client in one process, over a real loopback socket. The full
/// handshake, one message each way, close_notify both ways; both traces printed in protocol
/// order, each flight under a banner such as `client ──ClientHello──▶ server`.
public enum DemoCommand {
    static let program = "tls13-demo"
    static let clientMessage = "Hello from the client!\n"
    static let serverMessage = "Hello from the server!\n"

    public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
        CommandLineTool.main(program: program, arguments: arguments, usage: DemoOptions.usage,
                             parse: { arguments throws(UsageError) in try DemoOptions.parse(arguments) },
                             run: run)
    }

    public static func run(_ options: DemoOptions) -> Int32 {
        if let directory = options.transcriptsDirectory {
            return writeTranscripts(to: directory)
        }
        if let section = options.rfc8448 {
            return replayRFC8448(options, section: section)
        }
        let environment: ToolEnvironment
        let credentials: ServerCredentials
        let trustAnchors: [Certificate]
        do {
            environment = try ToolEnvironment(program: program, noColor: options.noColor, keyLogPath: nil, step: options.step,
                                              explain: options.explain ? options.language : nil)
            credentials = try ServerCredentials.load(certificatePath: options.certificatePath, keyPath: options.keyPath)
            trustAnchors = try loadTrustAnchors(path: options.caPath)
        } catch {
            FileDescriptorSink.standardError.write("\(program): \(error)\n")
            return 2
        }
        if options.deterministic { environment.warnDeterministic() }
        let listener: TCPListener
        do {
            listener = try TCPListener(host: "127.0.0.1", port: 0)
        } catch {
            environment.report("cannot listen on 127.0.0.1: \(error)")
            return 1
        }

        let style = environment.traceStyle
        let output = DemoOutput(style: style, sink: FileDescriptorSink.standardOutput, stepGate: environment.stepGate,
                                explain: environment.explain, width: environment.width)
        output.introduce(address: listener.addressDescription)

        let serverSide = DemoSide(side: .server, output: output, view: options.traceView ?? .standard)
        let clientSide = DemoSide(side: .client, output: output, view: options.traceView ?? .standard)
        let html = options.htmlPath.map { _ in HTMLRecorder() }
        defer {
            if let html, let path = options.htmlPath {
                html.writePage(to: path, title: "tls13-demo: a TLS 1.3 connection", language: options.language, environment: environment)
            }
        }
        let serverHandshakeDone = DispatchSemaphore(value: 0)
        let serverFinished = DispatchSemaphore(value: 0)
        let serverResult = Mutex<Result<String, SessionFailure>?>(nil)

        startThread(name: "demo server") {
            defer { serverFinished.signal() }
            var configuration = TLSConfiguration()
            configuration.random = makeRandomSource(deterministic: options.deterministic, side: .server)
            configuration.observer = chained(serverSide.observer, html?.observer(for: .server))
            configuration.certificateChain = credentials.certificateChain
            configuration.privateKey = credentials.privateKey
            let result = Result { () throws(SessionFailure) -> String in
                let socket: TCPSocket
                do { socket = try listener.accept() } catch { throw .connectionLost("\(error)") }
                defer { socket.close() }
                let session = TLSSession(socket: socket, connection: TLSConnection(side: .server, configuration: configuration),
                                         beforeNetwork: serverSide.flush)
                try session.start()
                try session.completeHandshake(deadline: environment.deadline(seconds: TLSSession.handshakeTimeoutSeconds))
                serverSide.flush()
                serverHandshakeDone.signal()
                let received = try session.awaitApplicationData(deadline: environment.deadline(seconds: 5))
                try session.send(Array(serverMessage.utf8))
                _ = try session.awaitPeerClose(deadline: environment.deadline(seconds: 5)) { _ in }
                try session.close()
                serverSide.flush()
                return String(decoding: received, as: UTF8.self)
            }
            if case .failure = result { serverHandshakeDone.signal() }
            serverResult.withLock { $0 = result }
        }

        var configuration = TLSConfiguration()
        configuration.cipherSuites = options.cipherSuites
        configuration.random = makeRandomSource(deterministic: options.deterministic, side: .client)
        configuration.observer = chained(clientSide.observer, html?.observer(for: .client))
        configuration.serverName = "localhost"
        configuration.trustAnchors = trustAnchors
        var negotiated = "?"
        let clientResult = Result { () throws(SessionFailure) -> String in
            let socket: TCPSocket
            do { socket = try TCPSocket.connect(host: listener.host, port: listener.port) } catch { throw .connectionLost("\(error)") }
            defer { socket.close() }
            let session = TLSSession(socket: socket, connection: TLSConnection(side: .client, configuration: configuration),
                                     beforeNetwork: clientSide.flush)
            try session.start()
            try session.completeHandshake(deadline: environment.deadline(seconds: TLSSession.handshakeTimeoutSeconds))
            negotiated = session.connection.negotiatedCipherSuite.map { $0.name ?? $0.description } ?? "?"
            clientSide.flush()
            // Let the server print its side of the handshake before our first message, so the
            // page reads strictly in turn.
            serverHandshakeDone.wait()
            try session.send(Array(clientMessage.utf8))
            let received = try session.awaitApplicationData(deadline: environment.deadline(seconds: 5))
            try session.close()
            _ = try session.awaitPeerClose(deadline: environment.deadline(seconds: 5)) { _ in }
            clientSide.flush()
            return String(decoding: received, as: UTF8.self)
        }
        if case .failure = clientResult { listener.shutdownAccepting() }
        serverFinished.wait()
        clientSide.flush()
        serverSide.flush()

        switch (clientResult, serverResult.withLock { $0 }) {
        case (.success(let clientReceived), .success(let serverReceived)?):
            output.conclude(negotiated: negotiated, trustAnchorPath: options.caPath, serverReceived: serverReceived, clientReceived: clientReceived)
            return 0
        case (.failure(let failure), _):
            environment.report("client: \(failure)")
            return 1
        case (_, .failure(let failure)?):
            environment.report("server: \(failure)")
            return 1
        case (_, nil):
            environment.report("server: did not finish")
            return 1
        }
    }

    /// `--rfc8448 N`: RFC 8448 §N in memory, both sides' traces on one page.
    private static func replayRFC8448(_ options: DemoOptions, section: RFC8448Section) -> Int32 {
        let style = TextStyle(isEnabled: shouldUseColor(fileDescriptor: STDOUT_FILENO, noColorFlag: options.noColor))
        do {
            let html = options.htmlPath.map { _ in HTMLRecorder() }
            var observe: (@Sendable (Side, TLSEvent) -> Void)?
            if let html { observe = { side, event in html.record(side, event) } }
            let traces: [TracedExchange.Trace] = [.init(sides: [.client, .server], view: options.traceView ?? .rfc8448)]
            let output = try RFC8448Profile(section: section).reproduce(traces: traces, style: style, observe: observe)
            FileDescriptorSink.standardOutput.write(output.traces[0])
            if let html, let path = options.htmlPath {
                try Data(HTMLPage(title: "RFC 8448 §\(section.rawValue): \(section.title)", language: options.language, events: html.events).render().utf8)
                    .write(to: URL(fileURLWithPath: path))
            }
            return 0
        } catch {
            FileDescriptorSink.standardError.write("\(program): RFC 8448 replay failed: \(error)\n")
            return 1
        }
    }

    /// `--write-transcripts DIR`.
    private static func writeTranscripts(to directory: String) -> Int32 {
        do {
            try Transcripts.write(to: directory)
            return 0
        } catch {
            FileDescriptorSink.standardError.write("\(program): \(error)\n")
            return 1
        }
    }
}

/// The demo's stdout: sides take turns writing whole flushes, each flight under its banner.
final class DemoOutput: Sendable {
    let style: TextStyle
    private let sink: any TextSink
    private let turn = Mutex(())
    /// The page's width: banners fill it, the sides' traces wrap at it.
    let width: Int
    /// The language of the reasons printed with --explain (the demo's default), nil for none.
    let explain: Language?
    /// Lets each side say "(same as server)" rather than print a value the other printed.
    let sharedValues = SharedValues()
    /// With --step: asked before each step is written. The side writing holds the page (and,
    /// flushing before its flight goes out, the network) until the learner moves on.
    let stepGate: StepGate?

    init(style: TextStyle, sink: any TextSink, stepGate: StepGate? = nil, explain: Language? = nil,
         width: Int = TerminalWidth.fallback) {
        self.style = style
        self.sink = sink
        self.stepGate = stepGate
        self.explain = explain
        self.width = width - 2
    }

    func write(_ text: String) {
        let wrapped = LineWrapper(width: width + 2).wrap(text)
        turn.withLock { _ in sink.write(wrapped) }
    }

    /// Writes a side's flush, pausing before each chunk that begins a step.
    func write(_ chunks: [FlightBuffer.Chunk]) {
        turn.withLock { _ in
            for chunk in chunks {
                if let step = chunk.step, let stepGate { stepGate.wait(next: step) }
                sink.write(chunk.text)
            }
        }
    }

    func introduce(address: String) {
        write("""
            \(style.apply("tls13-demo", .bold)): a TLS 1.3 server and client in this process, over \(address).
            Each step is printed by the side that takes it: \(style.side("[client]", .client)) or \(style.side("[server]", .server)),
            → for what it sends, ← for what it receives. Banners mark each flight.
            \(explainNote)
            """)
    }

    /// What the reasons are and how to hide them, under the introduction.
    private var explainNote: String {
        switch explain {
        case .en?: "Lines starting \"why:\" say why a step or a field exists (--no-explain hides them).\n"
        case .zh?: "以“为什么：”开头的行解释每一步、每个字段存在的理由（--no-explain 可关闭）。\n"
        case nil: ""
        }
    }

    func banner(from sender: Side, items: [String]) -> String {
        let list = items.joined(separator: ", ")
        let oneLine = "\(sender) ──\(list)──▶ \(sender.peer)"
        let styledSender = style.side(sender.rawValue, sender)
        let styledPeer = style.side(sender.peer.rawValue, sender.peer)
        if oneLine.count + 4 <= width {
            let rule = String(repeating: "═", count: width - oneLine.count - 4)
            return "\n" + style.apply("══", .dim) + " " + styledSender + " ──" + style.apply(list, .bold) + "──▶ " + styledPeer
                + " " + style.apply(rule, .dim) + "\n"
        }
        let head = "\(sender) ──▶ \(sender.peer)"
        let rule = String(repeating: "═", count: max(3, width - head.count - 4))
        return "\n" + style.apply("══", .dim) + " " + styledSender + " ──▶ " + styledPeer + " " + style.apply(rule, .dim) + "\n"
            + LineWrapper(width: width + 2).wrap("   " + style.apply(list, .bold)) + "\n"
    }

    func conclude(negotiated: String, trustAnchorPath: String, serverReceived: String, clientReceived: String) {
        let rule = String(repeating: "═", count: width - 8)
        write("""

            \(style.apply("══", .dim)) \(style.apply("done", .bold)) \(style.apply(rule, .dim))
              \(style.check(true)) handshake complete with \(negotiated), certificate verified against \(trustAnchorPath)
              \(style.check(true)) the server received \(quoted(serverReceived))
              \(style.check(true)) the client received \(quoted(clientReceived))
              \(style.check(true)) both sides sent close_notify

            Now try it in two terminals:  swift run -c release tls13-server
                                          swift run -c release tls13-client

            """)
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

/// One side's trace in the demo, buffered between its network operations. It notes where the
/// side starts preparing a flight (its key pair or first message sent) and what the flight
/// carries, and puts the flight's banner there when the buffer is flushed, just before the
/// flight is written to the socket.
final class DemoSide: Sendable {
    let side: Side
    private let output: DemoOutput
    private let buffer = FlightBuffer()
    private let printer: TracePrinter

    init(side: Side, output: DemoOutput, view: TraceView) {
        self.side = side
        self.output = output
        let beforeStep: (@Sendable (String) -> Void)? = output.stepGate == nil ? nil : { @Sendable [buffer] name in buffer.markStep(name) }
        printer = TracePrinter(side: side, view: view, style: output.style, sink: buffer, beforeStep: beforeStep,
                               peerShownAbove: output.sharedValues, explain: output.explain, width: output.width + 2)
    }

    var observer: TLSObserver {
        { [buffer, printer] event in
            buffer.note(event)
            printer.observe(event)
        }
    }

    /// Writes everything buffered, with the banner of the flight about to go out.
    @Sendable func flush() {
        printer.flush()
        let chunks = buffer.take { items in output.banner(from: side, items: items) }
        if !chunks.isEmpty { output.write(chunks) }
    }
}

/// The text of one demo side since its last flush, and where its next flight begins.
final class FlightBuffer: TextSink {
    /// Text, and the name of the step it begins (with --step).
    struct Chunk: Sendable {
        var text: String
        var step: String?
    }

    private struct State {
        var chunks: [Chunk] = []
        var flightStart: Int?
        var flightItems: [String] = []
        var nextStep: String?
    }

    private let state = Mutex(State())

    func write(_ text: String) {
        state.withLock { state in
            state.chunks.append(Chunk(text: text, step: state.nextStep))
            state.nextStep = nil
        }
    }

    /// The next text written begins the step `name`.
    func markStep(_ name: String) { state.withLock { $0.nextStep = name } }

    /// Marks the start of a flight at the first thing the side does to send one, and names
    /// what goes into it.
    func note(_ event: TLSEvent) {
        let item: String?
        switch event {
        case .keyPair: item = nil
        case .handshakeMessage(.sent, let type, let bytes, _): item = TraceStep.messageName(type, bytes)
        case .applicationData(.sent, _): item = "application data"
        case .alert(.sent, _, let description): item = "alert \(description.name ?? "\(description.rawValue)")"
        default: return
        }
        state.withLock { state in
            if state.flightStart == nil { state.flightStart = state.chunks.count }
            if let item { state.flightItems.append(item) }
        }
    }

    /// Everything written since the last call, with `banner(items)` where the flight began.
    func take(banner: ([String]) -> String) -> [Chunk] {
        state.withLock { state in
            var chunks = state.chunks
            if let start = state.flightStart, !state.flightItems.isEmpty {
                chunks.insert(Chunk(text: banner(state.flightItems)), at: start)
                state.flightStart = nil
                state.flightItems = []
            } else if state.flightStart != nil {
                state.flightStart = 0  // a flight still being prepared: its banner goes before what follows
            }
            state.chunks = []
            return chunks
        }
    }
}
