import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// The server's resource limits under hostile clients: handshake timeout, bounded buffers for
/// clients that stop reading, and the connection cap, each proved over real sockets.
extension HostileServerTests {
    @Test("limit: a client that does not finish its handshake is cut off after --handshake-timeout, with a log line")
    func handshakeTimeout() throws {
        let server = try ServerUnderTest(["--handshake-timeout", "1"])
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port)
        defer { socket.close() }
        try socket.write(Array(try HelloTemplate.good().record.prefix(30)))
        let started = ContinuousClock.now
        let (reply, closed) = socket.readUntilClosed(seconds: 5)
        #expect(closed && reply.isEmpty)
        #expect(started.duration(to: .now) < .seconds(5))
        try server.process.waitFor("the timeout log line") { $0.stderrText.contains("timed out: handshake not complete after 1 s") }
        #expect(try server.servesNextClient())
    }

    /// A field of /proc/PID/status in KiB (VmRSS, VmHWM).
    static func memoryKiB(_ field: String, pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
              let value = line.split(separator: " ").dropFirst().first(where: { !$0.isEmpty }).flatMap({ Int($0) }) else {
            throw ProcessFailure("no \(field) in /proc/\(pid)/status")
        }
        return value
    }

    @Test("limit: stdin broadcast to a client that stops reading is bounded; the reading client gets every byte")
    func slowClientBroadcast() throws {
        let server = try ServerUnderTest(["--handshake-timeout", "1"])
        let slow = try InProcessClient(port: server.port)
        let fast = try InProcessClient(port: server.port)
        defer { slow.close(); fast.close() }
        // An echo proves the server has each client past its handshake, in the broadcast.
        for client in [slow, fast] { #expect(try client.echo([0x0a]) == [0x0a]) }
        let pid = server.process.processIdentifier
        let residentBefore = try Self.memoryKiB("VmRSS", pid: pid)

        let chunk = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let chunks = 64
        let writer = Thread { [process = server.process] in
            for _ in 0..<chunks { try? process.write(chunk) }
        }
        writer.start()
        var received = 0
        var intact = true
        let deadline = ContinuousClock.now + .seconds(30)
        while received < chunks * chunk.count {
            guard Polling.readable([fast.socket.fileDescriptor], until: deadline).contains(fast.socket.fileDescriptor),
                  try fast.session.receiveOnce() else { break }
            let data = fast.connection.takeApplicationData()
            for (offset, byte) in data.enumerated() where byte != chunk[(received + offset) % chunk.count] {
                intact = false
                break
            }
            received += data.count
        }
        #expect(received == chunks * chunk.count && intact)
        // The slow client was cut off by the send timeout, not buffered for.
        try server.process.waitFor("the slow client's failure") { $0.stderrText.contains("connection #1 from") }
        let peak = try Self.memoryKiB("VmHWM", pid: pid)
        #expect(peak - residentBefore < 32 * 1024, "peak RSS grew by \(peak - residentBefore) KiB for 64 MiB broadcast")
    }

    @Test("limit: a client that sends without reading the echo is held back by TCP, then cut off; the server's memory stays flat")
    func echoToClientThatDoesNotRead() throws {
        let server = try ServerUnderTest(["--handshake-timeout", "1"])
        let client = try InProcessClient(port: server.port)
        defer { client.close() }
        let pid = server.process.processIdentifier
        let residentBefore = try Self.memoryKiB("VmRSS", pid: pid)
        let chunk = [UInt8](repeating: 0x2a, count: 1 << 20)
        var sent = 0
        // Our sends block once the server stops reading (it is blocked echoing to us); they fail
        // once the server's send timeout has ended the connection.
        while sent < 256 {
            do {
                try client.session.send(chunk)
            } catch {
                break
            }
            sent += 1
        }
        #expect(sent < 256, "the server kept reading what it could not echo")
        try server.process.waitFor("the server's log line") { $0.stderrText.contains("connection #1 from") }
        let peak = try Self.memoryKiB("VmHWM", pid: pid)
        #expect(peak - residentBefore < 32 * 1024, "peak RSS grew by \(peak - residentBefore) KiB")
        #expect(try server.servesNextClient())
    }

    @Test("limit: beyond --max-connections a connection is refused with a clear log line; the server recovers")
    func connectionCap() throws {
        let server = try ServerUnderTest(["--max-connections", "2"])
        let held = try (1...2).map { _ in try InProcessClient(port: server.port) }
        let refused = try TCPSocket.connect(host: "127.0.0.1", port: server.port)
        defer { refused.close() }
        let (reply, closed) = refused.readUntilClosed(seconds: 5)
        #expect(closed && reply.isEmpty)
        try server.process.waitFor("the refusal log line") { $0.stderrText.contains("connection limit (2) reached: refusing connection #3") }
        for client in held { client.close() }
        // The held connections end asynchronously; the cap frees up as they do.
        var served = false
        for _ in 0..<50 where !served {
            served = (try? server.servesNextClient()) ?? false
            if !served { usleep(20_000) }
        }
        #expect(served)
    }
}
