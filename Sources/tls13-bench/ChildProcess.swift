import Foundation

/// A program the end-to-end rows start (our tools, `openssl s_server`, `s_client`, `s_time`),
/// with its standard streams wired as the measurement needs. Whoever starts one stops it.
final class ChildProcess {
    enum Input { case nullDevice, pipe }
    enum Output { case nullDevice, pipe }

    let name: String
    private let process = Process()
    /// Write end of the child's stdin, when `Input.pipe`.
    let standardInput: FileHandle?
    /// Read end of the child's stdout, when `Output.pipe`.
    let standardOutput: FileHandle?

    /// `name` is what error messages call it (the executable's file name by default).
    init(_ executable: URL, _ arguments: [String], name: String? = nil,
         input: Input = .nullDevice, output: Output = .nullDevice) throws {
        self.name = name ?? executable.lastPathComponent
        process.executableURL = executable
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        switch input {
        case .nullDevice:
            process.standardInput = FileHandle.nullDevice
            standardInput = nil
        case .pipe:
            let pipe = Pipe()
            process.standardInput = pipe
            standardInput = pipe.fileHandleForWriting
        }
        switch output {
        case .nullDevice:
            process.standardOutput = FileHandle.nullDevice
            standardOutput = nil
        case .pipe:
            let pipe = Pipe()
            process.standardOutput = pipe
            standardOutput = pipe.fileHandleForReading
        }
        do {
            try process.run()
        } catch {
            throw BenchmarkFailure("cannot start \(self.name): \(error)")
        }
    }

    var processIdentifier: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits for the child to exit on its own and returns its exit status.
    @discardableResult
    func waitForExit() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// SIGTERM (servers run until told to stop), then waits so no zombie is left.
    func terminate() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// `terminate`, then closes our end of its stdin. Only once no other thread writes there:
    /// a descriptor closed under a writer may be reused by the next pipe.
    func stop() {
        terminate()
        try? standardInput?.close()
    }

    /// User plus system CPU time so far, from /proc/PID/stat (fields 14 and 15, in clock ticks).
    func cpuSeconds() throws -> Double {
        let path = "/proc/\(processIdentifier)/stat"
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
              let afterName = stat.lastIndex(of: ")") else {
            throw BenchmarkFailure("cannot read \(path)")
        }
        // After "pid (comm)" come the fields from 3 (state) on; utime and stime are 14 and 15.
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchmarkFailure("unreadable \(path)")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// The first executable called `name` on PATH.
func findOnPath(_ name: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":")
        .map { URL(fileURLWithPath: String($0)).appendingPathComponent(name) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

/// A TCP port on 127.0.0.1 that nobody listens on right now (the kernel picks it).
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchmarkFailure("socket: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var address = loopbackAddress(port: 0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw BenchmarkFailure("cannot bind a loopback port: \(String(cString: strerror(errno)))") }
    return UInt16(bigEndian: address.sin_port)
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port` (the probe connection is
/// closed at once; both servers shrug that off), for at most `seconds`.
func waitUntilListening(port: UInt16, seconds: Double = 10) throws {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        close(fd)
        if connected { return }
        usleep(20_000)
    }
    throw BenchmarkFailure("nothing listens on port \(port) after \(seconds) s")
}

private func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
    return address
}
