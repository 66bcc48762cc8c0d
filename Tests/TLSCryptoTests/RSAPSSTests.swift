import Foundation
import Testing
import TLSCrypto

/// A salt source that hands out fixed bytes, to reproduce a known PSS signature.
final class FixedBytes: RandomSource {
    private var remaining: [UInt8]
    init(_ bytes: [UInt8]) { remaining = bytes }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard buffer.count <= remaining.count else {
            throw CryptoError(.randomSourceFailure, "FixedBytes exhausted")
        }
        buffer.copyBytes(from: remaining.prefix(buffer.count))
        remaining.removeFirst(buffer.count)
    }
}

@Suite("RSASSA-PSS (RFC 8017 §8.1)")
struct RSAPSSTests {
    /// RFC 8448 §2: the server's RSA-1024 key.
    static func rfc8448Key(_ text: RFC8448Text) throws -> RSAPrivateKey {
        func field(_ label: String) throws -> BigUInt { BigUInt(bigEndianBytes: try text.keyField(label)) }
        return try RSAPrivateKey(
            modulus: field("modulus (public):"), publicExponent: field("public exponent:"),
            privateExponent: field("private exponent:"), prime1: field("prime1:"), prime2: field("prime2:"),
            exponent1: field("exponent1:"), exponent2: field("exponent2:"), coefficient: field("coefficient:"))
    }

    /// RFC 8446 §4.4.3: what the server signs.
    static func certificateVerifyContent(transcriptHash: [UInt8]) -> [UInt8] {
        [UInt8](repeating: 0x20, count: 64) + Array("TLS 1.3, server CertificateVerify".utf8) + [0x00] + transcriptHash
    }

    @Test("RFC 8448 §3: the server's CertificateVerify (rsa_pss_rsae_sha256) verifies, and re-signing with its salt reproduces it")
    func rfc8448CertificateVerify() throws {
        let text = try RFC8448Text()
        let key = try Self.rfc8448Key(text)
        #expect(key.publicKey.modulusBitCount == 1024)

        var transcript = SHA256()
        for message in ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate"] {
            transcript.update(try text.message(message))
        }
        let content = Self.certificateVerifyContent(transcriptHash: transcript.finalize())

        // CertificateVerify: type 0x0f, length, SignatureScheme 0x0804, signature<0..2^16-1>.
        let certificateVerify = try text.message("CertificateVerify")
        #expect(Array(certificateVerify.prefix(8)) == [0x0f, 0x00, 0x00, 0x84, 0x08, 0x04, 0x00, 0x80])
        let signature = Array(certificateVerify.dropFirst(8))
        #expect(key.publicKey.isValidPSSSignature(signature, for: content, hash: SHA256.self))
        #expect(!key.publicKey.isValidPSSSignature(signature, for: content + [0], hash: SHA256.self))

        // The certificate in §3 carries the same public key.
        let certificateDER = Array(try text.message("Certificate")[11...].prefix(0x1b0))
        #expect(try Certificate(der: certificateDER).publicKey == key.publicKey)

        // Recover the salt (RFC 8017 §9.1.2 steps 5-11): EM = maskedDB || H || 0xbc with
        // emLen = 128; DB = maskedDB ⊕ MGF1(H); the salt is DB's last 32 bytes.
        let encoded = try key.publicKey.rawPublicOperation(signature)
        #expect(encoded.last == 0xbc)
        let maskedDB = encoded.prefix(128 - 32 - 1), h = Array(encoded[95..<127])
        let db = zip(maskedDB, MGF1<SHA256>.mask(seed: h, length: maskedDB.count)).map { $0 ^ $1 }
        let salt = Array(db.suffix(32))
        #expect(db[db.count - 33] == 0x01)

