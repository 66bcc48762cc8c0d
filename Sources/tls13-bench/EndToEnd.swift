import Foundation
import TLSTool

/// The end-to-end rows: our tls13-server and tls13-client as whole programs over loopback,
/// against `openssl s_server` / `s_client` doing the same job with the same certificate, key and
/// cipher suite, measured by the same harness in the same run.
///
/// Both sides use TLS_CHACHA20_POLY1305_SHA256 (our fastest AEAD and our default preference),
/// X25519 (what both clients offer first) and RSA-PSS signatures with cert/server.key. For full
/// handshakes neither server sends session tickets; for resumed ones both send their default two
/// (ResumedHandshakes.swift).
struct EndToEndBenchmark {
    let openssl: URL
    /// This executable, which runs our server and client with `--as` (see main.swift).
    let ourTools: URL
    let certificate: String
    let key: String
    let caCertificate: String
    /// Seconds of back-to-back full handshakes (`openssl s_time -new`) per server.
    let handshakeSeconds: Int
    /// How long the idle chats sit with nothing to say.
    let idleSeconds: Int

    static let suite = "TLS_CHACHA20_POLY1305_SHA256"
    static let ourSuite = "chacha20"
    static let pipeByteCount = 256 << 20

    init(policy: TimingPolicy) throws {
        guard let openssl = findOnPath("openssl") else { throw BenchmarkFailure("openssl not found") }
        self.openssl = openssl
        ourTools = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        certificate = RepositoryFiles.locate("cert/server.crt")
        key = RepositoryFiles.locate("cert/server.key")
        caCertificate = RepositoryFiles.locate("cert/ca.crt")
        handshakeSeconds = policy.endToEndSeconds
        idleSeconds = policy.endToEndSeconds
    }

    /// Every end-to-end row, ours against OpenSSL (only the rows named in `keys`, when given).
    func run(only keys: Set<String>? = nil) -> [BenchmarkResult] {
        func wanted(_ key: String) -> Bool { keys?.contains(key) ?? true }
        var results: [BenchmarkResult] = []
        if wanted("handshakes_per_s") || wanted("handshake_server_cpu_ms") {
            let (ours, theirs) = compareHandshakes()
            results.append(BenchmarkResult(
                key: "handshakes_per_s", operation: "Full handshakes (s_time -new)", unit: .handshakesPerSecond,
                ours: ours.map(\.perSecond), reference: theirs.map(\.perSecond)))
            results.append(BenchmarkResult(
                key: "handshake_server_cpu_ms", operation: "Server CPU per handshake", unit: .cpuMilliseconds,
                ours: ours.map(\.serverCPUMilliseconds), reference: theirs.map(\.serverCPUMilliseconds)))
        }
        if wanted("resumed_handshakes_per_s") || wanted("resumed_server_cpu_ms") {
            let (ours, theirs) = compareResumedHandshakes()
            results.append(BenchmarkResult(
                key: "resumed_handshakes_per_s", operation: "Resumed handshakes (psk_dhe_ke)", unit: .handshakesPerSecond,
                ours: ours.map(\.perSecond), reference: theirs.map(\.perSecond)))
            results.append(BenchmarkResult(
                key: "resumed_server_cpu_ms", operation: "Server CPU per resumption", unit: .cpuMilliseconds,
                ours: ours.map(\.serverCPUMilliseconds), reference: theirs.map(\.serverCPUMilliseconds)))
        }
        if wanted("pipe_256mib_s") || wanted("pipe_256mib_cpu_s") {
            let ours = Result { try timePipe(server: startOurServer, client: startOurClient) }
            let theirs = Result { try timePipe(server: startOpenSSLServer, client: startOpenSSLClient) }
            results.append(BenchmarkResult(
                key: "pipe_256mib_s", operation: "256 MiB client → server", unit: .seconds,
                ours: ours.map(\.seconds), reference: theirs.map(\.seconds)))
            results.append(BenchmarkResult(
                key: "pipe_256mib_cpu_s", operation: "256 MiB: client + server CPU", unit: .cpuSeconds,
                ours: ours.map(\.cpuSeconds), reference: theirs.map(\.cpuSeconds)))
        }
        if wanted("idle_chat_cpu_ms") {
            let idle = idleChatCPU()
            results.append(BenchmarkResult(
                key: "idle_chat_cpu_ms", operation: "Idle chat, \(idleSeconds) s (client + server)", unit: .cpuMillisecondsIdle,
                ours: idle.ours, reference: idle.openssl))
        }
        return results
    }

    // MARK: Handshakes

    struct HandshakeFigures {
        var count = 0.0
        var seconds = 0.0
        var serverCPUSeconds = 0.0

        var perSecond: Double { count / seconds }
        var serverCPUMilliseconds: Double { serverCPUSeconds / count * 1000 }
    }

