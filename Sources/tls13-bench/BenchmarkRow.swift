import TLSCrypto

/// Every throughput row works on buffers of this size, the size passed to `openssl speed -bytes`.
let benchmarkBlockSize = 16384

enum BenchmarkUnit: String {
    case megabytesPerSecond = "MB/s"
    case operationsPerSecond = "ops/s"
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

/// The table, top to bottom.
///
/// RSA joins as its types land in TLSCrypto (see CONTRACT.md), as two rows keyed as the
/// `--json` report names them: "rsa2048_sign" and "rsa2048_verify" (PSS with SHA-256 using
/// cert/server.key, against `.rsa2048Sign` / `.rsa2048Verify`).
let benchmarkRows: [BenchmarkRow] = [
    .digest(SHA256.self, key: "sha256", evp: "sha256"),
    .aeadSeal(ChaCha20Poly1305.self, key: "chacha20poly1305", evp: "chacha20-poly1305"),
    .aeadSeal(AES128GCM.self, key: "aes128gcm", evp: "aes-128-gcm"),
    .x25519,
]
