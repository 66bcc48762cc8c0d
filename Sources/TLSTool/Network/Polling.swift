import Foundation

/// Blocking waits and reads on plain descriptors (sockets, stdin, pipes). Waiting is poll(2):
/// an idle chat sleeps in the kernel and uses no CPU.
public enum Polling {
    /// The descriptors among `fds` that are readable (data, end of file or an error to report),
    /// waiting at most until `deadline` (forever when nil). Empty when the deadline passed.
    public static func readable(_ fds: [Int32], until deadline: ContinuousClock.Instant? = nil) -> Set<Int32> {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        while true {
            var timeout: Int32 = -1
            if let deadline {
                let remaining = ContinuousClock.now.duration(to: deadline)
                if remaining <= .zero { return [] }
                let (seconds, attoseconds) = remaining.components
                timeout = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            }
            let result = poll(&entries, nfds_t(entries.count), timeout)
            if result < 0 {
                if errno == EINTR { continue }
                return Set(fds)  // let the reads report the error
            }
            if result == 0 {
                if let deadline, ContinuousClock.now < deadline { continue }
                return []
            }
            let ready = Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
            return Set(entries.filter { $0.revents & ready != 0 }.map(\.fd))
        }
    }

    /// One read of up to `maxCount` bytes: a line from a terminal, a chunk from a pipe or file.
    /// Empty at end of file (an error reading stdin counts as its end).
    public static func read(_ fd: Int32, maxCount: Int = 16 * 1024) -> [UInt8] {
        while true {
            // read fills the array's own storage: no zeroing beforehand, no copy afterwards.
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, initializedCount in
                let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
                failed = count < 0
                initializedCount = max(count, 0)
            }
            if !failed { return bytes }
            if errno == EINTR || errno == EAGAIN { continue }
            return []
        }
    }
}

/// A pipe used to wake a thread blocked in poll (the server's stdin broadcast).
public final class WakePipe: Sendable {
    public let readEnd: Int32
    private let writeEnd: Int32

    public init() throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SocketError(call: "pipe") }
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    public func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(writeEnd, &byte, 1)  // a full pipe already means "wake up"
    }

    /// Empties the pipe after waking.
    public func drain() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ Glibc.read(readEnd, $0.baseAddress, $0.count) }) > 0 {}
    }
}

/// Starts a detached thread. Connection threads get a roomy stack: the crypto keeps its
/// working state in local arrays.
public func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.name = name
    thread.stackSize = 4 << 20
    thread.start()
}
