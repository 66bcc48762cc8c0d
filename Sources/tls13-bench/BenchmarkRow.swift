import Foundation
import TLSCrypto

/// Every throughput row works on buffers of this size, the size passed to `openssl speed -bytes`.
let benchmarkBlockSize = 16384

enum BenchmarkUnit: String {
    case megabytesPerSecond = "MB/s"
    case operationsPerSecond = "ops/s"
    case handshakesPerSecond = "handshakes/s"
    case seconds = "s"
    case cpuMilliseconds = "CPU ms"
    case cpuSeconds = "CPU s"
    /// CPU time used while doing nothing: zero is the goal, so there is no ratio.
    case cpuMillisecondsIdle = "CPU ms idle"

    enum Better { case higher, lower, none }

    var better: Better {
        switch self {
        case .megabytesPerSecond, .operationsPerSecond, .handshakesPerSecond: .higher
        case .seconds, .cpuMilliseconds, .cpuSeconds: .lower
        case .cpuMillisecondsIdle: .none
        }
    }
}

/// One line of the table: how to time our implementation of an operation and which
/// `openssl speed` run measures the same thing.
struct BenchmarkRow: Sendable {
    /// Key in the `--json` report, e.g. "sha256".
    let key: String
    /// What the table shows, e.g. "SHA-256 (16 KiB)".
    let operation: String
    let unit: BenchmarkUnit
    let openssl: OpenSSLSpeedTest
    /// Returns our figure in `unit`.
    let measureOurs: @Sendable (TimingPolicy) throws -> Double
}

extension BenchmarkRow {
    /// One-shot digest of a 16 KiB buffer, as `openssl speed -evp <digest>` does per operation.
    static func digest<H: HashFunction>(_: H.Type, key: String, evp: String) -> BenchmarkRow {
        BenchmarkRow(key: key, operation: "\(H.name) (16 KiB)", unit: .megabytesPerSecond, openssl: .evp(evp)) { policy in
            let buffer = [UInt8](repeating: 0xa5, count: benchmarkBlockSize)
            let hashesPerSecond = bestRate(policy) { keep(H.hash(buffer)) }
            return hashesPerSecond * Double(benchmarkBlockSize) / 1e6
        }
    }

    /// Seal of a 16 KiB buffer with no additional data, against `openssl speed -evp <cipher>`
    /// (which encrypts 16 KiB per operation). Key and nonce stay fixed: fine for timing, never
    /// for real traffic.
    static func aeadSeal<A: AEAD>(_: A.Type, key: String, evp: String) -> BenchmarkRow {
        BenchmarkRow(key: key, operation: "\(A.name) seal (16 KiB)", unit: .megabytesPerSecond, openssl: .evp(evp)) { policy in
            let cipher = try A(key: [UInt8](repeating: 0x42, count: A.keyByteCount))
            let nonce = [UInt8](repeating: 0x24, count: A.nonceByteCount)
            let plaintext = [UInt8](repeating: 0xa5, count: benchmarkBlockSize)
            let sealsPerSecond = try bestRate(policy) {
                keep(try cipher.seal(nonce: nonce, plaintext: plaintext, additionalData: []))
            }
            return sealsPerSecond * Double(benchmarkBlockSize) / 1e6
        }
    }

    /// One X25519 shared-secret computation per operation, as `openssl speed ecdhx25519` counts
    /// them (key generation is not timed).
    static let x25519 = BenchmarkRow(key: "x25519", operation: "X25519 shared secret", unit: .operationsPerSecond,
                                     openssl: .x25519) { policy in
        let random = DeterministicRandom(seed: 25519)
        let privateKey = try X25519.generatePrivateKey(using: random)
        let peerPublicKey = try X25519.publicKey(privateKey: X25519.generatePrivateKey(using: random))
        return try bestRate(policy) {
            keep(try X25519.sharedSecret(privateKey: privateKey, peerPublicKey: peerPublicKey))
        }
    }
}

extension BenchmarkRow {
    /// RSA-2048 signing with the repository's server key, RSASSA-PSS with SHA-256 over a short
    /// message as a TLS 1.3 CertificateVerify does. `openssl speed rsa2048` signs with PKCS#1
    /// v1.5 instead; either way the cost is the private-key exponentiation.
    static let rsa2048Sign = BenchmarkRow(key: "rsa2048_sign", operation: "RSA-2048 sign (PSS, SHA-256)",
                                          unit: .operationsPerSecond, openssl: .rsa2048Sign) { policy in
        let key = try serverPrivateKey()
        let salts = DeterministicRandom(seed: 2048)
        return try bestRate(policy) {
            keep(try key.signPSS(signatureBenchmarkMessage, hash: SHA256.self, saltSource: salts))
        }
    }

