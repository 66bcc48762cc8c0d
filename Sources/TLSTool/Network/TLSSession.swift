import Foundation
import TLS13

/// Why a connection ended without a clean close.
public enum SessionFailure: Error, CustomStringConvertible {
    /// An alert was sent (we found a violation) or received (the peer did).
    case tls(TLSError)
    /// The socket failed or the peer vanished before close_notify.
    case connectionLost(String)
    /// The peer did not finish the handshake in time.
    case timedOut(String)

    public var description: String {
        switch self {
        case .tls(let error):
            error.origin == .local ? "\(error) (alert sent)" : error.description
        case .connectionLost(let why): "connection lost: \(why)"
        case .timedOut(let why): "timed out: \(why)"
        }
    }
}

/// One TLS connection over one TCP socket: moves bytes socket ↔ `TLSConnection`. It owns no
/// thread and no policy; the client, the server and the demo each drive it their own way.
/// Not thread-safe: a session lives on the thread that drives it.
public final class TLSSession {
    public let socket: TCPSocket
    public let connection: TLSConnection
    /// Called before every socket write and before blocking on the network: the trace printer
    /// flushes there, so what a side printed always precedes what its peer prints in reply.
    public var beforeNetwork: () -> Void
    /// The peer's first bytes (up to `FailureDiagnosis.shownByteCount`), to show when they do not parse.
    public private(set) var peerFirstBytes: [UInt8] = []

    public init(socket: TCPSocket, connection: TLSConnection, beforeNetwork: @escaping () -> Void = {}) {
        self.socket = socket
        self.connection = connection
        self.beforeNetwork = beforeNetwork
    }

    /// Writes whatever the connection has queued (records, alerts).
    public func flushOutgoing() throws(SessionFailure) {
        let bytes = connection.takeOutgoing()
        guard !bytes.isEmpty else { return }
        beforeNetwork()
        do {
            try socket.write(bytes)
        } catch {
            throw .connectionLost("\(error)")
        }
    }

    /// Client: queue and send the ClientHello. Server: nothing to do until the ClientHello arrives.
    public func start() throws(SessionFailure) {
        do {
            try connection.start()
        } catch {
            try? flushOutgoing()
            throw Self.failure(error)
        }
        try flushOutgoing()
    }

    /// Reads once from the socket and feeds the bytes to the connection, sending any reply.
    /// Returns false at end of stream. Any alert (sent or received) is thrown, after the alert
    /// we owe the peer has been written.
    public func receiveOnce() throws(SessionFailure) -> Bool {
        beforeNetwork()
        let bytes: [UInt8]
        do {
            bytes = try socket.read()
        } catch {
            throw .connectionLost("\(error)")
        }
        guard !bytes.isEmpty else { return false }
        if peerFirstBytes.count < FailureDiagnosis.shownByteCount {
            peerFirstBytes += bytes.prefix(FailureDiagnosis.shownByteCount - peerFirstBytes.count)
        }
        do {
            try connection.receive(bytes)
        } catch {
            try? flushOutgoing()
            throw Self.failure(error)
        }
        try flushOutgoing()
        return true
    }

    /// Runs the handshake to completion (after `start`), or fails at `deadline`; nil waits as
    /// long as it takes (a side stepping with --step makes its own pauses). When the peer has
    /// sent nothing for `patience`, `peerIsSlow` is told once per silence how long the handshake
    /// has run, so the trace can say the peer is slow instead of seeming to hang.
    public func completeHandshake(deadline: ContinuousClock.Instant?, patience: Duration = .seconds(3),
                                  peerIsSlow: (Duration) -> Void = { _ in }) throws(SessionFailure) {
        let started = ContinuousClock.now
        let fd = socket.fileDescriptor
        while !connection.isHandshakeComplete {
            beforeNetwork()
            let quietUntil = ContinuousClock.now + patience
            var ready = Polling.readable([fd], until: deadline.map { min($0, quietUntil) } ?? quietUntil).contains(fd)
            if !ready, deadline.map({ ContinuousClock.now < $0 }) ?? true {
                peerIsSlow(ContinuousClock.now - started)
                ready = Polling.readable([fd], until: deadline).contains(fd)
            }
            guard ready else {
                let (seconds, attoseconds) = started.duration(to: deadline ?? started).components
                let granted = Int((Double(seconds) + Double(attoseconds) / 1e18).rounded())
                throw .timedOut("handshake not complete after \(max(granted, 1)) s")
            }
            guard try receiveOnce() else { throw .connectionLost("peer closed the TCP connection during the handshake") }
        }
    }

