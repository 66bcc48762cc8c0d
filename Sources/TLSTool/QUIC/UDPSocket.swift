import Foundation

/// A UDP socket for the QUIC tools: datagrams in and out, with the peer's address as opaque
/// bytes (the sockaddr itself), which is what `QUICServerEndpoint` routes by.
final class UDPSocket {
    let fd: Int32
    let family: Int32

    /// A socket bound to `host:port` (port 0: any free port).
    init(bindingTo host: String, port: UInt16) throws {
        guard let address = try SocketAddress.resolve(host: host, port: port, passive: true, datagram: true).first else {
            throw SocketError("cannot resolve \(host)")
        }
        family = address.family
        fd = socket(address.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let result = address.withSockaddr { bind(fd, $0, $1) }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw SocketError("cannot bind UDP \(SocketAddress.describe(host: host, port: port)): \(reason)")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// An unbound socket of the family of `peer` (the client's), for `send(_:to:)`.
    init(for peer: SocketAddress) throws {
        family = peer.family
        fd = socket(peer.family, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket: \(String(cString: strerror(errno)))") }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    deinit { close(fd) }

    var localAddress: (host: String, port: UInt16)? { SocketAddress.local(of: fd) }

    func send(_ datagram: [UInt8], to address: [UInt8]) {
        address.withUnsafeBytes { raw in
            let pointer = raw.baseAddress!.assumingMemoryBound(to: sockaddr.self)
            _ = datagram.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, pointer, socklen_t(address.count)) }
        }
    }

    /// One datagram and its sender, nil when none is waiting (the caller polls first).
    func receive() -> (datagram: [UInt8], from: [UInt8])? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                buffer.withUnsafeMutableBytes { recvfrom(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT), address, &length) }
            }
        }
        guard count >= 0 else { return nil }
        let from = withUnsafeBytes(of: &storage) { Array($0.prefix(Int(length))) }
        return (Array(buffer.prefix(count)), from)
    }

    /// "host:port" of a sockaddr given as bytes.
    static func describe(_ address: [UInt8]) -> String {
        var storage = sockaddr_storage()
        withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: address.prefix(MemoryLayout<sockaddr_storage>.size)) }
        return SocketAddress(storage: storage, length: socklen_t(address.count))?.description ?? "?"
    }

    static func port(of address: [UInt8]) -> UInt16 {
        address.count >= 4 ? UInt16(address[2]) << 8 | UInt16(address[3]) : 0
    }

    /// The bytes of a resolved address, as `send(_:to:)` takes them.
    static func bytes(of address: SocketAddress) -> [UInt8] {
        withUnsafeBytes(of: address.storage) { Array($0.prefix(Int(address.length))) }
    }
}
