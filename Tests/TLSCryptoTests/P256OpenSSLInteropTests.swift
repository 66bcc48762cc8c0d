import Foundation
import Testing
import TLSCrypto

/// Our P-256 against the openssl command line: each side checks the other's work. Without
/// openssl these tests fail, saying so (`OpenSSLTool.run` throws "openssl is not installed"):
/// interoperability is the point, so it is not silently skipped.
@Suite("P-256 interoperability with openssl")
struct P256OpenSSLInteropTests {
    static let message = Array("TLS 1.3, server CertificateVerify".utf8)

    private func write(_ bytes: [UInt8], _ name: String, in directory: URL) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    @Test("our ECDSA signature verifies with openssl dgst -verify and pkeyutl -verify")
    func oursVerifiedByOpenSSL() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = try P256.Signing.PrivateKey(generatingWith: SystemRandom())
        let publicKey = P256TestEncodings.pem("PUBLIC KEY", P256TestEncodings.subjectPublicKeyInfoDER(key.publicKey.x963Representation))
        try write(Array(publicKey.utf8), "public.pem", in: directory)
        try write(Self.message, "message", in: directory)
        try write(key.signature(for: Self.message).derRepresentation, "signature.der", in: directory)
        try write(SHA256.hash(Self.message), "digest", in: directory)
        let output = try OpenSSLTool.run(["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.der", "message"], in: directory)
        #expect(String(decoding: output, as: UTF8.self).contains("Verified OK"))
        try OpenSSLTool.run(["pkeyutl", "-verify", "-pubin", "-inkey", "public.pem", "-in", "digest", "-sigfile", "signature.der"], in: directory)
        // And a wrong message does not.
        try write(Self.message + [0], "message", in: directory)
        #expect(throws: OpenSSLTool.ToolError.self) {
            try OpenSSLTool.run(["dgst", "-sha256", "-verify", "public.pem", "-signature", "signature.der", "message"], in: directory)
        }
    }

    @Test("openssl's ECDSA signatures (random nonces) verify with ours")
    func openSSLVerifiedByOurs() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try OpenSSLTool.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "key.pem"], in: directory)
        let key = try P256.Signing.PrivateKey(pem: String(contentsOf: directory.appendingPathComponent("key.pem"), encoding: .utf8))
        try write(Self.message, "message", in: directory)
        for _ in 0..<4 {
            let signature = try OpenSSLTool.run(["dgst", "-sha256", "-sign", "key.pem", "message"], in: directory)
            #expect(key.publicKey.isValidSignature(derRepresentation: signature, for: Self.message))
            #expect(!key.publicKey.isValidSignature(derRepresentation: signature, for: Self.message + [0]))
        }
    }

    @Test("ECDH with an openssl key: pkeyutl -derive and ours give the same secret")
    func sharedSecret() throws {
        let directory = try OpenSSLTool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try OpenSSLTool.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "theirs.pem"], in: directory)
        let theirs = try P256.Signing.PrivateKey(pem: String(contentsOf: directory.appendingPathComponent("theirs.pem"), encoding: .utf8))
        let ours = try P256.KeyAgreement.PrivateKey(generatingWith: SystemRandom())
        let ourPublic = P256TestEncodings.pem("PUBLIC KEY", P256TestEncodings.subjectPublicKeyInfoDER(ours.publicKey.x963Representation))
        try write(Array(ourPublic.utf8), "ours.pub.pem", in: directory)
        let theirSecret = try OpenSSLTool.run(["pkeyutl", "-derive", "-inkey", "theirs.pem", "-peerkey", "ours.pub.pem"], in: directory)
        let theirPublic = try P256.KeyAgreement.PublicKey(x963Representation: theirs.publicKey.x963Representation)
        #expect(try ours.sharedSecret(with: theirPublic) == theirSecret)
        #expect(theirSecret.count == 32)
    }
}