        let again = try key.signPSS(content, hash: SHA256.self, saltSource: FixedBytes(salt))
        #expect(again == signature)
    }

    @Test("sign then verify with SHA-256/384/512 on 2048-bit keys; a changed message or signature fails")
    func roundTrip() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let message = Array("attack at dawn".utf8)
        let random = DeterministicSalt()
        let s256 = try key.signPSS(message, hash: SHA256.self, saltSource: random)
        let s384 = try key.signPSS(message, hash: SHA384.self, saltSource: random)
        let s512 = try key.signPSS(message, hash: SHA512.self, saltSource: random)
        #expect(s256.count == 256)
        #expect(key.publicKey.isValidPSSSignature(s256, for: message, hash: SHA256.self))
        #expect(key.publicKey.isValidPSSSignature(s384, for: message, hash: SHA384.self))
        #expect(key.publicKey.isValidPSSSignature(s512, for: message, hash: SHA512.self))
        #expect(!key.publicKey.isValidPSSSignature(s256, for: message, hash: SHA384.self))
        #expect(!key.publicKey.isValidPSSSignature(s256, for: message + [0x21], hash: SHA256.self))
        var flipped = s256
        flipped[100] ^= 0x01
        #expect(!key.publicKey.isValidPSSSignature(flipped, for: message, hash: SHA256.self))
        #expect(!key.publicKey.isValidPSSSignature(Array(s256.dropFirst()), for: message, hash: SHA256.self))
        // Two signatures of one message differ: the salt is fresh each time.
        #expect(try key.signPSS(message, hash: SHA256.self, saltSource: random) != s256)
    }

    @Test("a fault in the CRT (wrong exponent1) is caught by the s^e check and nothing is released")
    func faultCheck() throws {
        let good = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let faulty = try RSAPrivateKey(
            modulus: good.publicKey.modulus, publicExponent: good.publicKey.exponent, privateExponent: good.privateExponent,
            prime1: good.prime1, prime2: good.prime2, exponent1: good.exponent1 - BigUInt(2),
            exponent2: good.exponent2, coefficient: good.coefficient)
        #expect(throws: CryptoError.self) {
            try faulty.signPSS([1, 2, 3], hash: SHA256.self, saltSource: DeterministicSalt())
        }
    }

    @Test("a PSS signature made here verifies with openssl pkeyutl, and one made by openssl verifies here",
          .enabled(if: OpenSSLTool.isAvailable, "openssl is not installed"))
    func openSSLInterop() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = RepositoryFile.root.appendingPathComponent("cert/server.key").path
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let message = Array("TLS 1.3 interop, \(Date())".utf8)
        let digest = SHA256.hash(message)
        try Data(digest).write(to: directory.appendingPathComponent("digest.bin"))
        let pssOptions = ["-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32", "-pkeyopt", "digest:sha256"]

        let ours = try key.signPSS(message, hash: SHA256.self, saltSource: DeterministicSalt())
        try Data(ours).write(to: directory.appendingPathComponent("ours.sig"))
        let verdict = try OpenSSLTool.run(["pkeyutl", "-verify", "-inkey", keyPath, "-in", "digest.bin",
                                           "-sigfile", "ours.sig"] + pssOptions, in: directory)
        #expect(String(decoding: verdict, as: UTF8.self).contains("Signature Verified Successfully"))

        let theirs = try OpenSSLTool.run(["pkeyutl", "-sign", "-inkey", keyPath, "-in", "digest.bin"] + pssOptions, in: directory)
        #expect(key.publicKey.isValidPSSSignature(theirs, for: message, hash: SHA256.self))
        #expect(!key.publicKey.isValidPSSSignature(theirs, for: message + [0], hash: SHA256.self))
    }

    @Test("a PSS signature made here verifies with Python's cryptography package",
          .enabled(if: PythonCryptography.isAvailable, "python3 with the cryptography package is not installed"))
    func pythonInterop() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let message = Array("checked by pyca/cryptography".utf8)
        for (hashName, signature) in [
            ("SHA256", try key.signPSS(message, hash: SHA256.self, saltSource: DeterministicSalt())),
            ("SHA384", try key.signPSS(message, hash: SHA384.self, saltSource: DeterministicSalt())),
            ("SHA512", try key.signPSS(message, hash: SHA512.self, saltSource: DeterministicSalt())),
        ] {
            let output = try PythonCryptography.verifyPSS(
                keyPath: RepositoryFile.root.appendingPathComponent("cert/server.key").path,
                hash: hashName, message: message, signature: signature)
            #expect(output == "ok", "\(hashName): \(output)")
        }
    }
}

/// A reproducible salt source for tests (not for keys: a counter-seeded SHA-256 stream).
final class DeterministicSalt: RandomSource {
    private var counter: UInt64 = 0
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        var produced = 0
        while produced < buffer.count {
            counter += 1
            let block = SHA256.hash(withUnsafeBytes(of: counter.bigEndian) { Array($0) })
            for byte in block where produced < buffer.count {
                buffer[produced] = byte
                produced += 1
            }
        }
    }
}

/// Python 3 with pyca/cryptography, as a second independent verifier.
enum PythonCryptography {
    static let isAvailable: Bool = (try? run(script: "import cryptography; print('ok')", arguments: [])) == "ok"

    static func verifyPSS(keyPath: String, hash: String, message: [UInt8], signature: [UInt8]) throws -> String {
        let script = """
        import sys
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), None).public_key()
        algorithm = getattr(hashes, sys.argv[2])()
        try:
            key.verify(bytes.fromhex(sys.argv[4]), bytes.fromhex(sys.argv[3]),
                       padding.PSS(mgf=padding.MGF1(algorithm), salt_length=algorithm.digest_size), algorithm)
            print('ok')
        except Exception as error:
            print('rejected', repr(error))
        """
        return try run(script: script, arguments: [keyPath, hash, message.hexString, signature.hexString])
    }

    private static func run(script: String, arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
