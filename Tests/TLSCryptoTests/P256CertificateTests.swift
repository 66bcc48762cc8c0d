import Foundation
import Testing
import TLSCrypto

@Suite("P-256 keys and ECDSA certificates (RFC 5480, RFC 5915, RFC 5758)")
struct P256CertificateTests {
    @Test("cert/server-ecdsa.crt: a P-256 key, signed by cert/ca.crt (RSA), and cert/server-ecdsa.key is its key")
    func committedECDSACertificate() throws {
        let ca = try Certificate(pem: RepositoryFile.text("cert/ca.crt"))
        let certificate = try Certificate(pem: RepositoryFile.text("cert/server-ecdsa.crt"))
        let key = try CertificatePrivateKey(pem: RepositoryFile.text("cert/server-ecdsa.key"))
        guard case .p256 = certificate.subjectPublicKeyInfo.publicKey else {
            Issue.record("server-ecdsa.crt holds \(String(describing: certificate.subjectPublicKeyInfo.publicKey))")
            return
        }
        #expect(certificate.subjectPublicKeyInfo.algorithm.oid == .ecPublicKey)
        #expect(certificate.subjectPublicKeyInfo.publicKey?.description == "EC P-256")
        #expect(certificate.publicKey == nil)  // the RSA-only view
        #expect(certificate.isSignature(by: ca))
        #expect(!certificate.isSignature(by: certificate))
        #expect(certificate.issuer == ca.subject)
        #expect(certificate.subject.description == "CN=localhost, O=tls13-swift teaching PKI")
        #expect(certificate.subjectAltNames == [.dns("localhost"), .ip([127, 0, 0, 1]), .ip([UInt8](repeating: 0, count: 15) + [1])])
        #expect(certificate.keyUsage == [.digitalSignature])
        #expect(certificate.extendedKeyUsage == [.serverAuth])
        #expect(certificate.hasPublicKey(of: key))
    }

