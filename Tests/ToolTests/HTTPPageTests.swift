import Foundation
import Testing

/// Issue 16, `tls13-server --http`: a browser (or openssl s_client) asks for / and gets the
/// illustrated page of its own connection; HTTP's error cases each get their status.
@Suite("tls13-server --http")
struct HTTPPageTests {
    /// openssl s_client sending `pieces` (each its own write, so its own TLS record), then
    /// waiting for the server to close; stdout is what came back.
    func exchange(port: UInt16, _ pieces: [String], pause: UInt32 = 100_000) throws -> String {
        let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-CAfile", "cert/ca.crt",
                                              "-servername", "localhost", "-alpn", "http/1.1"])
        defer { client.terminate() }
        usleep(300_000)
        for piece in pieces {
            try client.write(piece)
            usleep(pause)
        }
        _ = try? client.waitFor("the server's close", seconds: 10) { !$0.isRunning }
        return client.stdoutText
    }

    /// The responses in a byte stream, read by their Content-Length: status line and body.
    static func responses(_ stream: String) -> [(status: String, body: String)] {
        var rest = Substring(stream)
        var found: [(String, String)] = []
        while let end = rest.range(of: "\r\n\r\n") {
            let head = rest[..<end.lowerBound].components(separatedBy: "\r\n")
            let length = head.first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = rest[end.upperBound...].utf8.prefix(length)
            found.append((head[0], String(decoding: body, as: UTF8.self)))
            rest = Substring(String(decoding: rest[end.upperBound...].utf8.dropFirst(length), as: UTF8.self))
        }
        return found
    }

    func server() throws -> (ToolProcess, UInt16) {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--http", "--quiet"])
        return (server, try server.listeningPort())
    }

    @Test("GET / answers the page of this very connection; 404, 405 and 501 keep the connection (keep-alive); Connection: close ends it")
    func statusesAndKeepAlive() throws {
        try P256InteropTests.requireOpenSSL()
        let (server, port) = try server()
        defer { server.terminate() }
        let out = try exchange(port: port, [
            "GET /elsewhere HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "DELETE / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "BREW / HTTP/1.1\r\nHost: localhost\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        ])
        let statuses = Self.responses(out).map(\.status)
        #expect(statuses == ["HTTP/1.1 404 Not Found", "HTTP/1.1 405 Method Not Allowed", "HTTP/1.1 501 Not Implemented", "HTTP/1.1 200 OK"], "\(out.prefix(500))")
        #expect(out.contains("Allow: GET, HEAD"))
        #expect(out.contains("<title>tls13-server: your connection (#1)</title>"))
        #expect(out.contains("GET /elsewhere HTTP/1.1"), "the page shows the requests this connection sent, decrypted")
        #expect(out.contains("Content-Security-Policy: default-src 'none'"))
    }

    @Test("a request split over many records is read whole; /?lang=zh is the page in Chinese")
    func splitRequest() throws {
        try P256InteropTests.requireOpenSSL()
        let (server, port) = try server()
        defer { server.terminate() }
        let out = try exchange(port: port, ["GE", "T /?lang=", "zh HTTP/1.1\r\nHo", "st: localhost\r\nConnection: close\r", "\n\r\n"])
        #expect(out.contains("HTTP/1.1 200 OK"), "\(out.prefix(300))")
        #expect(out.contains("<html lang=\"zh-Hans\">"))
        #expect(out.contains("hreflang=\"en\">English</a>"), "the page links to the other language")
    }

    @Test("a malformed request line gets 400, a request line over 8 KiB 414; each closes the connection")
    func malformedAndLong() throws {
        try P256InteropTests.requireOpenSSL()
        let (server, port) = try server()
        defer { server.terminate() }
        #expect(try exchange(port: port, ["GET  HTTP/1.1 nonsense\r\n\r\n"]).contains("HTTP/1.1 400 Bad Request"))
        let long = "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n"
        #expect(try exchange(port: port, [long]).contains("HTTP/1.1 414 URI Too Long"))
    }

    @Test("a client that leaves in the middle of the response does not stop the server: the next one is served")
    func clientLeavesEarly() throws {
        try P256InteropTests.requireOpenSSL()
        let (server, port) = try server()
        defer { server.terminate() }
        for _ in 0..<3 {
            let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-CAfile", "cert/ca.crt", "-servername", "localhost"])
            usleep(300_000)
            try client.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            usleep(50_000)
            client.terminate()
        }
        let out = try exchange(port: port, ["GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"])
        #expect(out.contains("HTTP/1.1 200 OK"))
        #expect(server.isRunning)
    }

    @Test("forty clients that ask for the page and leave mid-response: the server keeps serving and its memory stays flat")
    func memoryFlat() throws {
        try P256InteropTests.requireOpenSSL()
        let (server, port) = try server()
        defer { server.terminate() }
        _ = try exchange(port: port, ["GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"])
        let pid = server.processIdentifier
        let before = try HostileServerTests.memoryKiB("VmRSS", pid: pid)
        for _ in 0..<40 {
            let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-quiet", "-CAfile", "cert/ca.crt", "-servername", "localhost"])
            try client.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
            usleep(150_000)
            client.terminate()
        }
        let out = try exchange(port: port, ["GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"])
        #expect(out.contains("HTTP/1.1 200 OK"))
        let after = try HostileServerTests.memoryKiB("VmRSS", pid: pid)
        #expect(after - before < 48 * 1024, "resident memory grew by \(after - before) KiB over 40 pages")
    }

    @Test("with --retry the page shows the HelloRetryRequest (cookie) and the second ClientHello")
    func retryPage() throws {
        try P256InteropTests.requireOpenSSL()
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--http", "--quiet", "--retry"])
        defer { server.terminate() }
        let out = try exchange(port: try server.listeningPort(), ["GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"])
        #expect(out.contains("HTTP/1.1 200 OK"))
        #expect(out.contains("HelloRetryRequest"))
        #expect(out.contains("transcript rebuilt from the cookie") || out.contains("message_hash"))
    }

    @Test("headless Chromium gets its own handshake at https://localhost/: its ClientHello random (from --keylog) in the DOM, ALPN http/1.1")
    func chromiumSeesItsOwnHandshake() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls13-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyLog = directory.appendingPathComponent("keys.log").path
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--http", "--quiet", "--keylog", keyLog])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let browser = try HTMLPageTests.browse("https://localhost:\(port)/", ["--dump-dom"])
        let dom = browser.stdoutText.lowercased()
        let randoms = try String(contentsOfFile: keyLog, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count == 3 ? words[1].lowercased() : nil
        }
        #expect(!randoms.isEmpty)
        #expect(randoms.contains { dom.contains($0) }, "the DOM shows the browser's ClientHello random")
        #expect(dom.contains("application_layer_protocol_negotiation") || dom.contains("http/1.1"))
        #expect(dom.contains("x25519mlkem768 (0x11ec)"))
        #expect(dom.contains("tls_aes_128_gcm_sha256") || dom.contains("tls_chacha20_poly1305_sha256") || dom.contains("tls_aes_256_gcm_sha384"))
        // The browser's ClientHello record, as the page shows it: one labelled byte per byte.
        let first = try #require(HTMLPageTests.records(browser.stdoutText).first)
        let bytes = HTMLPageTests.labelledBytes(first)
        #expect(bytes.count >= 5 && bytes.count == (Int(bytes[3] + bytes[4], radix: 16) ?? -1) + 5)
    }
}

