#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TLSCrypto

/// The name a client expects the server's certificate to carry: a DNS host name or an IP
/// address, told apart the way RFC 6066 §3 needs ("Literal IPv4 and IPv6 addresses are not
/// permitted in "HostName"", so an IP is never sent as server_name).
public enum ServerIdentity: Hashable, Sendable, CustomStringConvertible {
    case dns(String)
    case ip([UInt8])

    public init(_ name: String) {
        if let address = Self.ipAddress(name) {
            self = .ip(address)
        } else {
            // A trailing dot names the same host (absolute form); certificates never carry it.
            self = .dns(name.hasSuffix(".") ? String(name.dropLast()) : name)
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal (brackets allowed around IPv6), else nil.
    public static func ipAddress(_ text: String) -> [UInt8]? {
        var literal = text
        if literal.hasPrefix("[") && literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    public var description: String {
        switch self {
        case .dns(let name): "DNS:\(name)"
        case .ip(let bytes): "IP:\(Self.format(bytes))"
        }
    }

    static func format(_ address: [UInt8]) -> String {
        if address.count == 4 { return address.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: address.count, by: 2).map {
            String(UInt16(address[$0]) << 8 | UInt16(address[min($0 + 1, address.count - 1)]), radix: 16)
        }.joined(separator: ":")
    }

    /// RFC 6125 §6.4 (DNS) and RFC 5280 §4.2.1.6 (IP): does one subjectAltName entry name us?
    /// DNS names compare case-insensitively; a wildcard is allowed only as the whole left-most
    /// label and matches exactly one label ("*.example.com" matches "www.example.com", not
    /// "example.com" nor "a.b.example.com"). IP addresses compare byte for byte.
    public func isNamed(by name: SubjectAlternativeName) -> Bool {
        switch (self, name) {
        case (.ip(let ours), .ip(let theirs)):
            return ours == theirs
        case (.dns(let ours), .dns(let theirs)):
            let host = ours.lowercased().split(separator: ".", omittingEmptySubsequences: false)
            let pattern = theirs.lowercased().split(separator: ".", omittingEmptySubsequences: false)
            guard host.count == pattern.count, !host.contains(where: \.isEmpty) else { return false }
            for (index, (hostLabel, patternLabel)) in zip(host, pattern).enumerated() {
                if index == 0 && patternLabel == "*" && pattern.count >= 3 { continue }
                if hostLabel != patternLabel { return false }
            }
            return true
        default:
            return false
        }
    }
}
