import Foundation
import QUIC
import TLS13

/// The QUIC files of `transcripts/`: `quic-client --deterministic` and `quic-server
/// --deterministic` echoing one line, run in memory on a virtual clock (each datagram takes
/// 10 ms), so the traces, the key log and the capture come out the same every time. With
/// `retry`, the server sends a Retry first (`quic-server --retry`).
enum QUICTranscripts {
    static let message = "Hello over QUIC!\n"

    struct Output {
        var client: String
        var server: String
        var keyLog: String
        var pcapng: [UInt8]
    }

    static func run(retry: Bool, locate: (String) -> String) throws -> Output {
        var (clientTLS, serverTLS) = try Transcripts.deterministicConfigurations(locate: locate)
        clientTLS.applicationProtocols = ["quic-echo-example"]
        serverTLS.applicationProtocols = ["quic-echo-example"]
        serverTLS.ticketCount = 0
        let clientSink = StringSink(), serverSink = StringSink()
        let clientTrace = QUICTracePrinter(side: .client, style: .plain, sink: clientSink, width: 80)
        let serverTrace = QUICTracePrinter(side: .server, style: .plain, sink: serverSink, width: 80)
        clientTrace.peer = "127.0.0.1:50008"
        serverTrace.peer = "127.0.0.1:49152"
        let capture = QUICCapture(path: "", side: .client, localPort: 49152, peerPort: 50008, deterministic: true)
        let client = try QUICConnection(client: QUICConfiguration(tls: clientTLS), now: 0)
        let server = try QUICServerEndpoint(configuration: QUICConfiguration(tls: serverTLS), requireRetry: retry,
                                            clock: { DeterministicClock.milliseconds })
        client.observer = { event in
            clientTrace.observe(event)
            capture.observe(event)
        }
        server.observer = { _, event in serverTrace.observe(event) }
        let address: [UInt8] = [127, 0, 0, 1, 0xc0, 0x00]
        var now = 0.0
        var wire: [(arrival: Double, toServer: Bool, datagram: [UInt8])] = []
        var stream: UInt64?
        var echoed = false
        for _ in 0..<10_000 {
            wire += client.takeDatagrams(now: now).map { (now + 0.010, true, $0) }
            wire += server.takeDatagrams(now: now).map { (now + 0.010, false, $0.datagram) }
            if client.isClosed && server.connectionCount == 0 { break }
            let next = [wire.map(\.arrival).min(), client.nextTimeout, server.nextTimeout].compactMap { $0 }.min()
            guard let next else { break }
            now = max(now, next)
            for d in wire where d.arrival <= now {
                if d.toServer { server.receive(datagram: d.datagram, from: address, now: now) } else { client.receive(datagram: d.datagram, now: now) }
            }
            wire.removeAll { $0.arrival <= now }
            for number in server.connectionNumbers {
                guard let connection = server.connection(number) else { continue }
                for chunk in connection.takeStreamData() { connection.send(stream: chunk.streamID, data: chunk.data, fin: chunk.fin) }
            }
            if stream == nil, let id = client.openStream() {
                stream = id
                client.send(stream: id, data: Array(message.utf8), fin: true)
            }
            for chunk in client.takeStreamData() where chunk.fin || !chunk.data.isEmpty {
                clientTrace.note("\necho on stream \(chunk.streamID)\(chunk.fin ? " (FIN)" : ""): \(String(decoding: chunk.data, as: UTF8.self))")
                echoed = echoed || chunk.fin
            }
            if echoed && client.isEstablished && client.allStreamDataAcknowledged { client.close(now: now) }
            if let t = client.nextTimeout, t <= now { client.handleTimeout(now: now) }
            server.handleTimeouts(now: now)
        }
        guard echoed else { throw QUICError(.internalError, "the in-memory QUIC echo did not complete") }
        clientTrace.flush()
        serverTrace.flush()
        return Output(client: clientSink.text, server: serverSink.text, keyLog: capture.keyLogText, pcapng: capture.pcapng())
    }

    static func files(locate: (String) -> String) throws -> [Transcripts.File] {
        let plain = try run(retry: false, locate: locate)
        let retry = try run(retry: true, locate: locate)
        return [
            Transcripts.File("quic-client.txt", plain.client),
            Transcripts.File("quic-server.txt", plain.server),
            Transcripts.File("quic.keylog", plain.keyLog),
            Transcripts.File("quic.pcapng", bytes: plain.pcapng),
            Transcripts.File("quic-retry-client.txt", retry.client),
            Transcripts.File("quic-retry-server.txt", retry.server),
        ]
    }
}