    /// RSA-2048 verification of a PSS signature made with the repository's server key.
    static let rsa2048Verify = BenchmarkRow(key: "rsa2048_verify", operation: "RSA-2048 verify (PSS, SHA-256)",
                                            unit: .operationsPerSecond, openssl: .rsa2048Verify) { policy in
        let key = try serverPrivateKey()
        let signature = try key.signPSS(signatureBenchmarkMessage, hash: SHA256.self, saltSource: DeterministicRandom(seed: 2048))
        guard key.publicKey.isValidPSSSignature(signature, for: signatureBenchmarkMessage, hash: SHA256.self) else {
            throw BenchmarkFailure("our own PSS signature does not verify")
        }
        return bestRate(policy) {
            keep(key.publicKey.isValidPSSSignature(signature, for: signatureBenchmarkMessage, hash: SHA256.self))
        }
    }
}

extension BenchmarkRow {
    /// One P-256 shared secret per operation, as `openssl speed ecdhp256` counts them: the peer's
    /// point is decoded and validated (SEC 1 §3.2.2.1) each time, as a handshake must.
    static let p256ECDH = BenchmarkRow(key: "p256_ecdh", operation: "P-256 ECDH shared secret", unit: .operationsPerSecond,
                                       openssl: .p256ECDH) { policy in
        let random = DeterministicRandom(seed: 256)
        let privateKey = try P256.KeyAgreement.PrivateKey(generatingWith: random)
        let peerPoint = try P256.KeyAgreement.PrivateKey(generatingWith: random).publicKey.x963Representation
        return try bestRate(policy) {
            keep(try privateKey.sharedSecret(with: P256.KeyAgreement.PublicKey(x963Representation: peerPoint)))
        }
    }

    /// ECDSA P-256 signing with SHA-256 and RFC 6979 nonces over a short message, as a TLS 1.3
    /// CertificateVerify does (`openssl speed ecdsap256` signs a 20-byte digest with random nonces).
    static let ecdsaP256Sign = BenchmarkRow(key: "ecdsa_p256_sign", operation: "ECDSA P-256 sign (SHA-256)",
                                            unit: .operationsPerSecond, openssl: .ecdsaP256Sign) { policy in
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 256))
        return bestRate(policy) { keep(key.signature(for: signatureBenchmarkMessage)) }
    }

    /// ECDSA P-256 verification of one of our signatures, DER decoding included.
    static let ecdsaP256Verify = BenchmarkRow(key: "ecdsa_p256_verify", operation: "ECDSA P-256 verify (SHA-256)",
                                              unit: .operationsPerSecond, openssl: .ecdsaP256Verify) { policy in
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 256))
        let signature = key.signature(for: signatureBenchmarkMessage).derRepresentation
        guard key.publicKey.isValidSignature(derRepresentation: signature, for: signatureBenchmarkMessage) else {
            throw BenchmarkFailure("our own ECDSA signature does not verify")
        }
        return bestRate(policy) {
            keep(key.publicKey.isValidSignature(derRepresentation: signature, for: signatureBenchmarkMessage))
        }
    }
}

private let signatureBenchmarkMessage = Array("TLS 1.3, server CertificateVerify".utf8)

/// cert/server.key: from the working directory (`swift run` runs in the package root), or else
/// found relative to this source file.
private func serverPrivateKey() throws -> RSAPrivateKey {
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [URL(fileURLWithPath: "cert/server.key"), packageRoot.appendingPathComponent("cert/server.key")]
    guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
        throw BenchmarkFailure("cert/server.key not found")
    }
    return try RSAPrivateKey(pem: String(contentsOf: url, encoding: .utf8))
}

/// The table, top to bottom.
let benchmarkRows: [BenchmarkRow] = [
    .digest(SHA256.self, key: "sha256", evp: "sha256"),
    .aeadSeal(ChaCha20Poly1305.self, key: "chacha20poly1305", evp: "chacha20-poly1305"),
    .aeadSeal(AES128GCM.self, key: "aes128gcm", evp: "aes-128-gcm"),
    .x25519,
    .rsa2048Sign,
    .rsa2048Verify,
    .p256ECDH,
    .ecdsaP256Sign,
    .ecdsaP256Verify,
]
