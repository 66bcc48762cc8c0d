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
}

/// The table, top to bottom.
///
/// The other primitives join as their types land in TLSCrypto (see CONTRACT.md), each as one row
/// keyed as the `--json` report names it: "chacha20poly1305" and "aes128gcm" (seal of a 16 KiB
/// buffer, against `.evp("chacha20-poly1305")` / `.evp("aes-128-gcm")`), "x25519" (one
/// `sharedSecret` per operation, against `.x25519`), "rsa2048_sign" and "rsa2048_verify" (PSS
/// with SHA-256 using cert/server.key, against `.rsa2048Sign` / `.rsa2048Verify`).
let benchmarkRows: [BenchmarkRow] = [
    .digest(SHA256.self, key: "sha256", evp: "sha256"),
]
