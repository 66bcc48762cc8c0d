import TLS13
import TLSCrypto

/// RFC 9001 §5.1: the keys that protect the packets of one direction at one encryption level,
/// derived from a TLS traffic secret with HKDF-Expand-Label (RFC 8446 §7.1) and QUIC's own labels:
///
///     key = HKDF-Expand-Label(secret, "quic key", "", key_length)
///     iv  = HKDF-Expand-Label(secret, "quic iv", "", 12)
///     hp  = HKDF-Expand-Label(secret, "quic hp", "", key_length)
///
/// The AEAD and the hash are those of the negotiated cipher suite; Initial packets use
/// TLS_AES_128_GCM_SHA256 (§5.2).
public struct PacketKeys: Sendable {
    /// One HKDF-Expand-Label step, for the trace: its label, HkdfLabel ("info") and output.
    public struct Derivation: Sendable, Hashable {
        public let label: String
        public let info: [UInt8]
        public let output: [UInt8]
    }

    public let suite: CipherSuiteParameters
    public let secret: [UInt8]
    public let key: [UInt8]
    public let iv: [UInt8]
    public let hp: [UInt8]
    /// 0 for the keys TLS gave; n after n key updates (RFC 9001 §6).
    public let generation: Int
    public let derivations: [Derivation]
    let aead: any AEAD
    public let headerProtection: HeaderProtection

    public init(secret: [UInt8], suite: CipherSuiteParameters) throws {
        let key = try Self.expand(secret, "quic key", suite.keyLength, suite)
        let iv = try Self.expand(secret, "quic iv", suite.ivLength, suite)
        let hp = try Self.expand(secret, "quic hp", suite.keyLength, suite)
        try self.init(secret: secret, suite: suite, key: key, iv: iv, hp: hp, generation: 0)
    }

    private init(secret: [UInt8], suite: CipherSuiteParameters, key: Derivation, iv: Derivation,
                 hp: Derivation, generation: Int) throws {
        self.suite = suite
        self.secret = secret
        self.key = key.output
        self.iv = iv.output
        self.hp = hp.output
        self.generation = generation
        self.derivations = [key, iv, hp]
        self.aead = try suite.aead.init(key: key.output)
        self.headerProtection = try HeaderProtection(suite: suite.suite, key: hp.output)
    }

    /// RFC 9001 §6.1: the next generation's secret is
    /// `HKDF-Expand-Label(secret, "quic ku", "", Hash.length)`; key and IV follow from it, and the
    /// header protection key does not change ("The header protection key is not updated").
    public func nextGeneration() throws -> PacketKeys {
        let next = try Self.expand(secret, "quic ku", suite.hash.length, suite)
        let key = try Self.expand(next.output, "quic key", suite.keyLength, suite)
        let iv = try Self.expand(next.output, "quic iv", suite.ivLength, suite)
        let hp = Derivation(label: "quic hp (kept)", info: [], output: self.hp)
        return try PacketKeys(secret: next.output, suite: suite, key: key, iv: iv, hp: hp, generation: generation + 1)
    }

    /// RFC 9001 §5.3: the nonce is the IV XORed with the packet number, left-padded with zeros.
    public func nonce(for packetNumber: UInt64) -> [UInt8] {
        var nonce = iv
        for i in 0..<8 {
            nonce[nonce.count - 1 - i] ^= UInt8(truncatingIfNeeded: packetNumber >> (8 * UInt64(i)))
        }
        return nonce
    }

    static func expand(_ secret: [UInt8], _ label: String, _ length: Int, _ suite: CipherSuiteParameters) throws -> Derivation {
        let info = try KeySchedule.hkdfLabel(label, context: [], length: length)
        return Derivation(label: label, info: info, output: try suite.hash.expand(secret, info, length))
    }
}

/// RFC 9001 §5.4.3 and §5.4.4: the 5-byte mask that hides the first byte's low bits and the packet
/// number, computed from a 16-byte sample of the ciphertext.
public enum HeaderProtection: Sendable {
    /// §5.4.3: `mask = AES-ECB(hp_key, sample)`, AES-128 or AES-256 as the suite's AEAD.
    case aes(AES)
    /// §5.4.4: `counter = sample[0..3]` (little endian), `nonce = sample[4..15]`,
    /// `mask = ChaCha20(hp_key, counter, nonce, {0,0,0,0,0})`.
    case chacha20(key: [UInt8])

    public init(suite: CipherSuite, key: [UInt8]) throws {
        self = suite == .chacha20Poly1305SHA256 ? .chacha20(key: key) : .aes(try AES(key: key))
    }

    public static let sampleLength = 16

    public var name: String {
        switch self {
        case .aes: "AES-ECB"
        case .chacha20: "ChaCha20"
        }
    }

    public func mask(sample: [UInt8]) throws -> [UInt8] {
        precondition(sample.count == Self.sampleLength, "header protection sample must be 16 bytes")
        switch self {
        case .aes(let aes):
            return Array(aes.encrypt(block: sample).prefix(5))
        case .chacha20(let key):
            let counter = UInt32(sample[0]) | UInt32(sample[1]) << 8 | UInt32(sample[2]) << 16 | UInt32(sample[3]) << 24
            let cipher = try ChaCha20(key: key, nonce: Array(sample[4..<16]))
            return cipher.encrypt([0, 0, 0, 0, 0], counter: counter)
        }
    }
}
