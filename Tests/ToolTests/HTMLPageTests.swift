import Foundation
import Testing
import TLS13
import TLSTool

/// Issue 16: the illustrated page, rendered from the same events as the terminal trace. Checked
/// as a document (every byte of a record labelled, the CSP allowing exactly the inline style and
/// script, peer strings escaped) and in a real browser (headless Chromium: it loads with no
/// console error or CSP violation, and it shows a live connection's own ClientHello).
@Suite("The illustrated HTML page")
struct HTMLPageTests {
    static func transcript(_ name: String) throws -> String {
        try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent("transcripts/\(name)"), encoding: .utf8)
    }

    /// The `<details class="rec">` blocks of a page, in order.
    static func records(_ page: String) -> [String] {
        page.components(separatedBy: "<details class=\"rec\"").dropFirst().map { $0.components(separatedBy: "</details>")[0] }
    }

    /// The bytes a record block shows, one per labelled span element, in order, before its table.
    static func labelledBytes(_ block: String) -> [String] {
        let grid = block.components(separatedBy: "<table")[0]
        return grid.components(separatedBy: "<span class=\"b ").dropFirst().map { piece in
            String(piece.split(separator: ">", maxSplits: 1)[1].prefix(2))
        }
    }

    @Test("every byte of the ClientHello record carries a labelled field, and they spell the record the key log's client random is in")
    func clientHelloLabelled() throws {
        let page = try Self.transcript("deterministic.html")
        let first = try #require(Self.records(page).first)
        #expect(first.contains("record → handshake (22)"))
        let bytes = Self.labelledBytes(first)
        let length = Int(bytes[3] + bytes[4], radix: 16).map { $0 + 5 }
        #expect(bytes.count == length, "one labelled span element per byte of the record")
        let keyLog = try Self.transcript("deterministic.keylog")
        let random = try #require(keyLog.split(separator: "\n").first?.split(separator: " ")[1])
        // The client random is bytes 11..<43 of the record (header, msg_type, length, legacy_version).
        #expect(bytes[11..<43].joined() == random.lowercased())
        for field in ["content_type", "legacy_record_version", "length", "fragment"] {
            #expect(first.contains("<span class=\"n\">\(field)</span>"), "the table names \(field)")
        }
    }

    @Test("a protected record shows what opens it (key linked to its derivation, IV, sequence number, nonce, additional data, tag) and its inner plaintext, labelled")
    func protectedRecord() throws {
        let page = try Self.transcript("deterministic.html")
        let block = try #require(Self.records(page).first { $0.contains("application_data (23)") && $0.contains("TLSInnerPlaintext") })
        for label in ["key", "iv", "sequence number", "nonce", "additional data", "tag"] {
            #expect(block.contains("<td>\(label)</td>"), "\(label)")
        }
        let link = try #require(block.components(separatedBy: "<a href=\"#").dropFirst().first?.split(separator: "\"").first)
        #expect(page.contains("id=\"\(link)\""), "the key links to where it was derived")
        #expect(block.contains("<span class=\"n\">type</span>"))
    }

    @Test("the Content-Security-Policy allows exactly the page's inline style and script, by their SHA-256 (checked with openssl)")
    func contentSecurityPolicy() throws {
        let page = try Self.transcript("rfc8448.html")
        let style = try #require(page.components(separatedBy: "<style>").dropFirst().first?.components(separatedBy: "</style>").first)
        let script = try #require(page.components(separatedBy: "<script>").dropFirst().first?.components(separatedBy: "</script>").first)
        func digest(_ text: String) throws -> String {
            let openssl = try ToolProcess.openssl(["dgst", "-sha256", "-binary"])
            try openssl.write(text)
            try openssl.closeInput()
            _ = try openssl.waitForExit()
            return openssl.stdout.base64EncodedString()
        }
        #expect(page.contains("style-src 'sha256-\(try digest(style))'"))
        #expect(page.contains("script-src 'sha256-\(try digest(script))'"))
        #expect(page.contains("default-src 'none'"))
        #expect(!page.contains("http://") && !page.contains("https://"), "nothing to fetch: the page works offline")
    }

    @Test("checks show ✓ or ✗ with the RFC text behind them")
    func checksWithTheirRule() throws {
        let page = try Self.transcript("deterministic.html")
        #expect(page.contains("✓</span> client offers TLS 1.3 (supported_versions)<div class=\"why\">RFC 8446 §4.2.1: &quot;If this extension is present in the ClientHello, servers MUST NOT use the ClientHello.legacy_version value"))
        #expect(page.contains("✓</span> server&#39;s Finished matches the handshake we saw<div class=\"why\">RFC 8446 §4.4.4"))
        let checks = page.components(separatedBy: "<span class=\"ok\">✓</span>").count - 1
        let cited = page.components(separatedBy: "<span class=\"ok\">✓</span> ").dropFirst().filter { ($0.split(separator: "<", maxSplits: 1).dropFirst().first ?? "").hasPrefix("div class=\"why\">RFC ") }.count
        #expect(checks >= 10 && cited * 2 > checks, "most checks carry their rule (\(cited) of \(checks))")
    }

    @Test("peer-controlled text is escaped: a server name with markup stays text")
    func escaping() throws {
        let hostile = "<script>alert(1)</script>\"'&"
        let page = HTMLPage(title: "t", events: [(.server, .note("client asks for server name \"\(hostile)\"")),
                                                  (.server, .check(hostile, passed: false))]).render()
        #expect(!page.contains("<script>alert"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;"))
        #expect(page.components(separatedBy: "<script>").count == 2, "only the page's own script")
    }

    @Test("--lang zh gives the page in Chinese: the words and the reasons")
    func chinese() throws {
        let page = try Self.transcript("deterministic.zh.html")
        #expect(page.contains("<html lang=\"zh-Hans\">"))
        #expect(page.contains("密钥调度"))
        #expect(page.contains("为什么"))
    }

    static func chromium() throws -> String {
        guard let chromium = ChromiumTests.chromium else {
            throw P256InteropFailure("chromium is not installed: Debian package chromium (.ci/run installs it)")
        }
        return chromium
    }

    static func browse(_ url: String, _ extra: [String] = []) throws -> ToolProcess {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let browser = try ToolProcess(URL(fileURLWithPath: try chromium()), [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
            "--enable-logging=stderr", "--v=0", "--ignore-certificate-errors"] + extra + [url], name: "chromium")
        _ = try browser.waitForExit(seconds: 90)
        return browser
    }

    @Test("headless Chromium loads the committed pages from file:// with no console error and no CSP violation",
          arguments: ["deterministic.html", "rfc8448.html"])
    func loadsInChromium(_ name: String) throws {
        let url = ToolProcess.repositoryRoot.appendingPathComponent("transcripts/\(name)").absoluteString
        let browser = try Self.browse(url, ["--dump-dom"])
        #expect(browser.terminationStatus == 0, "\(browser.stderrText.suffix(2000))")
        #expect(browser.stdoutText.contains("Key schedule (RFC 8446 §7.1"))
        for problem in ["Refused to", "Content Security Policy", "Uncaught"] {
            #expect(!browser.stderrText.contains(problem), "\(browser.stderrText.suffix(2000))")
        }
    }

    @Test("Chromium against tls13-server --www --html-dir: the page of that very connection holds the browser's ClientHello random, the hybrid group and the suite, and a screenshot of it is not blank")
    func liveConnectionPage() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls13-html-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyLog = directory.appendingPathComponent("keys.log").path
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--www", "--quiet", "--keylog", keyLog,
                                                            "--html-dir", directory.appendingPathComponent("pages").path])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let browser = try Self.browse("https://localhost:\(port)/", ["--dump-dom"])
        #expect(browser.stdoutText.contains("TLS 1.3"), "\(browser.stderrText.suffix(1500))")
        let pages = directory.appendingPathComponent("pages")
        try server.waitFor("a page written") { _ in
            ((try? FileManager.default.contentsOfDirectory(atPath: pages.path)) ?? []).contains { $0.hasSuffix(".html") }
        }
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: pages.path).sorted().first)
        #expect(name.range(of: #"^\d{8}-\d{6}-\d{4}\.html$"#, options: .regularExpression) != nil, "\(name)")
        let page = try String(contentsOf: pages.appendingPathComponent(name), encoding: .utf8)
        let randoms = try String(contentsOfFile: keyLog, encoding: .utf8).split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            return words.count == 3 ? String(words[1]) : nil
        }
        #expect(randoms.contains { page.lowercased().contains($0.lowercased()) }, "the page shows the ClientHello random the key log names")
        #expect(page.contains("X25519MLKEM768 (0x11ec)"))
        #expect(page.contains("TLS_AES_128_GCM_SHA256") || page.contains("TLS_CHACHA20_POLY1305_SHA256") || page.contains("TLS_AES_256_GCM_SHA384"))
        let shot = directory.appendingPathComponent("page.png").path
        let screenshot = try Self.browse(pages.appendingPathComponent(name).absoluteString, ["--screenshot=\(shot)", "--window-size=1200,1600"])
        #expect(screenshot.terminationStatus == 0)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]))
        #expect(Set(png).count > 200, "a page with text and colour compresses to many distinct byte values; a blank one does not")
    }
}
