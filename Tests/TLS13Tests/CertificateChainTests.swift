import Foundation
import Testing
import TLS13
import TLSCrypto

/// Certificates made for one test with the openssl CLI, issued by the repository's test CA
/// (cert/ca.key) or by a root made on the spot.
final class IssuedCertificates {
    let directory: URL
    private var serialNumber = 1000

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls13-chain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    }

    func der(_ name: String) throws -> [UInt8] {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        guard let block = try PEM.decode(text).first else { throw CocoaError(.fileReadCorruptFile) }
        return block.der
    }

    /// A certificate for `subject` with key `keyFile`, signed by `issuer` (cert and key paths),
    /// carrying the openssl x509 extension lines given.
    func issue(_ name: String, subject: String, keyFile: String, issuer: (cert: String, key: String), extensions: [String]) throws {
        try openssl(["req", "-new", "-key", keyFile, "-subj", subject, "-out", "\(name).csr"])
        try extensions.joined(separator: "\n").write(to: directory.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
        // -set_serial: no serial file is written beside the issuer (the repository's cert/ stays clean).
        serialNumber += 1
        try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", issuer.cert, "-CAkey", issuer.key, "-set_serial", "\(serialNumber)",
                     "-sha256", "-days", "30", "-extfile", "\(name).ext", "-out", "\(name).crt"])
    }

    func newKey(_ name: String) throws {
        try openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name])
    }

    static let repositoryCA = (cert: TestPKI.directory.appendingPathComponent("ca.crt").path,
                               key: TestPKI.directory.appendingPathComponent("ca.key").path)
    static let serverKey = TestPKI.directory.appendingPathComponent("server.key").path
    static let goodLeafExtensions = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature",
                                     "extendedKeyUsage=serverAuth", "subjectAltName=DNS:localhost"]
}

@Suite("Certificate path and usage checks (RFC 5280)",
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl is not installed"))
struct CertificateChainTests {
    /// Runs a handshake whose server presents `chain` (DER, leaf first) with cert/server.key.
    func handshake(chain: [[UInt8]], anchors: [Certificate]? = nil) throws -> TLSError? {
        let pair = try ConnectionPair(client: { configuration in
            if let anchors { configuration.trustAnchors = anchors }
        }, server: { $0.certificateChain = chain })
        do {
            try pair.handshake()
            return nil
        } catch let error as TLSError {
            return error
        }
    }

    @Test("leaf usage: keyUsage without digitalSignature or extKeyUsage without serverAuth → bad_certificate")
    func leafUsage() throws {
        let pki = try IssuedCertificates()
        defer { pki.remove() }
        try pki.issue("no-sign", subject: "/CN=localhost", keyFile: IssuedCertificates.serverKey, issuer: IssuedCertificates.repositoryCA,
                      extensions: ["keyUsage=critical,keyEncipherment", "subjectAltName=DNS:localhost"])
        try pki.issue("client-only", subject: "/CN=localhost", keyFile: IssuedCertificates.serverKey, issuer: IssuedCertificates.repositoryCA,
                      extensions: ["extendedKeyUsage=clientAuth", "subjectAltName=DNS:localhost"])
        try pki.issue("good", subject: "/CN=localhost", keyFile: IssuedCertificates.serverKey, issuer: IssuedCertificates.repositoryCA,
                      extensions: IssuedCertificates.goodLeafExtensions)
        #expect(try handshake(chain: [try pki.der("no-sign.crt")])?.alert == .badCertificate)
        #expect(try handshake(chain: [try pki.der("client-only.crt")])?.alert == .badCertificate)
        #expect(try handshake(chain: [try pki.der("good.crt")]) == nil)
    }

    @Test("an unknown critical extension → unsupported_certificate (RFC 5280 §4.2)")
    func unknownCriticalExtension() throws {
        let pki = try IssuedCertificates()
        defer { pki.remove() }
        try pki.issue("odd", subject: "/CN=localhost", keyFile: IssuedCertificates.serverKey, issuer: IssuedCertificates.repositoryCA,
                      extensions: IssuedCertificates.goodLeafExtensions + ["1.3.6.1.4.1.99999.1=critical,ASN1:NULL"])
        #expect(try handshake(chain: [try pki.der("odd.crt")])?.alert == .unsupportedCertificate)
    }

    @Test("an intermediate CA: accepted under a root without pathLenConstraint, refused under pathlen:0")
    func intermediates() throws {
        let pki = try IssuedCertificates()
        defer { pki.remove() }
        try pki.newKey("root.key")
        try pki.openssl(["req", "-x509", "-new", "-key", "root.key", "-sha256", "-days", "30", "-subj", "/CN=Scratch Root",
                         "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
                         "-out", "root.crt"])
        try pki.newKey("intermediate.key")
        let caExtensions = ["basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign"]
        try pki.issue("intermediate", subject: "/CN=Scratch Intermediate", keyFile: "intermediate.key",
                      issuer: ("root.crt", "root.key"), extensions: caExtensions)
        try pki.issue("leaf", subject: "/CN=localhost", keyFile: IssuedCertificates.serverKey,
                      issuer: ("intermediate.crt", "intermediate.key"), extensions: IssuedCertificates.goodLeafExtensions)
        let chain = [try pki.der("leaf.crt"), try pki.der("intermediate.crt")]
        let root = try Certificate(der: try pki.der("root.crt"))
        #expect(try handshake(chain: chain, anchors: [root]) == nil)
        // Without the intermediate the leaf leads nowhere.
        #expect(try handshake(chain: [chain[0]], anchors: [root])?.alert == .unknownCA)

        // The repository CA says pathlen:0: it may not have an intermediate below it.
        try pki.issue("constrained-intermediate", subject: "/CN=Scratch Intermediate", keyFile: "intermediate.key",
                      issuer: IssuedCertificates.repositoryCA, extensions: caExtensions)
        #expect(try handshake(chain: [chain[0], try pki.der("constrained-intermediate.crt")])?.alert == .badCertificate)

        // An intermediate that is not a CA may not issue.
        try pki.issue("not-a-ca", subject: "/CN=Scratch Intermediate", keyFile: "intermediate.key",
                      issuer: ("root.crt", "root.key"), extensions: ["basicConstraints=critical,CA:FALSE"])
        #expect(try handshake(chain: [chain[0], try pki.der("not-a-ca.crt")], anchors: [root])?.alert == .badCertificate)
    }
}
