import Foundation
import Loopback
import QUIC
import TLS13

/// The QUIC files of `transcripts/`: `quic-client --deterministic` and `quic-server
/// --deterministic` echoing one line, run in memory on a virtual clock (`QUICLoopback`: each
/// datagram takes 10 ms), so the traces, the key log and the capture come out the same every
/// time. With `retry`, the server sends a Retry first (`quic-server --retry`).
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
        let loopback = try QUICLoopback(client: QUICConfiguration(tls: clientTLS), server: QUICConfiguration(tls: serverTLS),
                                        retry: retry, serverClock: { DeterministicClock.milliseconds })
        loopback.client.observer = { event in
            clientTrace.observe(event)
            capture.observe(event)
        }
        loopback.server.observer = { _, event in serverTrace.observe(event) }
        let echoed = loopback.echoThenClose(Array(message.utf8), reading: { chunk in
            clientTrace.note("\necho on stream \(chunk.streamID)\(chunk.fin ? " (FIN)" : ""): \(String(decoding: chunk.data, as: UTF8.self))")
        })
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
