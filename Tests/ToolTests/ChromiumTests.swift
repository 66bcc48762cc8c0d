import Foundation
import Testing

/// Issue 17, "Done means": a real browser's TLS stack (Chromium, BoringSSL) against our server.
/// Chromium offers X25519MLKEM768 first, with GREASE values and extensions we do not implement;
/// our server must ignore what it does not know (RFC 8446 §4.2, RFC 8701) and pick the hybrid.
@Suite("Headless Chromium against tls13-server")
struct ChromiumTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first(where: FileManager.default.isExecutableFile)

    @Test("chromium --headless fetches our --www page over TLS 1.3 with X25519MLKEM768 (in the server's trace)")
    func negotiatesHybrid() throws {
        guard let chromium = Self.chromium else {
            throw P256InteropFailure("chromium is not installed: Debian package chromium (.ci/run installs it)")
        }
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--www", "--no-color"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let browser = try ToolProcess(URL(fileURLWithPath: chromium), [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)",
            "--ignore-certificate-errors", "--dump-dom", "https://localhost:\(port)/",
        ], name: "chromium")
        #expect(try browser.waitForExit(seconds: 60) == 0, "\(browser.stderrText.suffix(2000))")
        // The page our --www mode answers with names the protocol and suite it was served over.
        #expect(browser.stdoutText.contains("TLS 1.3, TLS_"), "\(browser.stdoutText)")
        try server.waitFor("the server's trace of the browser's handshake") { $0.stdoutText.contains("closed cleanly") || $0.stdoutText.contains("handshake complete") }
        #expect(server.stdoutText.contains("✓ client sent an X25519MLKEM768 key share"), "\(server.stdoutText.prefix(3000))")
        #expect(server.stdoutText.contains("key_share_entry: X25519MLKEM768 (0x11ec)"))
        // GREASE (RFC 8701) values appear in the browser's ClientHello and are named as such.
        #expect(server.stdoutText.contains("GREASE"))
    }
}
