import Foundation
import Loopback
import QUIC
import Testing
import TLS13
import TLSCrypto
@testable import TLSTool

/// Issue 18: quic-client and quic-server `--html FILE`, the illustrated page of a QUIC
/// connection rendered from its `QUICEvent`s. Checked on an in-memory connection (every
/// datagram shown, every packet's bytes labelled exactly once, the TLS messages of its CRYPTO
/// frames as field trees, Retry, escaping, the CSP) and end to end over UDP.
@Suite("QUIC illustrated HTML page (QUICHTMLPage)")
struct QUICHTMLPageTests {
    static let hostileText = "<script>alert(1)</script>&\"'\n"
    static let hostileReason = "<img src=x onerror=alert(2)>"

    /// A client and a server in memory, on a virtual clock (`QUICLoopback`: each datagram takes
    /// 10 ms): the client sends a line on one stream, the server echoes it, the client closes
    /// with an application error whose reason is markup. Both sides' events, recorded as the
    /// tools do.
    static func run(retry: Bool) throws -> (client: QUICHTMLRecorder, server: QUICHTMLRecorder) {
        var (clientTLS, serverTLS) = try Transcripts.deterministicConfigurations()
        clientTLS.applicationProtocols = ["quic-echo-example"]
        serverTLS.applicationProtocols = ["quic-echo-example"]
        serverTLS.ticketCount = 0
        let clientPage = QUICHTMLRecorder(side: .client), serverPage = QUICHTMLRecorder(side: .server)
        let loopback = try QUICLoopback(client: QUICConfiguration(tls: clientTLS), server: QUICConfiguration(tls: serverTLS),
                                        retry: retry, serverClock: { 0 })
        loopback.client.observer = { clientPage.record($0) }
        loopback.server.observer = { number, event in serverPage.record(event, connection: number) }
        let echoed = loopback.echoThenClose(Array(hostileText.utf8), close: { client, now in
            client.close(applicationError: 7, reason: hostileReason, now: now)
        })
        try #require(echoed, "the in-memory echo completes")
        return (clientPage, serverPage)
    }

    static func page(_ recorder: QUICHTMLRecorder) -> String {
        QUICHTMLPage(title: "test", side: recorder.side, events: recorder.events).render()
    }

    /// The packet blocks of a page by their id ("p" and the index of their event).
    static func packetBlocks(_ page: String) -> [(index: Int, block: String)] {
        page.components(separatedBy: "<details class=\"rec\" id=\"p").dropFirst().map { piece in
            let index = Int(piece.prefix { $0.isNumber })!
            return (index, piece.components(separatedBy: "<table")[0])
        }
    }

    /// The byte elements of a packet block: offset and the hex they show.
    static func byteElements(_ block: String) -> [(offset: Int, hex: String, sampled: Bool)] {
        block.components(separatedBy: "<span class=\"b ").dropFirst().map { piece in
            let offset = Int(piece.components(separatedBy: "data-o=\"")[1].prefix { $0.isNumber })!
            let classes = piece.prefix { $0 != "\"" }
            let text = piece.split(separator: ">", maxSplits: 1)[1].components(separatedBy: "</span>")[0]
            return (offset, text.replacingOccurrences(of: " ", with: ""), classes.hasSuffix(" smp"))
        }
    }

    @Test("every datagram stands in the ladder, in its sender's column, with its size")
    func datagrams() throws {
        let (client, server) = try Self.run(retry: false)
        for (recorder, side) in [(client, Side.client), (server, .server)] {
            let page = Self.page(recorder)
            var count = 0
            for case .datagram(let direction, let bytes) in recorder.events {
                let column = direction == .sent ? side : side.peer
                #expect(page.contains("<div class=\"ev \(column) dg\""))
                #expect(page.contains("\(direction == .sent ? "→ sent" : "← received") UDP datagram, \(bytes.count) bytes"))
                count += 1
            }
            #expect(count >= 4)
            #expect(page.components(separatedBy: " UDP datagram, ").count - 1 == count, "one row per datagram")
        }
    }

