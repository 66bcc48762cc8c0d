import Foundation
import TLS13

/// One HTTP/1.1 request head (RFC 9112 §2-§3): what `tls13-server --http` needs of it.
struct HTTPRequestHead: Equatable {
    var method: String
    var target: String
    var version: String
    var headers: [(name: String, value: String)]

    static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.target == b.target && a.version == b.version
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// The longest request line we read (RFC 9112 §3: "at a minimum, request-line lengths of
    /// 8000 octets" should be supported; more is answered with 414) and the longest head.
    static let maximumRequestLine = 8 * 1024
    static let maximumHead = 16 * 1024

    enum Parse: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole head, and how many bytes it took (a body or the next request may follow).
        case head(HTTPRequestHead, length: Int)
        /// An HTTP error status to answer with before closing.
        case refuse(status: Int, reason: String)
    }

    /// Parses `bytes` from the start of a request.
    static func parse(_ bytes: [UInt8]) -> Parse {
        let crlfcrlf: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: crlfcrlf) }) else {
            if let lineEnd = bytes.firstIndex(of: 10), lineEnd > maximumRequestLine { return .refuse(status: 414, reason: "URI Too Long") }
            if bytes.firstIndex(of: 10) == nil, bytes.count > maximumRequestLine { return .refuse(status: 414, reason: "URI Too Long") }
            return bytes.count > maximumHead ? .refuse(status: 431, reason: "Request Header Fields Too Large") : .incomplete
        }
        guard let text = String(validating: bytes[..<end], as: UTF8.self) else { return .refuse(status: 400, reason: "Bad Request") }
        var lines = text.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst()
        guard requestLine.utf8.count <= maximumRequestLine else { return .refuse(status: 414, reason: "URI Too Long") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isLetter && $0.isUppercase }),
              parts[1].hasPrefix("/"), parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .refuse(status: 400, reason: "Bad Request")
        }
        var headers: [(String, String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                  !line[..<colon].contains(" ") else { return .refuse(status: 400, reason: "Bad Request") }
            headers.append((String(line[..<colon]).lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return .head(HTTPRequestHead(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]), headers: headers),
                     length: end + 4)
    }

    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    /// RFC 9112 §9.3: HTTP/1.1 keeps the connection unless "close"; HTTP/1.0 closes unless "keep-alive".
    var keepsAlive: Bool {
        let connection = header("connection")?.lowercased() ?? ""
        return version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
    }
}

/// `tls13-server --http`: HTTP/1.1 over our TLS, where `GET /` answers with the illustrated page
/// of the very connection that asked (its ClientHello, our answers, the keys, the request's own
/// protected record), `GET /?lang=zh` in Chinese. Other paths 404, a malformed request 400, an
/// over-long request line 414, a method we do not serve 405 (501 when it is no method we know);
/// keep-alive, a request split across any number of records, a client that leaves mid-response.
struct HTTPPageServer {
    let session: TLSSession
    let recorder: HTMLRecorder
    let number: Int
    let deadline: () -> ContinuousClock.Instant?

    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    func serve() throws(SessionFailure) {
        var buffer: [UInt8] = session.connection.takeApplicationData()
        while true {
            switch HTTPRequestHead.parse(buffer) {
            case .incomplete:
                if session.connection.peerClosed { return }
                let more = try session.awaitApplicationDataOrClose(deadline: deadline())
                if more.isEmpty { return }
                buffer += more
            case .refuse(let status, let reason):
                try respond(status: status, reason: reason, body: "\(status) \(reason)\n", head: false, close: true)
                return
            case .head(let request, let length):
                buffer.removeFirst(length)
                // A request body (none expected) is skipped by its Content-Length.
                if let length = request.header("content-length").flatMap(Int.init), length > 0 {
                    while buffer.count < length {
                        let more = try session.awaitApplicationDataOrClose(deadline: deadline())
                        if more.isEmpty { return }
                        buffer += more
                    }
                    buffer.removeFirst(length)
                }
                let close = !request.keepsAlive
                try answer(request, close: close)
                if close { return }
            }
        }
    }

    private func answer(_ request: HTTPRequestHead, close: Bool) throws(SessionFailure) {
        guard request.method == "GET" || request.method == "HEAD" else {
            let known = Self.knownMethods.contains(request.method)
            try respond(status: known ? 405 : 501, reason: known ? "Method Not Allowed" : "Not Implemented",
                        body: "this server answers GET and HEAD\n", head: false, close: close, extra: known ? ["Allow: GET, HEAD"] : [])
            return
        }
        let path = request.target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.target
        let query = request.target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        guard path == "/" else {
            try respond(status: 404, reason: "Not Found", body: "404: only / is here (the page of this connection)\n",
                        head: request.method == "HEAD", close: close)
            return
        }
        let language: Language = query.split(separator: "&").contains("lang=zh") ? .zh : .en
        var page = HTMLPage(title: "tls13-server: your connection (#\(number))", language: language, events: recorder.events)
        page.alternateLanguage = language == .zh ? ("/?lang=en", "English") : ("/?lang=zh", "中文")
        try respond(status: 200, reason: "OK", body: page.render(), head: request.method == "HEAD", close: close,
                    contentType: "text/html; charset=utf-8",
                    extra: ["Content-Security-Policy: \(HTMLAssets.contentSecurityPolicy())", "Cache-Control: no-store"])
    }

    private func respond(status: Int, reason: String, body: String, head: Bool, close: Bool,
                         contentType: String = "text/plain; charset=utf-8", extra: [String] = []) throws(SessionFailure) {
        let bodyBytes = Array(body.utf8)
        var lines = ["HTTP/1.1 \(status) \(reason)", "Content-Type: \(contentType)", "Content-Length: \(bodyBytes.count)"] + extra
        lines.append(close ? "Connection: close" : "Connection: keep-alive")
        var bytes = Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
        if !head { bytes += bodyBytes }
        // Records of at most 2^14 bytes (RFC 8446 §5.1); the session splits a long response.
        try session.send(bytes)
    }
}

extension TLSSession {
    /// Application data, or an empty array once the peer has closed.
    func awaitApplicationDataOrClose(deadline: ContinuousClock.Instant?) throws(SessionFailure) -> [UInt8] {
        while true {
            let data = connection.takeApplicationData()
            if !data.isEmpty { return data }
            if connection.peerClosed { return [] }
            guard Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor) else {
                throw .timedOut("no request from the client")
            }
            guard try receiveOnce() else { return [] }
        }
    }
}
