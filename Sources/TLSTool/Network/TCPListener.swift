import Foundation

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
