import Foundation
import Testing
import TLSTool

/// Issue 12, "Works from anywhere": the tools carry cert/'s default files in the executable.
@Suite("Embedded PKI")
struct EmbeddedPKITests {
    @Test("The embedded copies equal cert/server.crt, cert/server.key and cert/ca.crt (else run Scripts/embed-pki.sh)")
    func embeddedEqualsFiles() throws {
        #expect(EmbeddedPKI.files.keys.sorted() == ["cert/ca.crt", "cert/server.crt", "cert/server.key"])
        for (path, text) in EmbeddedPKI.files {
            let file = try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
            #expect(text + "\n" == file, "\(path) differs from its embedded copy")
        }
    }

    @Test("tls13-server and tls13-client run from a directory outside the checkout with their defaults")
    func runsFromAnywhere() throws {
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("tls13-anywhere-\(getpid())")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        // A copy of the executables outside the checkout: no cert/ next to them or above them.
        for tool in ["tls13-server", "tls13-client"] {
            try? FileManager.default.removeItem(at: elsewhere.appendingPathComponent(tool))
            try FileManager.default.copyItem(at: ToolProcess.productsDirectory.appendingPathComponent(tool),
                                             to: elsewhere.appendingPathComponent(tool))
        }
        let server = try ToolProcess(elsewhere.appendingPathComponent("tls13-server"), ["--port", "0", "--once", "--quiet"],
                                     name: "tls13-server", directory: elsewhere)
        let port = try server.listeningPort()
        let client = try ToolProcess(elsewhere.appendingPathComponent("tls13-client"), ["--port", "\(port)", "--quiet"],
                                     name: "tls13-client", directory: elsewhere)
        try client.write("from anywhere\n")
        try server.waitFor("the client's line") { $0.stdoutText == "from anywhere\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
    }
}
