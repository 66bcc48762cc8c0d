import QUIC
import TLS13

/// Our QUIC client and our server endpoint joined by a simulated network on a virtual clock:
/// each datagram takes `delay` seconds to arrive, `drop` decides which are lost, and a timer
/// fires when the clock reaches it. Nothing reads the real clock, so the same configurations
/// give the same datagrams every time. The server is an echo server (every stream's data goes
/// back, FIN included, like quic-go's echo example and quic-server); the client's application
/// is whatever `clientApplication` does, or the scenarios of QUICLoopback+Echo.
///
/// One step of `run`: both ends write their datagrams onto the wire; the clock jumps to the
/// next arrival or timer; what has arrived is read; the server echoes; the client reads its
/// streams (`received`, `finished`) and its application acts; due timers fire.
public final class QUICLoopback {
    public let client: QUICConnection
    public let server: QUICServerEndpoint
    /// The virtual clock, in seconds.
    public private(set) var now = 0.0
    /// How long each datagram travels, either way.
    public var delay = 0.010
    /// The client's address as the server sees it (IPv4 address and port, 6 bytes):
    /// 127.0.0.1:49152, as the QUIC captures name it. Retry tokens are bound to it.
    public var clientAddress: [UInt8] = [127, 0, 0, 1, 0xc0, 0x00]
    /// Whether a datagram is lost: from the client or the server, its number in that direction
    /// (from 1), its bytes. Sees every datagram sent, so it can also just look.
    public var drop: (_ fromClient: Bool, _ number: Int, _ datagram: [UInt8]) -> Bool = { _, _, _ in false }
    /// The datagrams on their way: when each arrives, which way it goes, its bytes.
    public private(set) var inFlight: [(arrival: Double, toServer: Bool, datagram: [UInt8])] = []
    /// How many datagrams each end has sent, lost ones included.
    public private(set) var sentByClient = 0, sentByServer = 0
    /// What the client has read on each stream, and the streams whose FIN it has read.
    public private(set) var received: [UInt64: [UInt8]] = [:]
    public private(set) var finished: Set<UInt64> = []
    /// The client's application, once a step: given the stream data the client just read, it
    /// may open streams, send, close.
    public var clientApplication: ((_ loopback: QUICLoopback, _ read: [StreamChunk]) -> Void)?

    public init(client: QUICConnection, server: QUICServerEndpoint) {
        self.client = client
        self.server = server
    }

    /// A new client, and a server endpoint (with a Retry first when `retry`) whose tokens read
    /// the time from `serverClock`, in milliseconds.
    public convenience init(client: QUICConfiguration, server: QUICConfiguration, retry: Bool = false,
                            serverClock: @escaping () -> UInt64) throws {
        self.init(client: try QUICConnection(client: client, now: 0),
                  server: try QUICServerEndpoint(configuration: server, requireRetry: retry, clock: serverClock))
    }

    /// Steps until `done()` (checked each time both ends have written), until nothing is left to
    /// happen, or until `limit` seconds of virtual time: whether `done()` holds at the end.
    @discardableResult
    public func run(limit: Double = .infinity, until done: () -> Bool) -> Bool {
        var steps = 0
        while now < limit {
            steps += 1
            // A loop that never settles (a bug) ends here instead of hanging the test.
            if steps > 100_000 { return false }
            send()
            if done() { return true }
            guard let next = [inFlight.map(\.arrival).min(), client.nextTimeout, server.nextTimeout].compactMap({ $0 }).min() else {
                return done()
            }
            now = max(now, next)
            arrive()
            echo()
            let read = client.takeStreamData()
            for chunk in read {
                received[chunk.streamID, default: []] += chunk.data
                if chunk.fin { finished.insert(chunk.streamID) }
            }
            clientApplication?(self, read)
            if let deadline = client.nextTimeout, deadline <= now { client.handleTimeout(now: now) }
            server.handleTimeouts(now: now)
        }
        return done()
    }

    /// Both ends' datagrams onto the wire, except those `drop` loses.
    private func send() {
        for datagram in client.takeDatagrams(now: now) {
            sentByClient += 1
            if !drop(true, sentByClient, datagram) { inFlight.append((now + delay, true, datagram)) }
        }
        for (datagram, _) in server.takeDatagrams(now: now) {
            sentByServer += 1
            if !drop(false, sentByServer, datagram) { inFlight.append((now + delay, false, datagram)) }
        }
    }

    /// Every datagram whose time has come, read in the order it was sent.
    private func arrive() {
        let arriving = inFlight.filter { $0.arrival <= now }
        inFlight.removeAll { $0.arrival <= now }
        for datagram in arriving {
            if datagram.toServer {
                server.receive(datagram: datagram.datagram, from: clientAddress, now: now)
            } else {
                client.receive(datagram: datagram.datagram, now: now)
            }
        }
    }

    /// The echo server's application: every stream's data goes back, FIN included.
    private func echo() {
        for number in server.connectionNumbers {
            guard let connection = server.connection(number) else { continue }
            for chunk in connection.takeStreamData() { connection.send(stream: chunk.streamID, data: chunk.data, fin: chunk.fin) }
        }
    }
}
