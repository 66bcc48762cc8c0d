import Foundation
import Synchronization
import TLS13
import TLSCrypto

/// Application data waiting to go to one connection (the server's stdin lines), and the pipe
/// that wakes its thread out of poll.
final class Mailbox: Sendable {
    let wakePipe: WakePipe
    private let pending = Mutex<[[UInt8]]>([])

    init() throws { wakePipe = try WakePipe() }

    func post(_ data: [UInt8]) {
        pending.withLock { $0.append(data) }
        wakePipe.wake()
    }

    func takeAll() -> [[UInt8]] {
        wakePipe.drain()
        return pending.withLock { items in
            defer { items = [] }
            return items
        }
    }
}

/// The state the connection threads share: who is connected (for the stdin broadcast).
final class Server: Sendable {
    let options: ServerOptions
    let environment: ToolEnvironment
    let credentials: ServerCredentials
    private let mailboxes = Mutex<[Int: Mailbox]>([:])

    init(options: ServerOptions, environment: ToolEnvironment, credentials: ServerCredentials) {
        self.options = options
        self.environment = environment
        self.credentials = credentials
    }

    var activeCount: Int { mailboxes.withLock { $0.count } }

    /// Reads stdin until it ends (a terminal line or a pipe chunk at a time) and posts each piece
    /// to every connection. The end of stdin ends only this thread, never the server.
    func broadcastStandardInput() {
        while true {
            let chunk = Polling.read(STDIN_FILENO)
            if chunk.isEmpty { return }
            let targets = mailboxes.withLock { Array($0.values) }
            if targets.isEmpty { environment.report("no client connected: input dropped") }
            for mailbox in targets { mailbox.post(chunk) }
        }
    }

    /// Serves one client to the end. True if the handshake completed and both close_notify
    /// alerts were exchanged.
    func serve(_ socket: TCPSocket, number: Int) -> Bool {
        defer { socket.close() }
        let label = "connection #\(number) from \(socket.peerDescription)"
        let mailbox: Mailbox
        do {
            mailbox = try Mailbox()
        } catch {
            environment.report("\(label): \(error)")
            return false
        }
        mailboxes.withLock { $0[number] = mailbox }
        defer { _ = mailboxes.withLock { $0.removeValue(forKey: number) } }
        socket.setSendTimeout(seconds: TLSSession.handshakeTimeoutSeconds)
        if !options.quiet { environment.report("\(label)") }

        let trace = options.quiet ? nil : environment.tracePrinter(side: .server, tag: number == 1 ? nil : "server #\(number)")
        var configuration = TLSConfiguration()
        configuration.cipherSuites = options.cipherSuites
        configuration.random = makeRandomSource(deterministic: options.deterministic, side: .server)
        configuration.observer = environment.observer(trace: trace)
        configuration.certificateChain = credentials.certificateChain
        configuration.privateKey = credentials.privateKey
        let session = TLSSession(socket: socket, connection: TLSConnection(side: .server, configuration: configuration),
                                 beforeNetwork: { trace?.flush() })
        do {
            try converse(session, mailbox: mailbox)
            trace?.flush()
            if !options.quiet { environment.report("connection #\(number) closed cleanly") }
            return true
        } catch {
            trace?.flush()
            environment.report("\(label): \(error)")
            return false
        }
    }

    private func converse(_ session: TLSSession, mailbox: Mailbox) throws(SessionFailure) {
        let connection = session.connection
        try session.start()
        try session.completeHandshake(deadline: .now + .seconds(TLSSession.handshakeTimeoutSeconds))
        try deliver(connection.takeApplicationData(), session)

        let socketFD = session.socket.fileDescriptor
        while !connection.peerClosed {
            for data in mailbox.takeAll() { try session.send(data) }
            let ready = Polling.readable([socketFD, mailbox.wakePipe.readEnd])
            if ready.contains(socketFD) {
                guard try session.receiveOnce() else {
                    throw .connectionLost("the client closed the TCP connection without close_notify")
                }
                try deliver(connection.takeApplicationData(), session)
            }
        }
        try session.close()
    }

    private func deliver(_ data: [UInt8], _ session: TLSSession) throws(SessionFailure) {
        guard !data.isEmpty else { return }
        if options.quiet { FileDescriptorSink.standardOutput.write(bytes: data) }
        if options.echo { try session.send(data) }
    }
}
