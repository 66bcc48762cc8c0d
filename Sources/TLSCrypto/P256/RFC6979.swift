/// RFC 6979 §3.2: deterministic ECDSA nonces from HMAC-DRBG with SHA-256, for P-256 with
/// SHA-256 (qlen = hlen = 256 bits, so bits2int is plain big-endian decoding and one HMAC block
/// makes one candidate). The nonce depends only on the private key and the message digest:
/// signing needs no randomness, the same message always gives the same signature (so
/// `--deterministic` runs repeat byte for byte), and a weak random source cannot leak the key.
struct RFC6979Nonces {
    private var k: [UInt8]
    private var v: [UInt8]
    /// A candidate was handed out, so the next call must first move K and V on (step h.3).
    private var needsUpdate = false

    /// Steps a to g, with int2octets(x) (§2.3.3) = x as 32 bytes and bits2octets(h1) (§2.3.4) =
    /// (h1 mod q) as 32 bytes.
    init(privateKey x: P256.Scalar, digest h1: [UInt8]) {
        let seedMaterial = x.bigEndianBytes + P256.Scalar(reducing: U256(bigEndian: h1)).bigEndianBytes
        v = [UInt8](repeating: 0x01, count: 32)                                   // b
        k = [UInt8](repeating: 0x00, count: 32)                                   // c
        k = HMAC<SHA256>.authenticationCode(key: k, message: v + [0x00] + seedMaterial)  // d
        v = HMAC<SHA256>.authenticationCode(key: k, message: v)                   // e
        k = HMAC<SHA256>.authenticationCode(key: k, message: v + [0x01] + seedMaterial)  // f
        v = HMAC<SHA256>.authenticationCode(key: k, message: v)                   // g
    }

    /// Step h: the next candidate k in [1, n − 1]. A candidate outside that range, or one the
    /// signer rejects because r or s came out zero (§3.4), is followed by
    /// K = HMAC_K(V || 0x00), V = HMAC_K(V) and a fresh T.
    mutating func next() -> P256.Scalar {
        while true {
            if needsUpdate {
                k = HMAC<SHA256>.authenticationCode(key: k, message: v + [0x00])
                v = HMAC<SHA256>.authenticationCode(key: k, message: v)
            }
            needsUpdate = true
            v = HMAC<SHA256>.authenticationCode(key: k, message: v)              // T = V
            if let candidate = P256.Scalar(nonZeroBigEndian: v) { return candidate }
        }
    }
}
