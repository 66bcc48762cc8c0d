import Foundation
import Synchronization
import TLS13
import TLSCrypto

/// The NSS key log format (what SSLKEYLOGFILE means to browsers, curl and Wireshark):
/// one line per secret, `LABEL <client_random hex> <secret hex>`.
/// https://firefox-source-docs.mozilla.org/security/nss/legacy/key_log_format/
public enum KeyLogFormat {
    public static func line(label: String, clientRandom: [UInt8], secret: [UInt8]) -> String {
        "\(label) \(clientRandom.hexString) \(secret.hexString)\n"
    }
}

/// Appends key-log lines to one or more files (--keylog and SSLKEYLOGFILE). Each line is one
/// `write` on an O_APPEND descriptor, so lines from concurrent connections, or from another
/// program sharing the file, never interleave.
public final class KeyLogWriter: Sendable {
    private let fileDescriptors: [Int32]

    /// Opens (creating with mode 0600: these are secrets) every distinct path.
    public init(paths: [String]) throws {
        var seen = Set<String>()
        var descriptors: [Int32] = []
        for path in paths where seen.insert(URL(fileURLWithPath: path).standardizedFileURL.path).inserted {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                descriptors.forEach { _ = close($0) }
                throw SocketError(call: "cannot open key log \(path)")
            }
            descriptors.append(fd)
        }
        fileDescriptors = descriptors
    }

    deinit { fileDescriptors.forEach { _ = close($0) } }

    /// The paths the tools log to: `--keylog` and the SSLKEYLOGFILE environment variable.
    public static func paths(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        [flag, environment["SSLKEYLOGFILE"]].compactMap { $0 }.filter { !$0.isEmpty }
    }

    public func log(label: String, clientRandom: [UInt8], secret: [UInt8]) {
        let line = Array(KeyLogFormat.line(label: label, clientRandom: clientRandom, secret: secret).utf8)
        for fd in fileDescriptors { writeFully(fd, line) }
    }

    /// Logs `.keyLog` events and ignores the rest.
    public func observe(_ event: TLSEvent) {
        if case .keyLog(let label, let clientRandom, let secret) = event {
            log(label: label, clientRandom: clientRandom, secret: secret)
        }
    }
}
