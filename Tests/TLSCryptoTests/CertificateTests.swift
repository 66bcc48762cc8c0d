import Foundation
import Testing
import TLSCrypto

@Suite("X.509 certificates and RSA key files")
struct CertificateTests {
    @Test("cert/server.crt: names, validity, SAN, extensions, and its key is cert/server.key's")
    func serverCertificate() throws {
        let certificate = try Certificate(pem: RepositoryFile.text("cert/server.crt"))
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        #expect(certificate.version == 3)
        #expect(certificate.subject.description == "CN=localhost, O=tls13-swift teaching PKI")
        #expect(certificate.issuer.description == "CN=tls13-swift Test CA, O=tls13-swift teaching PKI")
        #expect(certificate.subject.first(.commonName) == "localhost")
        #expect(certificate.signatureAlgorithm.oid == .sha256WithRSAEncryption)
        #expect(certificate.signatureAlgorithm.name == "sha256WithRSAEncryption")
        #expect(certificate.subjectAltNames == [.dns("localhost"), .ip([127, 0, 0, 1]), .ip([UInt8](repeating: 0, count: 15) + [1])])
        #expect(certificate.subjectAltNames.map(\.description) == ["DNS:localhost", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1"])
        #expect(certificate.basicConstraints?.isCA == false)
        #expect(certificate.keyUsage == [.digitalSignature, .keyEncipherment])
        #expect(certificate.extensions.first { $0.oid == .basicConstraints }?.isCritical == true)
        #expect(certificate.extensions.contains { $0.oid == .extendedKeyUsage && !$0.isCritical })
        #expect(certificate.extendedKeyUsage == [.serverAuth])
        #expect(certificate.unrecognizedCriticalExtensions.isEmpty)
        #expect(certificate.publicKey == key.publicKey)
        #expect(certificate.publicKey?.modulusBitCount == 2048)
        // A century of validity: notAfter is a GeneralizedTime (after 2049), notBefore a UTCTime.
        #expect(certificate.notAfter.timeIntervalSince(certificate.notBefore) > 99 * 365 * 86_400)
        #expect(certificate.tbsBytes.count < certificate.der.count)
        #expect(certificate.der.starts(with: [0x30, 0x82]))
    }

    @Test("validity, serial and names agree with what openssl x509 prints",
          .enabled(if: OpenSSLTool.isAvailable, "openssl is not installed"))
    func agreesWithOpenSSL() throws {
        for file in ["cert/server.crt", "cert/ca.crt"] {
            let certificate = try Certificate(pem: RepositoryFile.text(file))
            let printed = String(decoding: try OpenSSLTool.run(
                ["x509", "-in", file, "-noout", "-serial", "-startdate", "-enddate", "-dateopt", "iso_8601"],
                in: RepositoryFile.root), as: UTF8.self)
            #expect(printed.contains("serial=" + certificate.serialNumber.hexString.uppercased()))
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withFullDate, .withSpaceBetweenDateAndTime, .withTime, .withColonSeparatorInTime]
            formatter.timeZone = TimeZone(identifier: "UTC")
            #expect(printed.contains("notBefore=" + formatter.string(from: certificate.notBefore)), "\(printed)")
            #expect(printed.contains("notAfter=" + formatter.string(from: certificate.notAfter)), "\(printed)")
        }
    }

    @Test("cert/ca.crt: a CA with pathlen 0, keyCertSign and cRLSign, self-issued")
    func caCertificate() throws {
        let ca = try Certificate(pem: RepositoryFile.text("cert/ca.crt"))
        #expect(ca.basicConstraints?.isCA == true)
        #expect(ca.basicConstraints?.pathLength == 0)
        #expect(ca.keyUsage == [.keyCertSign, .cRLSign])
        #expect(ca.issuer == ca.subject)
        #expect(ca.subjectAltNames.isEmpty)
        let server = try Certificate(pem: RepositoryFile.text("cert/server.crt"))
        #expect(server.issuer == ca.subject)
    }

    @Test("malformed certificates throw instead of trapping: every truncation and some bit flips")
    func malformedCertificates() throws {
        let der = try Certificate(pem: RepositoryFile.text("cert/server.crt")).der
        for length in stride(from: 0, to: der.count, by: 7) {
            #expect(throws: CryptoError.self) { try Certificate(der: Array(der.prefix(length))) }
        }
        #expect(throws: CryptoError.self) { try Certificate(der: der + [0x00]) }
        // Flipping bytes must never trap; the result may parse or throw.
        for position in stride(from: 0, to: der.count, by: 3) {
            var damaged = der
            damaged[position] ^= 0x41
            _ = try? Certificate(der: damaged)
        }
    }

    @Test("cert/ca.key and cert/server.key (PKCS #8) load and are consistent")
    func committedKeys() throws {
        for file in ["cert/ca.key", "cert/server.key"] {
            let key = try RSAPrivateKey(pem: RepositoryFile.text(file))
            #expect(key.publicKey.modulusBitCount == 2048)
            #expect(key.publicKey.exponent == BigUInt(65537))
        }
    }

    @Test("fresh keys from openssl genpkey (PKCS #8) and genrsa -traditional (PKCS #1) load; SPKI matches",
          .enabled(if: OpenSSLTool.isAvailable, "openssl is not installed"))
    func freshOpenSSLKeys() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try OpenSSLTool.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.key"], in: directory)
        try OpenSSLTool.run(["genrsa", "-traditional", "-out", "pkcs1.key", "3072"], in: directory)
        for (file, label, bits) in [("pkcs8.key", "PRIVATE KEY", 2048), ("pkcs1.key", "RSA PRIVATE KEY", 3072)] {
            let pem = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            #expect(try PEM.decode(pem).first?.label == label)
            let key = try RSAPrivateKey(pem: pem)
            #expect(key.publicKey.modulusBitCount == bits)
            let spki = try OpenSSLTool.run(["pkey", "-in", file, "-pubout"], in: directory)
            #expect(try RSAPublicKey(pem: String(decoding: spki, as: UTF8.self)) == key.publicKey)
        }
        try OpenSSLTool.run(["req", "-x509", "-new", "-key", "pkcs8.key", "-sha384", "-days", "1",
                             "-subj", "/CN=fresh.example/O=Fresh Org", "-addext", "subjectAltName=DNS:fresh.example,IP:10.1.2.3",
                             "-out", "fresh.crt"], in: directory)
        let certificate = try Certificate(pem: String(contentsOf: directory.appendingPathComponent("fresh.crt"), encoding: .utf8))
        let key = try RSAPrivateKey(pem: String(contentsOf: directory.appendingPathComponent("pkcs8.key"), encoding: .utf8))
        #expect(certificate.publicKey == key.publicKey)
        #expect(certificate.subject.description == "O=Fresh Org, CN=fresh.example")
        #expect(certificate.subjectAltNames == [.dns("fresh.example"), .ip([10, 1, 2, 3])])
        #expect(certificate.signatureAlgorithm.oid == .sha384WithRSAEncryption)
    }

    @Test("a private key whose primes do not multiply to the modulus is refused")
    func inconsistentKey() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        #expect(throws: CryptoError.self) {
            try RSAPrivateKey(modulus: key.publicKey.modulus, publicExponent: key.publicKey.exponent,
                              privateExponent: key.privateExponent, prime1: key.prime1, prime2: key.prime2 + BigUInt(2),
                              exponent1: key.exponent1, exponent2: key.exponent2, coefficient: key.coefficient)
        }
    }
}
