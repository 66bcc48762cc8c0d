import Foundation
import Synchronization

/// A child process for end-to-end tests: our executables or openssl, with stdin, stdout and
/// stderr as pipes that the test reads while the process runs.
final class ToolProcess: Sendable {
    private let process: Process
    private let input: FileHandle
    private let stdoutBuffer = DataBuffer()
    private let stderrBuffer = DataBuffer()
    private let readersDone = DispatchGroup()
    let name: String

    /// The directory holding the built executables: next to the test bundle (`swift test`
    /// builds every product into the same directory).
    static let productsDirectory: URL = {
        var directory = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("tls13-client").path) {
            directory.deleteLastPathComponent()
        }
        return directory
    }()

    /// The repository root (cert/ lives there).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func ours(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ToolProcess {
        let url = productsDirectory.appendingPathComponent(executable)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ProcessFailure("\(executable) is not built in \(productsDirectory.path): run swift build -c release")
        }
        return try ToolProcess(url, arguments, name: executable, environment: environment)
    }

    static let opensslURL: URL? = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }

    static func openssl(_ arguments: [String]) throws -> ToolProcess {
        guard let url = opensslURL else { throw ProcessFailure("openssl is not installed") }
        return try ToolProcess(url, arguments, name: "openssl \(arguments.first ?? "")")
    }

    /// - Parameter directory: the working directory (default: the repository root).
    init(_ url: URL, _ arguments: [String], name: String, environment: [String: String] = [:],
         directory: URL = ToolProcess.repositoryRoot) throws {
        // A child that exits while a test still writes to its stdin must be an EPIPE error for
        // that write, not a SIGPIPE that kills the whole test process (and every test after it).
        signal(SIGPIPE, SIG_IGN)
        self.name = name
        process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "SSLKEYLOGFILE")
        env.merge(environment) { $1 }
        process.environment = env
        let stdinPipe = Pipe(), stdoutPipe = Pipe(), stderrPipe = Pipe()
        // Tests start processes in parallel: without close-on-exec, a child started by another
        // test at this moment inherits these descriptors, and then closing our end of stdin
        // never reaches this child as end of file (it waited out its timeout under load). The
        // child's own ends still arrive as its 0, 1 and 2, which dup2 leaves open across exec.
        for handle in [stdinPipe.fileHandleForReading, stdinPipe.fileHandleForWriting,
                       stdoutPipe.fileHandleForReading, stdoutPipe.fileHandleForWriting,
                       stderrPipe.fileHandleForReading, stderrPipe.fileHandleForWriting] {
            _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        input = stdinPipe.fileHandleForWriting
        try process.run()
        for (pipe, buffer) in [(stdoutPipe, stdoutBuffer), (stderrPipe, stderrBuffer)] {
            let handle = pipe.fileHandleForReading
            readersDone.enter()
            let group = readersDone
            Thread.detachNewThread {
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    buffer.append(chunk)
                }
                group.leave()
            }
        }
    }

    /// For /proc/PID/status (memory) while it runs.
    var processIdentifier: Int32 { process.processIdentifier }

    var stdout: Data { stdoutBuffer.data }
    var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    var stderrText: String { String(decoding: stderrBuffer.data, as: UTF8.self) }

    func write(_ data: Data) throws { try input.write(contentsOf: data) }
    func write(_ text: String) throws { try write(Data(text.utf8)) }
    func closeInput() throws { try input.close() }

    /// Waits (up to `seconds`) until `condition` holds, or throws with both outputs.
    func waitFor(_ what: String, seconds: Double = 10, _ condition: (ToolProcess) -> Bool) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while !condition(self) {
            guard Date() < deadline else {
                throw ProcessFailure("\(name): no \(what) after \(seconds) s\nstdout: \(stdoutText)\nstderr: \(stderrText)")
            }
            usleep(5_000)
        }
    }

    /// The port from "listening on 127.0.0.1:PORT" (ours) or "ACCEPT 127.0.0.1:PORT" (openssl).
    func listeningPort() throws -> UInt16 {
        var port: UInt16?
        try waitFor("listening line") { process in
            let text = process.stderrText + process.stdoutText
            for line in text.split(separator: "\n") where line.hasPrefix("listening on ") || line.hasPrefix("ACCEPT ") {
                if let colon = line.lastIndex(of: ":") { port = UInt16(line[line.index(after: colon)...]) }
            }
            return port != nil
        }
        return port ?? 0
    }

    /// Waits for exit (killing the process after `seconds`) and returns the status.
    @discardableResult
    func waitForExit(seconds: Double = 15) throws -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            guard Date() < deadline else {
                process.terminate()
                throw ProcessFailure("\(name) still running after \(seconds) s\nstdout: \(stdoutText)\nstderr: \(stderrText)")
            }
            usleep(5_000)
        }
        readersDone.wait()
        return process.terminationStatus
    }

    /// Ctrl-C: SIGINT to the process.
    func interrupt() { if process.isRunning { process.interrupt() } }

    /// SIGTERM, then SIGKILL after a second: some peers (NSS tstclnt) outlive SIGTERM and then
    /// spin on a closed socket, eating a core for the rest of the test run.
    func terminate() {
        guard process.isRunning else { return }
        let pid = process.processIdentifier
        process.terminate()
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(pid, SIGKILL) }
    }

    var isRunning: Bool { process.isRunning }
    /// The exit status; only meaningful after `waitForExit`.
    var terminationStatus: Int32 { process.terminationStatus }

    deinit { terminate() }
}

struct ProcessFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What a child process wrote so far, appended by a reader thread, read by the test.
final class DataBuffer: Sendable {
    private let storage = Mutex(Data())
    func append(_ chunk: Data) { storage.withLock { $0.append(chunk) } }
    var data: Data { storage.withLock { $0 } }
}
