/// PEM, the textual wrapping of DER (RFC 7468): base64 between
/// "-----BEGIN label-----" and "-----END label-----" lines. Text outside blocks (OpenSSL
/// writes a human-readable dump there) is ignored.
public enum PEM {
    /// Every block in `text`, in order. Throws on a block that never ends, an END line whose
    /// label differs from its BEGIN, headers (encrypted PEM, RFC 1421, is not supported), or
    /// base64 that is not strictly well-formed.
    public static func decode(_ text: String) throws -> [(label: String, der: [UInt8])] {
        var blocks: [(label: String, der: [UInt8])] = []
        var open: (label: String, line: Int, body: String)? = nil
        for (number, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingWhitespace
            if let current = open {
                if let label = line.boundaryLabel("END") {
                    guard label == current.label else {
                        throw CryptoError(.malformedEncoding, "PEM line \(number + 1): END \(label) closes BEGIN \(current.label)")
                    }
                    guard let der = Base64.decode(current.body) else {
                        throw CryptoError(.malformedEncoding, "PEM block \(label) from line \(current.line): invalid base64")
                    }
                    blocks.append((label, der))
                    open = nil
                } else if line.contains(":") {
                    throw CryptoError(.unsupported, "PEM line \(number + 1): headers (an encrypted key?) are not supported")
                } else {
                    open?.body += line
                }
            } else if let label = line.boundaryLabel("BEGIN") {
                open = (label, number + 1, "")
            }
        }
        if let current = open {
            throw CryptoError(.malformedEncoding, "PEM block \(current.label) from line \(current.line) has no END line")
        }
        return blocks
    }
}

/// Base64 (RFC 4648 §4), strict: only the standard alphabet, length a multiple of 4, padding
/// only at the end, and the bits padding discards must be zero.
enum Base64 {
    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(characters.count / 4 * 3)
        var index = 0
        while index < characters.count {
            let quad = characters[index..<(index + 4)]
            let isLast = index + 4 == characters.count
            let padding = quad.reversed().prefix(while: { $0 == UInt8(ascii: "=") }).count
            guard padding <= 2, padding == 0 || isLast else { return nil }
            var bits: UInt32 = 0
            for character in quad.prefix(4 - padding) {
                guard let value = sextet(character) else { return nil }
                bits = bits << 6 | value
            }
            bits <<= 6 * UInt32(padding)
            let bytes = [UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 8), UInt8(truncatingIfNeeded: bits)]
            guard bytes[(3 - padding)...].allSatisfy({ $0 == 0 }) else { return nil }
            out += bytes.prefix(3 - padding)
            index += 4
        }
        return out
    }

    private static func sextet(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(c - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "+"): 62
        case UInt8(ascii: "/"): 63
        default: nil
        }
    }
}

private extension StringProtocol {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// "-----BEGIN label-----" → label (for kind "BEGIN").
    func boundaryLabel(_ kind: String) -> String? {
        let prefix = "-----\(kind) ", suffix = "-----"
        guard hasPrefix(prefix), hasSuffix(suffix), count >= prefix.count + suffix.count else { return nil }
        return String(dropFirst(prefix.count).dropLast(suffix.count))
    }
}