    /// Full handshakes against both servers, each started once, timed in four slices of
    /// `handshakeSeconds / 2` in the order ours, OpenSSL, OpenSSL, ours: when the load of the
    /// shared machine drifts during the run, both sides feel it alike.
    private func compareHandshakes() -> (ours: Result<HandshakeFigures, any Error>, openssl: Result<HandshakeFigures, any Error>) {
        func listening(_ start: (UInt16, ChildProcess.Output) throws -> ChildProcess) throws -> (ChildProcess, UInt16) {
            let port = try freeLoopbackPort()
            let server = try start(port, .nullDevice)
            do {
                try waitUntilListening(port: port)
            } catch {
                server.stop()
                throw error
            }
            return (server, port)
        }
        let servers = [Result { try listening(startOurServer) }, Result { try listening(startOpenSSLServer) }]
        defer { for server in servers { (try? server.get())?.0.stop() } }
        var figures = servers.map { $0.map { _ in HandshakeFigures() } }
        let sliceSeconds = max(1, handshakeSeconds / 2)
        for side in [0, 1, 1, 0] {
            figures[side] = figures[side].flatMap { sum in
                Result {
                    let (server, port) = try servers[side].get()
                    return try timeHandshakes(server: server, port: port, seconds: sliceSeconds, adding: sum)
                }
            }
        }
        return (figures[0], figures[1])
    }

