import Foundation
import TLS13
import TLSCrypto

/// The files of `transcripts/` (see transcripts/README.md), made by running a client and a server
/// against each other in memory (`TracedExchange`): nothing depends on time, ports or threads,
/// so the same code prints the same bytes. `tls13-demo --write-transcripts DIR` writes them
/// (Scripts/regenerate-transcripts.sh), and a test holds the committed files against them.
///
/// The connections:
/// - `deterministic`: our client and server with `--deterministic` randoms, the certificates of
///   cert/, the demo's two messages, close_notify both ways; also both sides on one page with
///   `--explain`'s reasons in English and in Chinese (`deterministic.explained*.txt`), as the
///   demo prints them;
/// - `retry`: the same with the server's `--retry` (stateless HelloRetryRequest with a cookie,
///   under the fixed `--deterministic` cookie key), for the docs' chapter on retries and cookies;
/// - `deterministic-x25519`: the deterministic connection with `--groups x25519` on both sides,
///   whose short ClientHello the docs walk through byte by byte;
/// - `rfc8448`: RFC 8448 §3 replayed with the RFC's inputs (`RFC8448Profile`);
/// - `client-auth`: the deterministic connection with the server's `--verify-client cert/ca.crt`
///   and the client's `--cert cert/client.crt --key cert/client.key` (RFC 8446 §4.3.2, §4.4.2-3);
/// - `rfc8448-5`, `-6`, `-7`: RFC 8448 §5 (HelloRetryRequest to P-256), §6 (client
///   authentication) and §7 (compatibility mode) replayed the same way;
/// - `quic`, `quic-retry`: quic-client and quic-server echoing a line (`QUICTranscripts`).
public enum Transcripts {
    public struct File: Sendable, Equatable {
        public var name: String
        public var contents: [UInt8]

        init(_ name: String, _ text: String) {
            self.name = name
            contents = Array(text.utf8)
        }

        init(_ name: String, bytes: [UInt8]) {
            self.name = name
            contents = bytes
        }
    }

    public static let clientMessage = "Hello from the client!\n"
    public static let serverMessage = "Hello from the server!\n"
    /// The 0-RTT data of the `resumed` connection.
    public static let resumptionEarlyData = "Hello in 0-RTT, before the handshake is over!\n"

    /// The two sides of the `deterministic` connection: fixed-seed randoms, the PKI of cert/.
    public static func deterministicConfigurations(locate: (String) -> String = RepositoryFiles.locate) throws
        -> (client: TLSConfiguration, server: TLSConfiguration) {
        let credentials = try ServerCredentials.load(certificatePath: locate("cert/server.crt"), keyPath: locate("cert/server.key"))
        var client = TLSConfiguration()
        client.random = makeRandomSource(deterministic: true, side: .client)
        client.serverName = "localhost"
        client.trustAnchors = try loadTrustAnchors(path: locate("cert/ca.crt"))
        client.clock = { DeterministicClock.milliseconds }
        var server = TLSConfiguration()
        server.random = makeRandomSource(deterministic: true, side: .server)
        // As tls13-server --deterministic: two tickets under the fixed ticket key, at a fixed time.
        server.ticketKeys = TicketKeyRing.deterministicKeys
        server.clock = { DeterministicClock.milliseconds }
        server.certificateChain = credentials.certificateChain
        server.privateKey = credentials.privateKey
        return (client, server)
    }

