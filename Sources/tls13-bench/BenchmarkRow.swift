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

/// What a row's figure is compared with.
enum BenchmarkReference: Sendable {
    /// The `openssl speed` run that measures the same operation.
    case openssl(OpenSSLSpeedTest)
    /// Our own figure of another row (by key), measured in the same run: for an operation
    /// OpenSSL 3.0 does not have (ML-KEM), compared with the one it stands beside in TLS
    /// (X25519 in the X25519MLKEM768 key exchange). The goal is a ratio of at least 1.
    case ourRow(key: String, label: String)
}

/// One line of the table: how to time our implementation of an operation and what it is
/// compared with.
struct BenchmarkRow: Sendable {
    /// Key in the `--json` report, e.g. "sha256".
    let key: String
    /// What the table shows, e.g. "SHA-256 (16 KiB)".
    let operation: String
    let unit: BenchmarkUnit
    let reference: BenchmarkReference
    /// Returns our figure in `unit`.
    let measureOurs: @Sendable (TimingPolicy) throws -> Double
}

extension BenchmarkRow {
    /// One-shot digest of a 16 KiB buffer, as `openssl speed -evp <digest>` does per operation.
    static func digest<H: HashFunction>(_: H.Type, key: String, evp: String) -> BenchmarkRow {
        BenchmarkRow(key: key, operation: "\(H.name) (16 KiB)", unit: .megabytesPerSecond, reference: .openssl(.evp(evp))) { policy in
            let buffer = [UInt8](repeating: 0xa5, count: benchmarkBlockSize)
            let hashesPerSecond = bestRate(policy) { keep(H.hash(buffer)) }
            return hashesPerSecond * Double(benchmarkBlockSize) / 1e6
        }
    }

    /// Absorbing a 16 KiB buffer and squeezing 16 bytes, as `openssl speed -evp shake128` does
    /// per operation (EVP_DigestFinal gives SHAKE128's default 16-byte output).
    static func extendableOutput<X: ExtendableOutputFunction>(_: X.Type, key: String, evp: String) -> BenchmarkRow {
        BenchmarkRow(key: key, operation: "\(X.name) (16 KiB)", unit: .megabytesPerSecond, reference: .openssl(.evp(evp))) { policy in
            let buffer = [UInt8](repeating: 0xa5, count: benchmarkBlockSize)
            let hashesPerSecond = bestRate(policy) { keep(X.hash(buffer, outputByteCount: 16)) }
            return hashesPerSecond * Double(benchmarkBlockSize) / 1e6
        }
    }