    @Test("RFC 9000 §17: every packet's fields cover its protected bytes exactly once, in order, and spell the packet")
    func spansCoverEachByteOnce() throws {
        let (client, server) = try Self.run(retry: false)
        for recorder in [client, server] {
            let events = recorder.events
            let page = Self.page(recorder)
            let blocks = Self.packetBlocks(page)
            var packets = 0
            for (index, event) in events.enumerated() {
                guard case .packet(_, let record) = event else { continue }
                packets += 1
                let spans = QUICHTMLSpans.spans(of: record)
                #expect(spans.first?.range.lowerBound == 0 && spans.last?.range.upperBound == record.protectedBytes.count)
                #expect(zip(spans, spans.dropFirst()).allSatisfy { $0.range.upperBound == $1.range.lowerBound }, "no gap, no overlap")
                let block = try #require(blocks.first { $0.index == index }?.block, "packet \(index) is on the page")
                let elements = Self.byteElements(block)
                var offset = 0
                for element in elements {
                    #expect(element.offset == offset, "each byte in one field")
                    offset += element.hex.count / 2
                }
                #expect(offset == record.protectedBytes.count)
                #expect(elements.map(\.hex).joined() == record.protectedBytes.hexString)
                let names = spans.map(\.name)
                let expected = record.header.isLongHeader
                    ? ["first byte", "Version", "DCID Len", "Destination Connection ID", "SCID Len", "Source Connection ID"]
                    : ["first byte", "Destination Connection ID"]
                #expect(Array(names.prefix(expected.count)) == expected)
                #expect(names.suffix(3) == ["Packet Number", "encrypted payload", "AEAD tag"])
                if record.header.type == .initial { #expect(names.contains("Token Length") && names.contains("Length")) }
                // §5.4.2: the sample is outlined inside the ciphertext, 16 bytes of it.
                let sampled = elements.filter(\.sampled)
                #expect(sampled.first?.offset == record.protection.sampleOffset)
                #expect(sampled.reduce(0) { $0 + $1.hex.count / 2 } == 16)
                #expect(page.contains(QUICTraceLayout.hex(record.protection.mask)))
            }
            #expect(packets >= 4)
        }
    }

    @Test("the page names the client's first Destination Connection ID and its Initial secrets, and each packet's nonce")
    func connectionIDAndKeys() throws {
        let (client, _) = try Self.run(retry: false)
        let page = Self.page(client)
        let secrets = try #require(client.events.lazy.compactMap { if case .initialSecrets(let s) = $0 { s } else { nil } }.first)
        #expect(page.contains(secrets.destinationConnectionID.hexString))
        #expect(page.contains(secrets.initialSecret.hexString))
        for case .packet(_, let record) in client.events { #expect(page.contains(record.protection.nonce.hexString)) }
        #expect(page.contains("Handshake packet keys"))
    }

    @Test("RFC 9001 §4: the CRYPTO frames show the TLS messages they carry as field trees, the ClientHello on both pages")
    func clientHelloTree() throws {
        let (client, server) = try Self.run(retry: false)
        for (page, stream) in [(Self.page(client), "m-s0-0"), (Self.page(server), "m-r0-0")] {
            // The ClientHello (with an X25519MLKEM768 key share) spans two Initial packets: its
            // tree stands in the first CRYPTO frame, the next links to it.
            #expect(page.contains("<div class=\"msg\" id=\"\(stream)\"><div class=\"why\">bytes 0–"))
            #expect(page.contains(" of <a href=\"#\(stream)\">ClientHello</a>"))
            for field in ["legacy_version", "random", "cipher_suites", "extensions"] {
                #expect(page.contains("<span class=\"n\">\(field)</span>"), "\(field)")
            }
            #expect(page.contains("ServerHello") && page.contains("Finished"))
            #expect(page.contains("CRYPTO offset 0"))
        }
    }

    @Test("RFC 9000 §17.2.5: with Retry both pages show the Retry packet, its token and integrity tag, and the client's check of it")
    func retry() throws {
        let (client, server) = try Self.run(retry: true)
        let clientPage = Self.page(client), serverPage = Self.page(server)
        #expect(clientPage.contains("Retry packet ←"))
        #expect(serverPage.contains("Retry packet →"))
        let tag = try #require(client.events.lazy.compactMap { if case .retry(_, _, _, let tag, _) = $0 { tag } else { nil } }.first)
        for page in [clientPage, serverPage] {
            #expect(page.contains("<span class=\"n\">Retry Integrity Tag</span>"))
            #expect(page.contains("<span class=\"n\">Retry Token</span>"))
            #expect(page.contains(tag.hexString))
        }
        #expect(clientPage.contains("✓</span> the tag is right"))
        #expect(clientPage.contains("<span class=\"n\">Token</span>"), "the next Initial carries the token")
        // The Retry's fields cover it exactly once too.
        let index = try #require(client.events.firstIndex { if case .retry = $0 { true } else { false } })
        let block = try #require(Self.packetBlocks(clientPage).first { $0.index == index }?.block)
        guard case .retry(_, let header, _, _, _) = client.events[index] else { return }
        #expect(Self.byteElements(block).map(\.hex).joined() == header.bytes.hexString)
    }

    @Test("peer-controlled text (stream data, a CONNECTION_CLOSE reason) is escaped: only the page's own script")
    func escaping() throws {
        let (client, server) = try Self.run(retry: false)
        for page in [Self.page(client), Self.page(server)] {
            #expect(!page.contains("<script>alert") && !page.contains("<img"))
            #expect(page.components(separatedBy: "<script").count == 2, "only the page's own script")
        }
        #expect(Self.page(server).contains("&lt;img src=x onerror=alert(2)&gt;"))
        #expect(Self.page(client).contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test("the Content-Security-Policy allows exactly the page's inline styles and script, by their SHA-256")
    func contentSecurityPolicy() throws {
        let page = Self.page(try Self.run(retry: false).client)
        let csp = try #require(page.components(separatedBy: "http-equiv=\"Content-Security-Policy\" content=\"").dropFirst().first?.split(separator: "\"").first)
        func inline(_ tag: String) -> [String] {
            page.components(separatedBy: "<\(tag)>").dropFirst().map { $0.components(separatedBy: "</\(tag)>")[0] }
        }
        let styles = inline("style"), scripts = inline("script")
        #expect(styles.count == 2 && scripts.count == 1)
        for text in styles + scripts {
            #expect(csp.contains("'sha256-\(Data(SHA256.hash(Array(text.utf8))).base64EncodedString())'"))
        }
        #expect(csp.hasPrefix("default-src 'none'"))
        #expect(csp.components(separatedBy: "'sha256-").count - 1 == 3, "nothing else is allowed")
        #expect(!page.contains("http://") && !page.contains("https://"), "nothing to fetch: the page works offline")
    }

    @Test("quic-server --once --html and quic-client --html over UDP: both pages exist and show the echo's STREAM frame")
    func endToEnd() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quic-html-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clientPath = directory.appendingPathComponent("client.html").path
        let serverPath = directory.appendingPathComponent("server.html").path
        let server = try ToolProcess.ours("quic-server", ["--port", "0", "--quiet", "--once", "--html", serverPath])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("quic-client", ["--host", "127.0.0.1", "--port", "\(port)", "--quiet", "--html", clientPath])
        try client.write("echo me\n")
        try client.closeInput()
        #expect(try client.waitForExit(seconds: 30) == 0, "\(client.stderrText)")
        #expect(client.stdoutText == "echo me\n")
        #expect(client.stderrText.contains("illustrated page written to \(clientPath)"))
        #expect(try server.waitForExit(seconds: 30) == 0, "\(server.stderrText)")
        let clientPage = try String(contentsOfFile: clientPath, encoding: .utf8)
        let serverPage = try String(contentsOfFile: serverPath, encoding: .utf8)
        // The echo: the server sends it back, the client receives it (FIN may come in a later frame).
        for (page, arrow) in [(clientPage, "←"), (serverPage, "→")] {
            let echo = page.components(separatedBy: "<details class=\"rec\"").dropFirst().filter {
                $0.contains("1-RTT packet \(arrow)") && $0.contains("<li>STREAM 0 offset 0, 8 bytes")
            }
            #expect(echo.contains { $0.contains("&quot;echo me\\n&quot;") }, "the echo's STREAM frame, \(arrow)")
            #expect(page.contains(" of ClientHello ("))
        }
        #expect(clientPage.contains("← received UDP datagram"))
    }

    @Test("headless Chromium loads a QUIC page from file:// with no console error and no CSP violation",
          .enabled(if: ChromiumTests.chromium != nil))
    func loadsInChromium() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("quic-page-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(Self.page(try Self.run(retry: true).client).utf8).write(to: file)
        let browser = try HTMLPageTests.browse(file.absoluteString, ["--dump-dom"])
        #expect(browser.terminationStatus == 0, "\(browser.stderrText.suffix(2000))")
        #expect(browser.stdoutText.contains("Retry packet"))
        for problem in ["Refused to", "Content Security Policy", "Uncaught"] {
            #expect(!browser.stderrText.contains(problem), "\(browser.stderrText.suffix(2000))")
        }
    }
}
