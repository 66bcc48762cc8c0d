import Foundation
import TLSCrypto

/// The repository's teaching PKI (cert/, made by cert/make-certs.sh), read once from beside
/// the sources (`#filePath`), so the fuzzer finds it from any working directory and a
/// regenerated cert/ is picked up without touching code.
enum FuzzPKI {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("cert")

    static let caCertificate: Certificate = load("ca.crt") { try Certificate(pem: $0) }
    static let serverCertificate: Certificate = load("server.crt") { try Certificate(pem: $0) }
    static let serverKey: RSAPrivateKey = load("server.key") { try RSAPrivateKey(pem: $0) }

    /// A moment inside the certificates' validity, fixed so a run does not depend on the clock.
    static var now: Date { serverCertificate.notBefore.addingTimeInterval(24 * 60 * 60) }

    /// The fuzz targets cannot run without these files: a missing or broken one is a setup
    /// error of the checkout, reported before any input runs.
    private static func load<T>(_ name: String, _ parse: (String) throws -> T) -> T {
        let path = directory.appendingPathComponent(name).path
        do {
            return try parse(try String(contentsOfFile: path, encoding: .utf8))
        } catch {
            fatalError("tls13-fuzz needs \(path): \(error)")
        }
    }
}
