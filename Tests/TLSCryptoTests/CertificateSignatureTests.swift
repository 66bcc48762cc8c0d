import Foundation
import Testing
import TLSCrypto

@Suite("Certificate signatures (RFC 5280 §6.1.3)")
struct CertificateSignatureTests {
    @Test("cert/server.crt is signed by cert/ca.crt's key (sha256WithRSAEncryption), not by its own")
    func committedChain() throws {
        let ca = try Certificate(pem: RepositoryFile.text("cert/ca.crt"))
        let server = try Certificate(pem: RepositoryFile.text("cert/server.crt"))
        #expect(server.isSignature(by: ca))
        #expect(ca.isSignature(by: ca))          // self-signed
        #expect(!server.isSignature(by: server))
        #expect(!ca.isSignature(by: server))
    }

    @Test("a changed TBSCertificate no longer verifies")
    func tamperedCertificate() throws {
        let ca = try Certificate(pem: RepositoryFile.text("cert/ca.crt"))
        let server = try Certificate(pem: RepositoryFile.text("cert/server.crt"))
        // Change one letter of "localhost" inside the subject; the structure stays valid.
        var der = server.der
        let name = Array("localhost".utf8)
        let at = try #require((0..<(der.count - name.count)).first { Array(der[$0..<($0 + name.count)]) == name })
        der[at] = UInt8(ascii: "L")
        let tampered = try Certificate(der: der)
        #expect(tampered.subject.first(.commonName) == "Localhost")
        #expect(!tampered.isSignature(by: ca))
    }

    @Test("certificates openssl signs with RSASSA-PSS (SHA-256, SHA-512) and sha512WithRSAEncryption verify",
          .enabled(if: OpenSSLTool.isAvailable, "openssl is not installed"))
    func openSSLSignatureAlgorithms() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try OpenSSLTool.run(["genrsa", "-traditional", "-out", "ca.key", "2048"], in: directory)
        let cases: [(String, [String], OID)] = [
            ("pss256", ["-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"], .rsassaPSS),
            ("pss512", ["-sha512", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:64"], .rsassaPSS),
            ("pkcs512", ["-sha512"], .sha512WithRSAEncryption),
        ]
        for (name, options, oid) in cases {
            try OpenSSLTool.run(["req", "-x509", "-new", "-key", "ca.key", "-days", "2", "-subj", "/CN=\(name)",
                                 "-out", "\(name).crt"] + options, in: directory)
            let certificate = try Certificate(pem: String(contentsOf: directory.appendingPathComponent("\(name).crt"), encoding: .utf8))
            #expect(certificate.signatureAlgorithm.oid == oid, "\(name)")
            #expect(certificate.isSignature(by: certificate), "\(name): \(certificate.signatureAlgorithm)")
            if let pss = certificate.signatureAlgorithm.pssParameters {
                #expect(pss.hash == pss.mgfHash)
                #expect(pss.saltLength == (name == "pss256" ? 32 : 64))
            }
        }
    }
}