/// Firefox ESR (NSS) against `tls13-server --http`, with the teaching CA in a fresh profile: the
/// page of its own connection comes back and renders (the screenshot is the page, not an error).
@Suite("Firefox against tls13-server --http")
struct FirefoxPageTests {
    static let firefox = ["/usr/bin/firefox-esr", "/usr/bin/firefox"].first(where: FileManager.default.isExecutableFile)
    static let certutil = ["/usr/bin/certutil"].first(where: FileManager.default.isExecutableFile)

    @Test("firefox --headless with cert/ca.crt trusted gets its own handshake's page; the server saw NSS's ClientHello")
    func firefoxSeesItsOwnHandshake() throws {
        guard let firefox = Self.firefox else {
            throw P256InteropFailure("firefox is not installed: Debian package firefox-esr (.ci/run installs it)")
        }
        guard let certutil = Self.certutil else {
            throw P256InteropFailure("certutil is not installed: Debian package libnss3-tools (.ci/run installs it)")
        }
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("firefox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        for arguments in [["-N", "-d", "sql:\(profile.path)", "--empty-password"],
                          ["-A", "-d", "sql:\(profile.path)", "-t", "C,,", "-n", "tls13-swift teaching CA", "-i", "cert/ca.crt"]] {
            let tool = try ToolProcess(URL(fileURLWithPath: certutil), arguments, name: "certutil")
            #expect(try tool.waitForExit() == 0, "\(tool.stderrText)")
        }
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--http", "--no-color"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let shot = profile.appendingPathComponent("page.png").path
        let browser = try ToolProcess(URL(fileURLWithPath: firefox), [
            "--headless", "--profile", profile.path, "--screenshot", shot, "--window-size=1200,1200", "https://localhost:\(port)/",
        ], name: "firefox", environment: ["MOZ_DISABLE_CONTENT_SANDBOX": "1"])
        _ = try browser.waitForExit(seconds: 120)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]))
        #expect(Set(png).count > 200, "not a blank page")
        let trace = server.stdoutText
        #expect(trace.contains("] → application data"), "the page went out over TLS 1.3 (on whichever of its connections Firefox used): \(server.stderrText.suffix(800))")
        #expect(trace.contains("handshake complete"))
    }
}