    /// Lines explaining `failure` beyond its message (`FailureDiagnosis`).
    public func diagnosis(of failure: SessionFailure, configuration: TLSConfiguration) -> [String] {
        FailureDiagnosis.lines(for: failure, side: connection.side, configuration: configuration,
                               peerFirstBytes: peerFirstBytes, peerFirstMessageParsed: connection.decodedPeerHandshakeMessage,
                               handshakeComplete: connection.isHandshakeComplete)
    }

    public func completeHandshake(_ wait: HandshakeWait) throws(SessionFailure) {
        try completeHandshake(deadline: wait.deadline, peerIsSlow: wait.peerIsSlow)
    }

    public func send(_ data: [UInt8]) throws(SessionFailure) {
        do {
            try connection.send(data)
        } catch {
            try? flushOutgoing()
            throw Self.failure(error)
        }
        try flushOutgoing()
    }

    /// Sends close_notify (once).
    public func close() throws(SessionFailure) {
        if !connection.isClosed { connection.close() }
        try flushOutgoing()
    }

    /// Reads until the peer's close_notify, end of stream or `deadline`, handing any application
    /// data still arriving to `deliver`. True if the peer's close_notify came.
    public func awaitPeerClose(deadline: ContinuousClock.Instant?, deliver: ([UInt8]) -> Void) throws(SessionFailure) -> Bool {
        while !connection.peerClosed {
            guard Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor),
                  try receiveOnce() else { return false }
            let data = connection.takeApplicationData()
            if !data.isEmpty { deliver(data) }
        }
        return true
    }

    /// Reads until some application data has arrived, and returns it. Fails when the peer
    /// closes first or nothing comes by `deadline`.
    public func awaitApplicationData(deadline: ContinuousClock.Instant?) throws(SessionFailure) -> [UInt8] {
        while true {
            let data = connection.takeApplicationData()
            if !data.isEmpty { return data }
            if connection.peerClosed { throw .connectionLost("the peer closed before sending data") }
            guard Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor) else {
                throw .timedOut("no data from the peer")
            }
            guard try receiveOnce() else { throw .connectionLost("the peer closed the TCP connection before sending data") }
        }
    }

    /// Ends the TCP connection after `failure`. RFC 8446 §6.2: on an error "the implementation
    /// MUST send the appropriate alert and close the connection"; when we sent one, the socket is
    /// closed with `closeAfterDraining`, so that the peer reads the alert instead of getting a
    /// TCP reset (issue 11), within `alertDrainSeconds`, `alertDrainTimeLimit` and
    /// `alertDrainByteLimit`. Otherwise
    /// (a received alert, a lost connection, a timeout) it is simply closed.
    public func close(after failure: SessionFailure) {
        if case .tls(let error) = failure, error.origin == .local {
            socket.closeAfterDraining(seconds: Self.alertDrainSeconds, maxBytes: Self.alertDrainByteLimit,
                                      limitSeconds: Self.alertDrainTimeLimit)
        } else {
            socket.close()
        }
    }

    /// How long, and how many bytes, a connection that sent a fatal alert still reads (and drops)
    /// before closing: enough for a peer to finish a flight in flight and see our alert, and
    /// bounded, so a peer that keeps sending cannot keep the connection. The byte bound is the
    /// largest handshake message a peer can announce (2^24 - 1 bytes, RFC 8446 §4) in records
    /// of 2^14 bytes with their headers: a peer refused for such a message (tlsfuzzer's padded
    /// Finished) still finishes writing it and reads our alert, instead of a TCP reset that
    /// discards the alert. The 5 s are of silence (see `TCPSocket.closeAfterDraining`): a script
    /// writing 16 MiB on a loaded machine can pause for seconds between records.
    public static let alertDrainSeconds = 5
    /// The whole drain, however the peer paces its bytes; the byte bound above is what bounds
    /// the work. tlslite-ng encrypts in pure Python: its 16 MiB Finished takes it about 28 s
    /// under AES-128-GCM on an idle machine and longer under AES-256-GCM. Closing while it still
    /// writes makes its next send fail, and tlsfuzzer then expects no alert, though ours is
    /// already in its buffer: the probe passed or failed by a race. A trickling peer holds the
    /// connection no longer than this.
    public static let alertDrainTimeLimit = 120
    public static let alertDrainByteLimit = (1 << 24) + (1 << 24) / (1 << 14) * (5 + 256)

    /// The 10 s the server grants a client to finish its handshake (issue 3); the client grants
    /// the server the same by default (both have --handshake-timeout).
    public static let handshakeTimeoutSeconds = 10

    static func failure(_ error: any Error) -> SessionFailure {
        if let tls = error as? TLSError { return .tls(tls) }
        return .tls(TLSError(.internalError, "\(error)"))
    }
}
