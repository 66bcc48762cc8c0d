import Foundation
import QUIC
import TLS13

/// `quic-client`: the echo example's client over a real UDP socket. Each stdin line goes on a
/// new bidirectional stream with FIN; from a pipe all of stdin goes on one stream. The echo is
/// printed; end of input (and every echo back) closes the connection with NO_ERROR, exit 0.
public enum QUICClientCommand {
    public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
        CommandLineTool.main(program: "quic-client", arguments: arguments, usage: QUICOptions.usage(side: .client),
                             parse: { (arguments) throws(UsageError) in try QUICOptions.parse(arguments, side: .client) },
                             run: run)
    }

    static func run(_ options: QUICOptions) -> Int32 {
        if options.rfc9001 {
            FileDescriptorSink.standardOutput.write(RFC9001Walkthrough.text(style: TextStyle(isEnabled: shouldUseColor(noColorFlag: options.noColor))))
            return 0
        }
        let runtime: QUICToolRuntime
        let configuration: QUICConfiguration
        do {
            runtime = try QUICToolRuntime(options: options, program: "quic-client")
            configuration = QUICConfiguration(tls: try runtime.tlsConfiguration())
        } catch {
            FileDescriptorSink.standardError.write("quic-client: \(error)\n")
            return 2
        }
        if options.deterministic { runtime.environment.warnDeterministic() }
        let socket: UDPSocket
        let peer: [UInt8]
        do {
            guard let address = try SocketAddress.resolve(host: options.host, port: options.port, passive: false, datagram: true).first else {
                throw SocketError("no address for \(options.host)")
            }
            socket = try UDPSocket(bindingTo: address.family == AF_INET6 ? "::" : "0.0.0.0", port: 0)
            peer = UDPSocket.bytes(of: address)
            runtime.setPeer(address.description)
        } catch {
            runtime.environment.report("cannot reach \(options.host) port \(options.port): \(error)")
            return 1
        }
        if let path = options.capturePath {
            runtime.capture = QUICCapture(path: path, side: .client, localPort: socket.localAddress?.port ?? 0, peerPort: options.port,
                                          deterministic: options.deterministic)
        }
        defer { runtime.writeCapture() }
        let connection: QUICConnection
        do {
            connection = try QUICConnection(client: configuration, now: runtime.now)
        } catch {
            runtime.environment.report("\(error)")
            return 1
        }
        let html = options.htmlPath.map { _ in QUICHTMLRecorder(side: .client) }
        defer {
            if let html, let path = options.htmlPath {
                html.writePage(to: path, title: "quic-client → \(options.host):\(options.port)", environment: runtime.environment)
            }
        }
        connection.observer = { event in
            runtime.observe(event)
            html?.record(event)
        }
        var loop = EchoClientLoop(runtime: runtime, connection: connection, socket: socket, peer: peer)
        return loop.run()
    }
}

/// The client's event loop: datagrams, stdin, timers, echoes.
struct EchoClientLoop {
    let runtime: QUICToolRuntime
    let connection: QUICConnection
    let socket: UDPSocket
    let peer: [UInt8]
    var stdinOpen = true
    let pipeMode = isatty(STDIN_FILENO) == 0
    var pipeStream: UInt64?
    var awaitingEcho: Set<UInt64> = []
    var keyUpdateDone = false

    mutating func run() -> Int32 {
        let options = runtime.options
        let handshakeDeadline = runtime.now + Double(options.handshakeTimeoutSeconds)
        while true {
            // Before sending, so the PING goes out now rather than after the next wait.
            if options.keyUpdate && connection.handshakeConfirmed && !keyUpdateDone {
                keyUpdateDone = connection.requestKeyUpdate()
                // Something the server must answer, so the update completes even when every echo
                // is already back.
                if keyUpdateDone { connection.ping() }
            }
            for datagram in connection.takeDatagrams(now: runtime.now) where !runtime.dropped(datagram, sent: true) {
                socket.send(datagram, to: peer)
            }
            if connection.isClosed || connection.isDraining { break }
            if !connection.isEstablished && !connection.isClosing && runtime.now > handshakeDeadline {
                runtime.environment.report("no handshake with \(options.host) port \(options.port) after \(options.handshakeTimeoutSeconds) s (is a QUIC server there? --handshake-timeout S)")
                return 1
            }
            // With --key-update, the connection stays until the server has followed the update.
            let keyUpdateSettled = !options.keyUpdate || (keyUpdateDone && !connection.isKeyUpdatePending)
            if connection.isEstablished && !stdinOpen && awaitingEcho.isEmpty && connection.allStreamDataAcknowledged && keyUpdateSettled {
                connection.close(now: runtime.now)
                continue
            }
            let readStdin = stdinOpen && connection.isEstablished && connection.canOpenStream
            let ready = runtime.wait([socket.fd] + (readStdin ? [STDIN_FILENO] : []), until: connection.nextTimeout)
            if ready.contains(socket.fd) {
                while let (datagram, _) = socket.receive() {
                    if runtime.dropped(datagram, sent: false) { continue }
                    connection.receive(datagram: datagram, now: runtime.now)
                }
            }
            if ready.contains(STDIN_FILENO) { readInput() }
            if let deadline = connection.nextTimeout, deadline <= runtime.now { connection.handleTimeout(now: runtime.now) }
            for chunk in connection.takeStreamData() { show(chunk) }
        }
        // A clean end: we closed with NO_ERROR after every echo, or the peer closed with NO_ERROR.
        if connection.closeError == nil && awaitingEcho.isEmpty && !stdinOpen { return 0 }
        let reason = connection.closeError.map { "\($0)" } ?? "the connection ended before every echo came back"
        runtime.environment.report(reason)
        return 1
    }

    mutating func readInput() {
        let bytes = Polling.read(STDIN_FILENO)
        if bytes.isEmpty {
            stdinOpen = false
            if pipeMode {
                // End of the pipe: FIN on its stream (an empty one if stdin was empty).
                if pipeStream == nil, let id = connection.openStream() { pipeStream = id; awaitingEcho.insert(id) }
                if let id = pipeStream { connection.send(stream: id, data: [], fin: true) }
            }
            return
        }
        if pipeMode {
            if pipeStream == nil, let id = connection.openStream() { pipeStream = id; awaitingEcho.insert(id) }
            if let id = pipeStream { connection.send(stream: id, data: bytes) }
        } else if let id = connection.openStream() {
            connection.send(stream: id, data: bytes, fin: true)
            awaitingEcho.insert(id)
        }
    }

    mutating func show(_ chunk: StreamChunk) {
        if runtime.options.quiet {
            FileDescriptorSink.standardOutput.write(bytes: chunk.data)
        } else if !chunk.data.isEmpty || chunk.fin {
            let text = String(decoding: chunk.data, as: UTF8.self)
            let line = "echo on stream \(chunk.streamID)\(chunk.fin ? " (FIN)" : ""): " + text
            runtime.trace?.note("\n" + runtime.environment.traceStyle.apply(line.hasSuffix("\n") ? line : line + "\n", .bold, .green))
        }
        if chunk.fin { awaitingEcho.remove(chunk.streamID) }
    }
}
