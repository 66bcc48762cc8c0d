import Foundation
import QUIC
import TLS13

/// `quic-server`: the echo example's server over a real UDP socket. Every stream's data goes
/// back on the same stream, FIN included.
public enum QUICServerCommand {
    public static func main(arguments: [String] = CommandLine.arguments) -> Int32 {
        CommandLineTool.main(program: "quic-server", arguments: arguments, usage: QUICOptions.usage(side: .server),
                             parse: { (arguments) throws(UsageError) in try QUICOptions.parse(arguments, side: .server) },
                             run: run)
    }

    static func run(_ options: QUICOptions) -> Int32 {
        let runtime: QUICToolRuntime
        let endpoint: QUICServerEndpoint
        do {
            runtime = try QUICToolRuntime(options: options, program: "quic-server")
            let configuration = QUICConfiguration(tls: try runtime.tlsConfiguration())
            let clock: () -> UInt64 = options.deterministic ? { DeterministicClock.milliseconds } : { UInt64(Date().timeIntervalSince1970 * 1000) }
            endpoint = try QUICServerEndpoint(configuration: configuration, requireRetry: options.retry, clock: clock)
        } catch {
            FileDescriptorSink.standardError.write("quic-server: \(error)\n")
            return 2
        }
        if options.deterministic { runtime.environment.warnDeterministic() }
        let socket: UDPSocket
        do {
            socket = try UDPSocket(bindingTo: options.host, port: options.port)
        } catch {
            runtime.environment.report("\(error)")
            return 1
        }
        let local = socket.localAddress
        FileDescriptorSink.standardError.write("listening on \(SocketAddress.describe(host: local?.host ?? options.host, port: local?.port ?? options.port))\n")
        let html = options.htmlPath.map { _ in QUICHTMLRecorder(side: .server) }
        var pageWritten = false
        /// --html: the first connection's page, once the endpoint has let that connection go.
        func writePageIfEnded() {
            guard let html, let path = options.htmlPath, !pageWritten, let number = html.connectionNumber,
                  endpoint.connection(number) == nil else { return }
            pageWritten = true
            html.writePage(to: path, title: "quic-server on \(SocketAddress.describe(host: local?.host ?? options.host, port: local?.port ?? options.port)): its first connection", environment: runtime.environment)
        }
        endpoint.observer = { number, event in
            runtime.observe(event)
            html?.record(event, connection: number)
        }
        var servedOne = false
        var keyUpdated: Set<Int> = []
        var connectionCount = 0
        while true {
            let ready = runtime.wait([socket.fd], until: endpoint.nextTimeout)
            if ready.contains(socket.fd) {
                while let (datagram, from) = socket.receive() {
                    if runtime.dropped(datagram, sent: false) { continue }
                    if runtime.capture == nil, let path = options.capturePath {
                        runtime.capture = QUICCapture(path: path, side: .server, localPort: local?.port ?? options.port,
                                                      peerPort: UDPSocket.port(of: from), deterministic: options.deterministic)
                    }
                    runtime.setPeer(UDPSocket.describe(from))
                    endpoint.receive(datagram: datagram, from: from, now: runtime.now)
                    servedOne = servedOne || endpoint.connectionCount > 0
                }
            }
            for number in endpoint.connectionNumbers {
                guard let connection = endpoint.connection(number) else { continue }
                for chunk in connection.takeStreamData() { connection.send(stream: chunk.streamID, data: chunk.data, fin: chunk.fin) }
                if options.keyUpdate, connection.handshakeConfirmed, !keyUpdated.contains(number), connection.requestKeyUpdate() {
                    keyUpdated.insert(number)
                }
            }
            endpoint.handleTimeouts(now: runtime.now)
            for (datagram, address) in endpoint.takeDatagrams(now: runtime.now) where !runtime.dropped(datagram, sent: true) {
                socket.send(datagram, to: address)
            }
            writePageIfEnded()
            if options.once && servedOne && endpoint.connectionCount == 0 {
                runtime.writeCapture()
                return 0
            }
            // The capture is rewritten whenever a connection ends, so it is whole when the server is stopped.
            if endpoint.connectionCount < connectionCount { runtime.writeCapture() }
            connectionCount = endpoint.connectionCount
        }
    }
}
