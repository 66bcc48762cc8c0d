import TLS13

/// The one response of `tls13-server --www`: an HTTP/1.0 status line, two headers and a line
/// of text naming the connection's protocol and cipher suite, like the page of
/// `openssl s_server -www` (RFC 1945 §6: Status-Line, headers, an empty line, the body).
enum HTTPReply {
    /// True once the empty line ending the request header has arrived ("\r\n\r\n", or "\n\n"
    /// from a client that ends lines with LF only).
    static func isComplete(_ request: [UInt8]) -> Bool {
        let text = String(decoding: request, as: UTF8.self)
        return text.contains("\r\n\r\n") || text.contains("\n\n")
    }

    /// The path of a "GET PATH HTTP/1.x" request line, or nil for anything else.
    static func getPath(_ request: [UInt8]) -> String? {
        let line = String(decoding: request.prefix { $0 != 0x0d && $0 != 0x0a }, as: UTF8.self)
        let words = line.split(separator: " ")
        guard words.count >= 2, words[0] == "GET" else { return nil }
        return String(words[1])
    }

    /// 200 for a GET, 400 for anything else (RFC 1945 §9.4: "The request could not be understood").
    static func response(to request: [UInt8], cipherSuite: CipherSuite?) -> [UInt8] {
        let isGet = request.starts(with: Array("GET ".utf8))
        let body = isGet
            ? "tls13-server: TLS 1.3, \(cipherSuite.map { $0.name ?? $0.description } ?? "no cipher suite")\n"
            : "tls13-server --www answers GET requests only\n"
        let status = isGet ? "200 OK" : "400 Bad Request"
        return Array("HTTP/1.0 \(status)\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)
    }
}
