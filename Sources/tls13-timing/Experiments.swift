import Foundation
import TLSCrypto

/// The secret-dependent operations, each with a fixed class chosen to be a special value where
/// a variable-time implementation would most likely take another path (dudect's advice: zeros,
/// small numbers, low Hamming weight), against uniformly random inputs.
let experiments: [Experiment] = [
    .positiveControl, .tagComparison, .x25519, .p256ECDH, .ecdsaP256Sign, .rsa2048Sign,
]

private let random = SystemRandom()

/// Inputs per measurement: the fixed value for class 0, a fresh random one for class 1.
private func inputs<T>(_ classes: [UInt8], fixed: T, random: () throws -> T) rethrows -> [T] {
    try classes.map { $0 == 0 ? fixed : try random() }
}

/// Byte-string inputs, each in its own buffer: shared by every class-0 measurement, the fixed
/// bytes would stay in cache while each random input is read cold, a difference of a cache miss
/// (tens of nanoseconds) that the test sees and that is the harness's, not the operation's.
private func inputs(_ classes: [UInt8], fixed: [UInt8], random: () throws -> [UInt8]) rethrows -> [[UInt8]] {
    try classes.map { $0 == 0 ? fixed.map { $0 } : try random() }
}

extension Experiment {
    /// A deliberately variable-time comparison that stops at the first differing byte, the bug
    /// `constantTimeEquals` exists to avoid: the harness must flag it, or it cannot be trusted
    /// to clear the others.
    static let positiveControl = Experiment(
        key: "control", operation: "Positive control: early-exit comparison of 16-byte tags",
        classes: "equal vs differing in the first byte", measurementsPerClass: 300_000
    ) { classes in
        let tag = try random.bytes(16)
        var differing = tag
        differing[0] ^= 0x01
        let received = inputs(classes, fixed: tag) { differing.map { $0 } }
        return { i in keep(earlyExitEquals(tag, received[i])) }
    }

    /// The tag check of ChaCha20-Poly1305 and AES-GCM (and the Finished and cookie checks). One
    /// call is a few nanoseconds, below the clock's overhead: the t-test over many measurements
    /// still sees a difference of a fraction of that, as the positive control shows.
    static let tagComparison = Experiment(
        key: "tag", operation: "AEAD tag comparison (constantTimeEquals, 16 bytes)",
        classes: "equal vs differing in the first byte", measurementsPerClass: 300_000
    ) { classes in
        let tag = try random.bytes(16)
        var differing = tag
        differing[0] ^= 0x01
        let received = inputs(classes, fixed: tag) { differing.map { $0 } }
        return { i in keep(constantTimeEquals(tag, received[i])) }
    }

    /// RFC 7748 §5 with a fixed peer u-coordinate. The fixed scalar is all zeros, 2^254 once
    /// clamped: a single set bit.
    static let x25519 = Experiment(
        key: "x25519", operation: "X25519 scalar multiplication",
        classes: "scalar 0 (2^254 clamped) vs random", measurementsPerClass: 150_000
    ) { classes in
        let peer = try X25519.publicKey(privateKey: random.bytes(32))
        let scalars = try inputs(classes, fixed: [UInt8](repeating: 0, count: 32)) { try random.bytes(32) }
        return { i in keep(try X25519.scalarMultiply(scalar: scalars[i], uCoordinate: peer)) }
    }

    /// SEC 1 §3.3.1 ECDH with a fixed peer point. The fixed private key is d = 1.
    static let p256ECDH = Experiment(
        key: "p256_ecdh", operation: "P-256 ECDH scalar multiplication",
        classes: "private key 1 vs random", measurementsPerClass: 50_000
    ) { classes in
        let peer = try P256.KeyAgreement.PrivateKey(generatingWith: random).publicKey
        let one = try P256.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 31) + [1])
        let keys = try inputs(classes, fixed: one) { try P256.KeyAgreement.PrivateKey(generatingWith: random) }
        return { i in keep(try keys[i].sharedSecret(with: peer)) }
    }

    /// ECDSA with RFC 6979 nonces and a fixed key: a fixed message gives a fixed nonce k, a
    /// random message a random one, so this compares k·G and k⁻¹ for a fixed and random k.
    static let ecdsaP256Sign = Experiment(
        key: "ecdsa_p256_sign", operation: "ECDSA P-256 sign (RFC 6979 nonce)",
        classes: "fixed message (fixed nonce) vs random", measurementsPerClass: 100_000
    ) { classes in
        let key = try P256.Signing.PrivateKey(generatingWith: random)
        let messages = try inputs(classes, fixed: [UInt8](repeating: 0, count: 32)) { try random.bytes(32) }
        return { i in keep(key.signature(for: messages[i])) }
    }

    /// RSASP1 (the private operation under a PSS signature) with cert/server.key, blinded as
    /// every signature is. The fixed base is 2: below p and q, so an unblinded implementation
    /// that skips the reduction of a small input would show it.
    static let rsa2048Sign = Experiment(
        key: "rsa2048_sign", operation: "RSA-2048 private operation (blinded CRT)",
        classes: "base 2 vs random base", measurementsPerClass: 15_000
    ) { classes in
        let key = try serverPrivateKey()
        let width = key.publicKey.modulusByteCount
        let two = try BigUInt(2).bigEndianBytes(count: width)
        let bases = try inputs(classes, fixed: two) {
            try BigUInt(bigEndianBytes: random.bytes(width + 8)).remainder(dividingBy: key.publicKey.modulus).bigEndianBytes(count: width)
        }
        return { i in keep(try key.rawPrivateOperation(bases[i])) }
    }
}

/// The comparison everyone writes first, and the reason constant-time comparison exists.
@inline(never)
func earlyExitEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    for i in a.indices where a[i] != b[i] { return false }
    return true
}

/// cert/server.key from the working directory (`swift run` runs in the package root), or else
/// found relative to this source file.
private func serverPrivateKey() throws -> RSAPrivateKey {
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [URL(fileURLWithPath: "cert/server.key"), packageRoot.appendingPathComponent("cert/server.key")]
    guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "cert/server.key"])
    }
    return try RSAPrivateKey(pem: String(contentsOf: url, encoding: .utf8))
}