    /// `openssl s_time -new` makes full handshakes back to back for `seconds` (by the wall
    /// clock), then reports how many. Its own rate divides by the client's user time or by whole
    /// seconds, so we divide by the wall time we measured around it instead.
    private func timeHandshakes(server: ChildProcess, port: UInt16, seconds: Int, adding sum: HandshakeFigures) throws -> HandshakeFigures {
        let cpuBefore = try server.cpuSeconds()
        let began = Date()
        let sTime = try ChildProcess(openssl, ["s_time", "-connect", "127.0.0.1:\(port)", "-new",
                                               "-time", "\(seconds)", "-ciphersuites", Self.suite],
                                     output: .pipe)
        let report = String(decoding: sTime.standardOutput?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        let status = sTime.waitForExit()
        let elapsed = Date().timeIntervalSince(began)
        let serverCPU = try server.cpuSeconds() - cpuBefore
        // "1579 connections in 0.64s; 2467.19 connections/user sec, bytes read 0"
        guard status == 0, let line = report.split(separator: "\n").first(where: { $0.contains(" connections in ") }),
              let count = line.split(separator: " ").first.flatMap({ Double($0) }), count > 0 else {
            throw BenchmarkFailure("s_time against \(server.name) failed (status \(status))")
        }
        return HandshakeFigures(count: sum.count + count, seconds: sum.seconds + elapsed,
                                serverCPUSeconds: sum.serverCPUSeconds + serverCPU)
    }

    // MARK: Bulk data

    struct PipeFigures {
        /// Wall time, what the user waits.
        let seconds: Double
        /// CPU time of client and server together, which the load of a shared machine disturbs less.
        let cpuSeconds: Double
    }

    /// Wall time from starting the client until the server has written 256 MiB of received
    /// application data to its stdout (which we count), and the CPU time both used for it. The
    /// client reads the bytes from its stdin, which we feed from a pipe as fast as it takes them.
    private func timePipe(server startServer: (UInt16, ChildProcess.Output) throws -> ChildProcess,
                             client startClient: (UInt16, ChildProcess.Input) throws -> ChildProcess) throws -> PipeFigures {
        let port = try freeLoopbackPort()
        let server = try startServer(port, .pipe)
        defer { server.stop() }
        try waitUntilListening(port: port)
        guard let serverOutput = server.standardOutput else { throw BenchmarkFailure("no server stdout") }

        let delivered = DispatchSemaphore(value: 0)
        let count = ByteCount()
        startThread(name: "count server output") {
            count.readAll(from: serverOutput.fileDescriptor, until: Self.pipeByteCount)
            delivered.signal()
        }
        let began = Date()
        let client = try startClient(port, .pipe)
        guard let clientInput = client.standardInput else {
            client.stop()
            throw BenchmarkFailure("no client stdin")
        }
        let fed = DispatchSemaphore(value: 0)
        startThread(name: "feed client input") {
            writePattern(to: clientInput.fileDescriptor, count: Self.pipeByteCount)
            fed.signal()
        }
        let arrived = delivered.wait(timeout: .now() + 120) == .success
        let elapsed = Date().timeIntervalSince(began)
        let cpu = Result { try client.cpuSeconds() + server.cpuSeconds() }
        // s_client -quiet ignores the end of its input, so every client is stopped by signal;
        // the feeding thread then meets a closed pipe and returns before its descriptor is closed.
        client.terminate()
        fed.wait()
        client.stop()
        guard arrived else {
            throw BenchmarkFailure("\(server.name) received only \(count.value) bytes in 120 s")
        }
        guard count.value >= Self.pipeByteCount else {
            throw BenchmarkFailure("\(server.name) stopped after \(count.value) bytes")
        }
        return PipeFigures(seconds: elapsed, cpuSeconds: try cpu.get())
    }

    // MARK: Idle

    /// CPU milliseconds a connected client and server use together while nobody types: both
    /// pairs (ours and OpenSSL's) sit side by side for `idleSeconds` after a second to connect.
    private func idleChatCPU() -> (ours: Result<Double, any Error>, openssl: Result<Double, any Error>) {
        func startPair(_ startServer: (UInt16, ChildProcess.Output) throws -> ChildProcess,
                       _ startClient: (UInt16, ChildProcess.Input) throws -> ChildProcess) throws -> [ChildProcess] {
            let port = try freeLoopbackPort()
            let server = try startServer(port, .nullDevice)
            do {
                try waitUntilListening(port: port)
                return [server, try startClient(port, .pipe)]
            } catch {
                server.stop()
                throw error
            }
        }
        func cpu(_ pair: [ChildProcess]) throws -> Double { try pair.map { try $0.cpuSeconds() }.reduce(0, +) }

        let ours = Result { try startPair(startOurServer, startOurClient) }
        let theirs = Result { try startPair(startOpenSSLServer, startOpenSSLClient) }
        defer { for pair in [ours, theirs] { (try? pair.get())?.reversed().forEach { $0.stop() } } }
        sleep(1)
        let before = (ours: ours.flatMap { pair in Result { try cpu(pair) } },
                      theirs: theirs.flatMap { pair in Result { try cpu(pair) } })
        sleep(UInt32(idleSeconds))
        func used(_ pair: Result<[ChildProcess], any Error>, _ start: Result<Double, any Error>) -> Result<Double, any Error> {
            Result {
                let processes = try pair.get()
                guard processes.allSatisfy(\.isRunning) else { throw BenchmarkFailure("the idle chat ended early") }
                return (try cpu(processes) - start.get()) * 1000
            }
        }
        return (used(ours, before.ours), used(theirs, before.theirs))
    }

    // MARK: The programs

    private func startOurServer(port: UInt16, output: ChildProcess.Output) throws -> ChildProcess {
        try startOurServer(port: port, output: output, tickets: false)
    }

    func startOurServer(port: UInt16, output: ChildProcess.Output, tickets: Bool) throws -> ChildProcess {
        // stdin stays an open, silent pipe: the server broadcasts stdin lines and must not see EOF.
        try ChildProcess(ourTools, ["--as", "tls13-server", "--quiet", "--port", "\(port)", "--cipher-suites", Self.ourSuite,
                                     "--cert", certificate, "--key", key] + (tickets ? [] : ["--tickets", "0"]),
                         name: "tls13-server", input: .pipe, output: output)
    }

    private func startOurClient(port: UInt16, input: ChildProcess.Input) throws -> ChildProcess {
        try ChildProcess(ourTools, ["--as", "tls13-client", "--quiet", "--host", "127.0.0.1", "--port", "\(port)", "--server-name", "localhost",
                                     "--ca", caCertificate, "--cipher-suites", Self.ourSuite],
                         name: "tls13-client", input: input)
    }

    private func startOpenSSLServer(port: UInt16, output: ChildProcess.Output) throws -> ChildProcess {
        try startOpenSSLServer(port: port, output: output, tickets: false)
    }

    func startOpenSSLServer(port: UInt16, output: ChildProcess.Output, tickets: Bool) throws -> ChildProcess {
        try ChildProcess(openssl, ["s_server", "-quiet", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key,
                                   "-ciphersuites", Self.suite] + (tickets ? [] : ["-num_tickets", "0"]),
                         input: .pipe, output: output)
    }

    private func startOpenSSLClient(port: UInt16, input: ChildProcess.Input) throws -> ChildProcess {
        try ChildProcess(openssl, ["s_client", "-quiet", "-connect", "127.0.0.1:\(port)", "-servername", "localhost",
                                   "-CAfile", caCertificate, "-ciphersuites", Self.suite],
                         input: input)
    }
}

/// Bytes read so far by the thread that drains the server's stdout (read by the main thread
/// only for an error message).
private final class ByteCount: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0

    var value: Int { lock.withLock { total } }

    /// Reads `fd` until `target` bytes have come or it ends.
    func readAll(from fd: Int32, until target: Int) {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while value < target {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            lock.withLock { total += count }
        }
    }
}

/// Writes `count` bytes of a fixed pattern to `fd`, stopping early if the reader goes away
/// (SIGPIPE is ignored in tls13-bench, so that is an EPIPE error, not the end of us).
private func writePattern(to fd: Int32, count: Int) {
    let chunk = [UInt8](repeating: 0xa5, count: 1 << 16)
    var remaining = count
    while remaining > 0 {
        let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, min($0.count, remaining)) }
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return }
        remaining -= written
    }
}
