import Foundation
import Testing
import TLSTool

@Suite("Default file locations")
struct RepositoryFilesTests {
    func makeCheckout() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tls13-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("cert"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("Package.swift"))
        try Data("x".utf8).write(to: root.appendingPathComponent("cert/server.crt"))
        return root
    }

    @Test("A file under the current directory is used as given")
    func currentDirectory() throws {
        let root = try makeCheckout()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(RepositoryFiles.locate("cert/server.crt", currentDirectory: root.path, executable: "/usr/bin/tool") == "cert/server.crt")
    }

    @Test("Elsewhere, the checkout holding the executable is found by its Package.swift")
    func besideExecutable() throws {
        let root = try makeCheckout()
        defer { try? FileManager.default.removeItem(at: root) }
        let executable = root.appendingPathComponent(".build/release/tls13-server").path
        #expect(RepositoryFiles.locate("cert/server.crt", currentDirectory: "/", executable: executable)
                == root.appendingPathComponent("cert/server.crt").path)
        #expect(RepositoryFiles.locate("cert/missing.crt", currentDirectory: "/", executable: executable) == "cert/missing.crt")
    }
}
