import Foundation

/// Finds the project's own files (cert/server.crt, ...) so `swift run` works from the repository
/// root and a built tool works from anywhere inside a checkout.
public enum RepositoryFiles {
    /// `relativePath` under the current directory if it exists there; otherwise under the first
    /// directory holding a Package.swift on the way up from the executable (.build/release/x
    /// lives inside the checkout); otherwise `relativePath` unchanged, so the error names it.
    public static func locate(_ relativePath: String) -> String {
        locate(relativePath,
               currentDirectory: FileManager.default.currentDirectoryPath,
               executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path)
    }

    public static func locate(_ relativePath: String, currentDirectory: String, executable: String) -> String {
        let fileManager = FileManager.default
        let inCurrent = URL(fileURLWithPath: currentDirectory).appendingPathComponent(relativePath)
        if fileManager.fileExists(atPath: inCurrent.path) { return relativePath }
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path != "/" {
            if fileManager.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                let candidate = directory.appendingPathComponent(relativePath)
                if fileManager.fileExists(atPath: candidate.path) { return candidate.path }
            }
            directory = directory.deletingLastPathComponent()
        }
        return relativePath
    }
}