    public static func files(locate: (String) -> String = RepositoryFiles.locate) throws -> [File] {
        let both: [TracedExchange.Trace] = [.init(sides: [.client], view: .standard), .init(sides: [.server], view: .standard)]
        let withRFCView = both + [.init(sides: [.client], view: .rfc8448), .init(sides: [.server], view: .rfc8448)]
        let explained: [TracedExchange.Trace] = [.init(sides: [.client, .server], view: .standard, explain: .en),
                                                 .init(sides: [.client, .server], view: .standard, explain: .zh)]
        /// Our deterministic client and server, each with fresh random sources (the same randoms
        /// every time, as two tool runs would have), changed by `adjust`.
        func connection(_ traces: [TracedExchange.Trace], html: HTMLRecorder? = nil,
                        _ adjust: (inout TLSConfiguration, inout TLSConfiguration) -> Void = { _, _ in }) throws -> TracedExchange.Output {
            var (client, server) = try deterministicConfigurations(locate: locate)
            adjust(&client, &server)
            return try TracedExchange.run(client: client, server: server,
                                          clientData: Array(clientMessage.utf8), serverData: Array(serverMessage.utf8),
                                          traces: traces, observe: html.map(Self.observing))
        }
        // The illustrated pages (tls13-demo --html) of the deterministic connection and of RFC 8448 §3.
        let deterministicPage = HTMLRecorder()
        let deterministic = try connection(withRFCView + explained, html: deterministicPage)
        let classic = try connection(withRFCView) { client, server in
            client.groups = [.x25519]
            server.groups = [.x25519]
        }
        let retry = try connection(both) { _, server in server.statelessRetryKey = Server.deterministicRetryCookieKey }
        // tls13-server --early-data 16384: a first connection whose ticket allows 0-RTT, then
        // tls13-client --sess-in (its first ticket) --early-data (the resumption message).
        let register = StrikeRegister()
        let earlyDataServer: (inout TLSConfiguration) -> Void = { server in
            server.maxEarlyDataSize = 16384
            server.strikeRegister = register
        }
        let first = try connection([]) { _, server in earlyDataServer(&server) }
        guard let ticket = first.clientSessions.first else { throw TLSError(.internalError, "the first connection left no ticket") }
        let resumed = try connection(both) { client, server in
            earlyDataServer(&server)
            client.resumptionSession = ticket
            client.earlyData = Array(resumptionEarlyData.utf8)
        }
        // tls13-server --verify-client cert/ca.crt and tls13-client --cert cert/client.crt --key cert/client.key.
        let clientCredentials = try ServerCredentials.load(certificatePath: locate("cert/client.crt"), keyPath: locate("cert/client.key"))
        let clientAnchors = try loadTrustAnchors(path: locate("cert/ca.crt"))
        let clientAuth = try connection(both) { client, server in
            client.certificateChain = clientCredentials.certificateChain
            client.privateKey = clientCredentials.privateKey
            server.clientAuthentication = .require
            server.trustAnchors = clientAnchors
        }
        let rfcTraces: [TracedExchange.Trace] = [.init(sides: [.client, .server], view: .rfc8448)] + both
        let rfc8448Page = HTMLRecorder()
        let rfc8448 = try RFC8448Profile().reproduce(traces: rfcTraces, observe: observing(rfc8448Page))
        let section5 = try RFC8448Profile(section: .helloRetryRequest).reproduce(traces: rfcTraces)
        let section4 = try RFC8448Profile(section: .resumed0RTT).reproduce(traces: rfcTraces)
        let section6 = try RFC8448Profile(section: .clientAuthentication).reproduce(traces: rfcTraces)
        let section7 = try RFC8448Profile(section: .compatibilityMode).reproduce(traces: rfcTraces)
        return [
            File("deterministic-client.txt", deterministic.traces[0]),
            File("deterministic-server.txt", deterministic.traces[1]),
            File("deterministic-client.rfc8448.txt", deterministic.traces[2]),
            File("deterministic-server.rfc8448.txt", deterministic.traces[3]),
            File("deterministic.explained.txt", deterministic.traces[4]),
            File("deterministic.explained.zh.txt", deterministic.traces[5]),
            File("deterministic.keylog", deterministic.keyLog),
            File("deterministic.pcapng", bytes: deterministic.pcapng),
            File("deterministic.html", HTMLPage(title: "tls13-demo: a TLS 1.3 connection", events: deterministicPage.events).render()),
            File("deterministic.zh.html", HTMLPage(title: "tls13-demo：一次 TLS 1.3 连接", language: .zh, events: deterministicPage.events).render()),
            File("deterministic-x25519-client.txt", classic.traces[0]),
            File("deterministic-x25519-server.txt", classic.traces[1]),
            File("deterministic-x25519-client.rfc8448.txt", classic.traces[2]),
            File("deterministic-x25519-server.rfc8448.txt", classic.traces[3]),
            File("deterministic-x25519.keylog", classic.keyLog),
            File("deterministic-x25519.pcapng", bytes: classic.pcapng),
            File("retry-client.txt", retry.traces[0]),
            File("retry-server.txt", retry.traces[1]),
            File("resumed-client.txt", resumed.traces[0]),
            File("resumed-server.txt", resumed.traces[1]),
            File("resumed.keylog", resumed.keyLog),
            File("resumed.pcapng", bytes: resumed.pcapng),
            File("client-auth-client.txt", clientAuth.traces[0]),
            File("client-auth-server.txt", clientAuth.traces[1]),
            File("rfc8448.txt", rfc8448.traces[0]),
            File("rfc8448-client.txt", rfc8448.traces[1]),
            File("rfc8448-server.txt", rfc8448.traces[2]),
            File("rfc8448.keylog", rfc8448.keyLog),
            File("rfc8448.pcapng", bytes: rfc8448.pcapng),
            File("rfc8448.html", HTMLPage(title: "RFC 8448 §3: Simple 1-RTT Handshake", events: rfc8448Page.events).render()),
            File("rfc8448-4.txt", section4.traces[0]),
            File("rfc8448-4-client.txt", section4.traces[1]),
            File("rfc8448-4-server.txt", section4.traces[2]),
            File("rfc8448-4.keylog", section4.keyLog),
            File("rfc8448-4.pcapng", bytes: section4.pcapng),
            File("rfc8448-5.txt", section5.traces[0]),
            File("rfc8448-5-client.txt", section5.traces[1]),
            File("rfc8448-5-server.txt", section5.traces[2]),
            File("rfc8448-5.keylog", section5.keyLog),
            File("rfc8448-5.pcapng", bytes: section5.pcapng),
            File("rfc8448-6.txt", section6.traces[0]),
            File("rfc8448-6-client.txt", section6.traces[1]),
            File("rfc8448-6-server.txt", section6.traces[2]),
            File("rfc8448-6.keylog", section6.keyLog),
            File("rfc8448-6.pcapng", bytes: section6.pcapng),
            File("rfc8448-7.txt", section7.traces[0]),
            File("rfc8448-7-client.txt", section7.traces[1]),
            File("rfc8448-7-server.txt", section7.traces[2]),
            File("rfc8448-7.keylog", section7.keyLog),
            File("rfc8448-7.pcapng", bytes: section7.pcapng),
        ] + (try QUICTranscripts.files(locate: locate))
    }

    /// What a recorder needs from a traced exchange: every event of both sides.
    static func observing(_ recorder: HTMLRecorder) -> @Sendable (Side, TLSEvent) -> Void {
        { side, event in recorder.record(side, event) }
    }

    /// Writes every file into `directory` (created if needed).
    public static func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in try files() {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file.name)
            try Data(file.contents).write(to: url)
        }
    }
}
