import Loopback
import Synchronization
import TLS13
import TLSCrypto

/// A `TLSLoopback` exchange (in RFC 8448 §3's order) with its traces, key log and capture: what
/// the committed transcripts, the RFC 8448 reproduction (`tls13-demo --rfc8448`) and their tests
/// are made of.
public enum TracedExchange {
    /// A trace to print: one side's, or both sides' on one page (as RFC 8448 interleaves
    /// {client} and {server}, each saying "(same as ...)" for what the other printed first).
    public struct Trace: Sendable {
        public var sides: [Side]
        public var view: TraceView
        /// The language of `--explain`'s reasons, nil for none.
        public var explain: Language?

        public init(sides: [Side], view: TraceView, explain: Language? = nil) {
            self.sides = sides
            self.view = view
            self.explain = explain
        }
    }

    public struct Output: Sendable {
        /// One text per requested trace, in the order requested.
        public var traces: [String]
        /// NSS key log lines of the connection.
        public var keyLog: String
        /// The connection as a pcapng file with the key log embedded (decrypts with no extra file).
        public var pcapng: [UInt8]
        public var clientReceived: [UInt8]
        public var serverReceived: [UInt8]
        /// The tickets the client kept, to resume with.
        public var clientSessions: [ResumptionSession] = []
    }

    public static func run(client clientConfiguration: TLSConfiguration, server serverConfiguration: TLSConfiguration,
                           clientData: [UInt8], serverData: [UInt8], traces: [Trace],
                           style: TextStyle = .plain, capture: TCPCapture = TCPCapture(),
                           observe: (@Sendable (Side, TLSEvent) -> Void)? = nil) throws -> Output {
        let sinks = traces.map { _ in StringSink() }
        var printers: [Side: [TracePrinter]] = [.client: [], .server: []]
        for (trace, sink) in zip(traces, sinks) {
            let shared = trace.sides.count > 1 ? SharedValues() : nil
            for side in trace.sides {
                printers[side, default: []].append(
                    TracePrinter(side: side, view: trace.view, style: style, sink: sink, peerShownAbove: shared,
                                 explain: trace.explain, width: TerminalWidth.fallback))
            }
        }
        // The client sees every record of the connection and logs every secret.
        let recording = Recorder(side: .client)

        var client = clientConfiguration
        var server = serverConfiguration
        let clientPrinters = printers[.client, default: []]
        let serverPrinters = printers[.server, default: []]
        client.observer = { event in
            recording.record(event)
            clientPrinters.forEach { $0.observe(event) }
            observe?(.client, event)
        }
        server.observer = { event in
            serverPrinters.forEach { $0.observe(event) }
            observe?(.server, event)
        }

        let loopback = TLSLoopback(client: client, server: server,
                                   beforeNetwork: { side in printers[side, default: []].forEach { $0.flush() } })
        let received = try loopback.exchange(clientData: clientData, serverData: serverData)
        let recorded = recording.capture
        return Output(traces: sinks.map(\.text), keyLog: recorded.keyLog, pcapng: recorded.pcapng(capture),
                      clientReceived: received.clientReceived, serverReceived: received.serverReceived,
                      clientSessions: loopback.client.receivedSessions)
    }

    /// A `CaptureRecording` that observers on any thread may feed.
    private final class Recorder: Sendable {
        private let recording: Mutex<CaptureRecording>

        init(side: Side) { recording = Mutex(CaptureRecording(side: side)) }

        func record(_ event: TLSEvent) { recording.withLock { $0.record(event) } }

        var capture: CaptureRecording { recording.withLock { $0 } }
    }
}
