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
        var buffer = [UInt8](repeating: 0, count: maxCount)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.recv(fileDescriptor, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer.prefix(count)) }
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

    public func close() {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) { Glibc.close(fileDescriptor) }
    }
}

/// A listening TCP socket.
public final class TCPListener: Sendable {
    public let fileDescriptor: Int32
    /// The address actually bound (with the port the kernel picked for port 0).
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16, backlog: Int32 = 128) throws {
        var lastError = SocketError("\(host): no address")
        for address in try SocketAddress.resolve(host: host, port: port, passive: true) {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = SocketError(call: "socket")
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if address.withSockaddr({ bind(fd, $0, $1) }) == 0, Glibc.listen(fd, backlog) == 0,
               let bound = SocketAddress.local(of: fd) {
                fileDescriptor = fd
                self.host = bound.host
                self.port = bound.port
                return
            }
            lastError = SocketError(call: "listen on \(address)")
            Glibc.close(fd)
        }
        throw lastError
    }

    deinit { Glibc.close(fileDescriptor) }

    /// "127.0.0.1:50007", "[::1]:50007"
    public var addressDescription: String { SocketAddress.describe(host: host, port: port) }

    /// Makes a blocked `accept` fail, so the thread waiting in it can finish.
    public func shutdownAccepting() { Glibc.shutdown(fileDescriptor, Int32(SHUT_RDWR)) }

    /// Blocks until a client connects.
    public func accept() throws -> TCPSocket {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(fileDescriptor, $0, &length) }
            }
            if fd >= 0 {
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                let peer = SocketAddress(storage: storage, length: length)
                return TCPSocket(fileDescriptor: fd, peerDescription: peer?.description ?? "?")
            }
            // A client that gave up between SYN and accept, or a signal: keep accepting.
            if errno == EINTR || errno == ECONNABORTED || errno == EPROTO { continue }
            throw SocketError(call: "accept")
        }
    }
}

/// One resolved socket address (IPv4 or IPv6).
struct SocketAddress: CustomStringConvertible {
    var storage: sockaddr_storage
    var length: socklen_t

    init?(storage: sockaddr_storage, length: socklen_t) {
        guard Int32(storage.ss_family) == AF_INET || Int32(storage.ss_family) == AF_INET6 else { return nil }
        self.storage = storage
        self.length = length
    }

    var family: Int32 { Int32(storage.ss_family) }

    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        withUnsafePointer(to: storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) } }
    }

    var host: String {
        var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let result = withSockaddr { getnameinfo($0, $1, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) }
        guard result == 0 else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var port: UInt16 {
        withSockaddr { pointer, _ in
            if family == AF_INET6 {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    var description: String { Self.describe(host: host, port: port) }

    static func describe(host: String, port: UInt16) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    static func local(of fd: Int32) -> (host: String, port: UInt16)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0, let address = SocketAddress(storage: storage, length: length) else { return nil }
        return (address.host, address.port)
    }

    /// getaddrinfo for TCP; `passive` for an address to listen on.
    static func resolve(host: String, port: UInt16, passive: Bool) throws -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = (passive ? AI_PASSIVE : 0) | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let result = getaddrinfo(host, String(port), &hints, &list)
        guard result == 0 else {
            throw SocketError("cannot resolve \(host): \(String(cString: gai_strerror(result)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var node = list
        while let current = node {
            if let sockaddrPointer = current.pointee.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { destination in
                    destination.copyMemory(from: UnsafeRawBufferPointer(start: sockaddrPointer, count: Int(current.pointee.ai_addrlen)))
                }
                if let address = SocketAddress(storage: storage, length: current.pointee.ai_addrlen) { addresses.append(address) }
            }
            node = current.pointee.ai_next
        }
        return addresses
    }
}