    /// Seal of a 16 KiB buffer with no additional data, against `openssl speed -evp <cipher>`
    /// (which encrypts 16 KiB per operation). Key and nonce stay fixed: fine for timing, never
    /// for real traffic.
    static func aeadSeal<A: AEAD>(_: A.Type, key: String, evp: String) -> BenchmarkRow {
        BenchmarkRow(key: key, operation: "\(A.name) seal (16 KiB)", unit: .megabytesPerSecond, reference: .openssl(.evp(evp))) { policy in
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
                                     reference: .openssl(.x25519)) { policy in
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
                                          unit: .operationsPerSecond, reference: .openssl(.rsa2048Sign)) { policy in
        let key = try serverPrivateKey()
        let salts = DeterministicRandom(seed: 2048)
        return try bestRate(policy) {
            keep(try key.signPSS(signatureBenchmarkMessage, hash: SHA256.self, saltSource: salts))
        }
    }

    /// RSA-2048 verification of a PSS signature made with the repository's server key.
    static let rsa2048Verify = BenchmarkRow(key: "rsa2048_verify", operation: "RSA-2048 verify (PSS, SHA-256)",
                                            unit: .operationsPerSecond, reference: .openssl(.rsa2048Verify)) { policy in
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
                                       reference: .openssl(.p256ECDH)) { policy in
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
                                            unit: .operationsPerSecond, reference: .openssl(.ecdsaP256Sign)) { policy in
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 256))
        return bestRate(policy) { keep(key.signature(for: signatureBenchmarkMessage)) }
    }

    /// ECDSA P-256 verification of one of our signatures, DER decoding included.
    static let ecdsaP256Verify = BenchmarkRow(key: "ecdsa_p256_verify", operation: "ECDSA P-256 verify (SHA-256)",
                                              unit: .operationsPerSecond, reference: .openssl(.ecdsaP256Verify)) { policy in
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 256))
        let signature = key.signature(for: signatureBenchmarkMessage).derRepresentation
        guard key.publicKey.isValidSignature(derRepresentation: signature, for: signatureBenchmarkMessage) else {
            throw BenchmarkFailure("our own ECDSA signature does not verify")
        }
        return bestRate(policy) {
            keep(key.publicKey.isValidSignature(derRepresentation: signature, for: signatureBenchmarkMessage))
        }
    }

    /// ML-KEM-768 rows are compared with our X25519 shared secret, the other half of the
    /// X25519MLKEM768 key exchange (OpenSSL 3.0 has no ML-KEM).
    private static func mlkem768(_ key: String, _ operation: String, _ measure: @escaping @Sendable (TimingPolicy) throws -> Double) -> BenchmarkRow {
        BenchmarkRow(key: key, operation: "ML-KEM-768 \(operation)", unit: .operationsPerSecond,
                     reference: .ourRow(key: "x25519", label: "our X25519"), measureOurs: measure)
    }

    private static let mlkemSeed = [UInt8](repeating: 0x5a, count: MLKEM768.seedByteCount)
    private static let mlkemMessage = [UInt8](repeating: 0xa5, count: MLKEM768.messageByteCount)

    /// ML-KEM.KeyGen from a fixed seed d ‖ z (drawing the seed is not timed).
    static let mlkem768KeyGen = mlkem768("mlkem768_keygen", "keygen") { policy in
        try bestRate(policy) { keep(try MLKEM768.generateKeyPair(seed: mlkemSeed)) }
    }

    /// ML-KEM.Encaps as a TLS server does it: the peer's 1184 key bytes through §7.2's checks,
    /// then encapsulation (with a fixed m).
    static let mlkem768Encaps = mlkem768("mlkem768_encaps", "encaps (with §7.2 key check)") { policy in
        let ek = try MLKEM768.generateKeyPair(seed: mlkemSeed).encapsulationKey.bytes
        return try bestRate(policy) {
            keep(try MLKEM768.encapsulate(to: MLKEM768.EncapsulationKey(bytes: ek), message: mlkemMessage))
        }
    }

    /// ML-KEM.Decaps as a TLS client does it, with the decapsulation key it generated itself.
    static let mlkem768Decaps = mlkem768("mlkem768_decaps", "decaps") { policy in
        let pair = try MLKEM768.generateKeyPair(seed: mlkemSeed)
        let encapsulation = try MLKEM768.encapsulate(to: pair.encapsulationKey, message: mlkemMessage)
        guard try MLKEM768.decapsulate(encapsulation.ciphertext, with: pair.decapsulationKey) == encapsulation.sharedSecret else {
            throw BenchmarkFailure("our own ML-KEM ciphertext does not decapsulate")
        }
        return try bestRate(policy) {
            keep(try MLKEM768.decapsulate(encapsulation.ciphertext, with: pair.decapsulationKey))
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
    .digest(SHA3_256.self, key: "sha3_256", evp: "sha3-256"),
    .extendableOutput(SHAKE128.self, key: "shake128", evp: "shake128"),
    .aeadSeal(ChaCha20Poly1305.self, key: "chacha20poly1305", evp: "chacha20-poly1305"),
    .aeadSeal(AES128GCM.self, key: "aes128gcm", evp: "aes-128-gcm"),
    .x25519,
    .mlkem768KeyGen,
    .mlkem768Encaps,
    .mlkem768Decaps,
    .rsa2048Sign,
    .rsa2048Verify,
    .p256ECDH,
    .ecdsaP256Sign,
    .ecdsaP256Verify,
]
