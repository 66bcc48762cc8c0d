import TLSCrypto

/// Values read straight from the text of RFC 8448 (the RFC as published): hex octets after a
/// label, continued over the following lines and across page breaks. For what `RFC8448Trace`
/// does not read: §2's key fields, and a message at its first occurrence.
public struct RFC8448Document: Sendable {
    let lines: [Substring]

    public init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// §2's key fields ("modulus (public):", "prime1:"): the hex after the first line holding
    /// `label`, up to the first blank line.
    public func keyField(_ label: String) throws -> [UInt8] {
        guard let start = lines.firstIndex(where: { $0.contains(label) }) else { throw Missing(label) }
        var hex = String(lines[start].split(separator: ":", maxSplits: 1).last ?? "")
        for line in lines[(start + 1)...] {
            if line.allSatisfy(\.isWhitespace) { break }
            hex += " " + line
        }
        guard let bytes = [UInt8](hex: hex) else { throw Missing(label) }
        return bytes
    }

    /// A "Name (N octets):" value at its first occurrence (§3 for the simple 1-RTT handshake):
    /// N bytes of hex, skipping the page footers and headers that interrupt it.
    public func message(_ name: String) throws -> [UInt8] {
        let prefix = name + " ("
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(prefix) }),
              let count = Int(lines[start].split(separator: "(")[1].prefix(while: \.isNumber))
        else { throw Missing(name) }
        var bytes = [UInt8](hex: lines[start].split(separator: ":", maxSplits: 1)[1]) ?? []
        var index = start + 1
        while bytes.count < count, index < lines.count {
            if let more = [UInt8](hex: lines[index]), !lines[index].allSatisfy(\.isWhitespace) {
                bytes += more
            }
            index += 1
        }
        guard bytes.count == count else { throw Missing(name) }
        return bytes
    }

    public struct Missing: Error, CustomStringConvertible {
        public let label: String
        init(_ label: String) { self.label = label }
        public var description: String { "RFC 8448 text: no value for \(label)" }
    }
}
