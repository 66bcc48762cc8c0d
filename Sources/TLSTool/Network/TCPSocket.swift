import Foundation
import Synchronization

/// A failed socket call, with the call and errno in words.
public struct SocketError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    init(call: String, errno code: Int32 = errno) {
        message = "\(call): \(String(cString: strerror(code)))"
    }
    public var description: String { message }
}

/// A connected TCP socket (POSIX, blocking). One thread reads and writes it; `shutdown` may be
/// called from another thread to wake that reader. The descriptor is closed exactly once.
public final class TCPSocket: Sendable {
    public let fileDescriptor: Int32
    /// "127.0.0.1:50007" or "[::1]:50007", for log lines.
    public let peerDescription: String
    private let closed = Atomic<Bool>(false)

    init(fileDescriptor: Int32, peerDescription: String) {
        self.fileDescriptor = fileDescriptor
        self.peerDescription = peerDescription
        var one: Int32 = 1
        // Handshake flights and chat lines are small and latency-bound: do not let Nagle hold them.
        setsockopt(fileDescriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close() }

    /// Resolves `host` (a name, an IPv4 or an IPv6 literal) and connects to the first address
    /// that accepts.
    public static func connect(host: String, port: UInt16) throws -> TCPSocket {
        var lastError = SocketError("\(host): no address")
        for address in try SocketAddress.resolve(host: host, port: port, passive: false) {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = SocketError(call: "socket")
                continue
            }
            let result = address.withSockaddr { Glibc.connect(fd, $0, $1) }
            if result == 0 { return TCPSocket(fileDescriptor: fd, peerDescription: address.description) }
            lastError = SocketError(call: "connect to \(address)")
            Glibc.close(fd)
        }
        throw lastError
    }

    /// Up to `maxCount` bytes; empty at end of stream.
    public func read(maxCount: Int = 1 << 16) throws -> [UInt8] {
        while true {
            // recv fills the array's own storage: no zeroing beforehand, no copy afterwards.
            var failed = false
            let bytes = [UInt8](unsafeUninitializedCapacity: maxCount) { buffer, initializedCount in
                let count = Glibc.recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
                failed = count < 0
                initializedCount = max(count, 0)
            }
            if !failed { return bytes }
            if errno == EINTR { continue }
            throw SocketError(call: "recv")
        }
    }

    /// All of `bytes`, or throws (a reset or vanished peer is an error, never a SIGPIPE).
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.send(fileDescriptor, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw SocketError(call: "send")
            }
            offset += count
        }
    }

    /// Makes a blocked `send` give up after `seconds`, so a peer that stops reading cannot hold
    /// a connection thread forever.
    public func setSendTimeout(seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fileDescriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    public func shutdown() { Glibc.shutdown(fileDescriptor, Int32(SHUT_RDWR)) }

    /// Closes without a TCP reset: shuts down the sending side (the peer reads everything we
    /// wrote, then end of stream), reads and drops what the peer still sends until it closes,
    /// until it has been silent for `seconds`, for at most `maxBytes` and `limitSeconds` in all,
    /// then closes. Closing with unread input would make the kernel answer with a reset, and a
    /// reset can make the peer's kernel discard data it has not yet handed to the application,
    /// such as our last alert. Silence, not a fixed time, ends the wait: a peer still writing a
    /// long message when we refused it (a slow script writing 16 MiB takes seconds) finishes,
    /// then reads the alert; an idle peer costs `seconds`.
    public func closeAfterDraining(seconds: Int, maxBytes: Int, limitSeconds: Int = 10) {
        Glibc.shutdown(fileDescriptor, Int32(SHUT_WR))
        let limit = ContinuousClock.now + .seconds(limitSeconds)
        var deadline = min(limit, ContinuousClock.now + .seconds(seconds))
        var drained = 0
        while drained < maxBytes, Polling.readable([fileDescriptor], until: deadline).contains(fileDescriptor) {
            guard let bytes = try? read(maxCount: min(1 << 16, maxBytes - drained)), !bytes.isEmpty else { break }
            drained += bytes.count
            deadline = min(limit, ContinuousClock.now + .seconds(seconds))
        }
        close()
    }

    public func close() {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) { Glibc.close(fileDescriptor) }
    }
}