    @Test("a key and a certificate that do not belong together are told apart, RSA and P-256 alike")
    func keyCertificateMismatch() throws {
        let rsaCertificate = try Certificate(pem: RepositoryFile.text("cert/server.crt"))
        let ecdsaCertificate = try Certificate(pem: RepositoryFile.text("cert/server-ecdsa.crt"))
        let rsaKey = try CertificatePrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let ecdsaKey = try CertificatePrivateKey(pem: RepositoryFile.text("cert/server-ecdsa.key"))
        let otherECDSAKey = CertificatePrivateKey.p256(try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 1)))
        #expect(rsaCertificate.hasPublicKey(of: rsaKey))
        #expect(!rsaCertificate.hasPublicKey(of: ecdsaKey))
        #expect(!ecdsaCertificate.hasPublicKey(of: rsaKey))
        #expect(!ecdsaCertificate.hasPublicKey(of: otherECDSAKey))
        #expect(!rsaCertificate.hasPublicKey(of: try CertificatePrivateKey(pem: RepositoryFile.text("cert/ca.key"))))
        #expect(throws: CryptoError.self) { try RSAPrivateKey(pem: RepositoryFile.text("cert/server-ecdsa.key")) }
        #expect(throws: CryptoError.self) { try P256.Signing.PrivateKey(pem: RepositoryFile.text("cert/server.key")) }
    }

    @Test("ECDSA and RSA certificates sign each other in chains openssl makes")
    func mixedChains() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func run(_ arguments: [String]) throws { try OpenSSLTool.run(arguments, in: directory) }
        func certificate(_ file: String) throws -> Certificate {
            try Certificate(pem: String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8))
        }
        try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec-ca.key"])
        try run(["req", "-x509", "-new", "-key", "ec-ca.key", "-sha256", "-days", "2", "-subj", "/CN=EC CA", "-out", "ec-ca.crt"])
        try run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-leaf.key"])
        try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec-leaf.key"])
        for leaf in ["rsa-leaf", "ec-leaf"] {
            try run(["req", "-new", "-key", "\(leaf).key", "-subj", "/CN=\(leaf)", "-out", "\(leaf).csr"])
            try run(["x509", "-req", "-in", "\(leaf).csr", "-CA", "ec-ca.crt", "-CAkey", "ec-ca.key", "-sha256",
                     "-days", "2", "-out", "\(leaf).crt"])
        }
        let ca = try certificate("ec-ca.crt")
        #expect(ca.signatureAlgorithm.oid == .ecdsaWithSHA256)
        #expect(ca.isSignature(by: ca))
        let committedCA = try Certificate(pem: RepositoryFile.text("cert/ca.crt"))
        for leaf in ["rsa-leaf", "ec-leaf"] {
            let certificate = try certificate("\(leaf).crt")
            #expect(certificate.signatureAlgorithm.oid == .ecdsaWithSHA256, "\(leaf)")
            #expect(certificate.isSignature(by: ca), "\(leaf)")
            #expect(!certificate.isSignature(by: committedCA), "\(leaf)")
            let key = try CertificatePrivateKey(pem: String(contentsOf: directory.appendingPathComponent("\(leaf).key"), encoding: .utf8))
            #expect(certificate.hasPublicKey(of: key), "\(leaf)")
        }
        // One changed byte of the signed part, and the ECDSA signature no longer verifies.
        var der = try certificate("ec-leaf.crt").der
        let name = Array("ec-leaf".utf8)
        let at = try #require((0..<(der.count - name.count)).first { Array(der[$0..<($0 + name.count)]) == name })
        der[at] = UInt8(ascii: "E")
        #expect(!(try Certificate(der: der)).isSignature(by: ca))
    }

    @Test("openssl's P-256 key files: SEC 1 EC PRIVATE KEY (after EC PARAMETERS), PKCS #8, and the SPKI PUBLIC KEY agree")
    func openSSLKeyFiles() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func text(_ arguments: [String]) throws -> String {
            String(decoding: try OpenSSLTool.run(arguments, in: directory), as: UTF8.self)
        }
        let sec1 = try text(["ecparam", "-genkey", "-name", "prime256v1"])
        #expect(try PEM.decode(sec1).map(\.label) == ["EC PARAMETERS", "EC PRIVATE KEY"])
        try sec1.write(to: directory.appendingPathComponent("sec1.key"), atomically: true, encoding: .utf8)
        let pkcs8 = try text(["pkcs8", "-topk8", "-nocrypt", "-in", "sec1.key"])
        let publicPEM = try text(["pkey", "-in", "sec1.key", "-pubout"])
        let key = try P256.Signing.PrivateKey(pem: sec1)
        #expect(try P256.Signing.PrivateKey(pem: pkcs8).rawRepresentation == key.rawRepresentation)
        #expect(try P256.Signing.PublicKey(pem: publicPEM) == key.publicKey)
        // A P-384 key is not ours to use, and says so.
        let p384 = try text(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"])
        #expect(throws: CryptoError.self) { try CertificatePrivateKey(pem: p384) }
    }

    @Test("an EC PRIVATE KEY whose embedded public key is not d·G is refused")
    func inconsistentSEC1Key() throws {
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 5915))
        let other = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 5916))
        #expect(try P256.Signing.PrivateKey(sec1DER: P256TestEncodings.sec1DER(key)).rawRepresentation == key.rawRepresentation)
        var mismatched = P256TestEncodings.sec1DER(key)
        mismatched.replaceSubrange((mismatched.count - 65)..., with: other.publicKey.x963Representation)
        #expect(throws: CryptoError.self) { try P256.Signing.PrivateKey(sec1DER: mismatched) }
    }
}

/// The fixed DER around P-256 keys, written out here so that tests can hand our keys to openssl.
enum P256TestEncodings {
    /// RFC 5915 ECPrivateKey: version 1, d, [0] prime256v1, [1] the public point.
    static func sec1DER(_ key: P256.Signing.PrivateKey) -> [UInt8] {
        [0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20] + key.rawRepresentation
            + [0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
            + [0xa1, 0x44, 0x03, 0x42, 0x00] + key.publicKey.x963Representation
    }

    /// RFC 5480 SubjectPublicKeyInfo: id-ecPublicKey, prime256v1, the point.
    static func subjectPublicKeyInfoDER(_ point: [UInt8]) -> [UInt8] {
        [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
         0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00] + point
    }

    static func pem(_ label: String, _ der: [UInt8]) -> String {
        "-----BEGIN \(label)-----\n" + Data(der).base64EncodedString(options: .lineLength64Characters)
            + "\n-----END \(label)-----\n"
    }
}
