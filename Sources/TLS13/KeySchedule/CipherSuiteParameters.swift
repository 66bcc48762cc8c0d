import TLSCrypto

/// What a TLS 1.3 cipher suite decides (RFC 8446 §B.4): the hash of the key schedule and
/// transcript, and the AEAD that protects records. A TLS 1.3 suite names nothing else: the key
/// exchange and the signature are negotiated separately.
///
///     TLS_AES_128_GCM_SHA256        {0x13,0x01}   AES-128-GCM        SHA-256
///     TLS_AES_256_GCM_SHA384        {0x13,0x02}   AES-256-GCM        SHA-384
///     TLS_CHACHA20_POLY1305_SHA256  {0x13,0x03}   ChaCha20-Poly1305  SHA-256
public struct CipherSuiteParameters: Sendable {
    public let suite: CipherSuite
    public let hash: HashAlgorithm
    public let aead: any AEAD.Type

    /// RFC 8446 §7.3: key_length is the AEAD's key size.
    public var keyLength: Int { aead.keyByteCount }
    /// RFC 8446 §5.3: iv_length is max(8 bytes, N_MIN) = 12 for every suite we implement.
    public var ivLength: Int { aead.nonceByteCount }

    /// The parameters of a suite we implement, nil for any other code point.
    public init?(_ suite: CipherSuite) {
        switch suite {
        case .chacha20Poly1305SHA256:
            self.init(suite: suite, hash: HashAlgorithm(SHA256.self), aead: ChaCha20Poly1305.self)
        case .aes128GCMSHA256:
            self.init(suite: suite, hash: HashAlgorithm(SHA256.self), aead: AES128GCM.self)
        case .aes256GCMSHA384:
            self.init(suite: suite, hash: HashAlgorithm(SHA384.self), aead: AES256GCM.self)
        default:
            return nil
        }
    }

    private init(suite: CipherSuite, hash: HashAlgorithm, aead: any AEAD.Type) {
        self.suite = suite
        self.hash = hash
        self.aead = aead
    }

    /// Every suite this library implements, in its default order of preference.
    public static let implemented: [CipherSuite] = [.chacha20Poly1305SHA256, .aes128GCMSHA256, .aes256GCMSHA384]
}

/// One hash function of the SHA-2 family with the HMAC (RFC 2104) and HKDF (RFC 5869) built on
/// it, chosen at run time: the cipher suite decides between SHA-256 and SHA-384 only once the
/// ServerHello is known, so the key schedule cannot be a compile-time generic of one hash.
public struct HashAlgorithm: Sendable {
    /// "SHA-256" or "SHA-384".
    public let name: String
    /// Hash.length in RFC 8446's notation.
    public let length: Int
    public let hash: @Sendable (_ bytes: [UInt8]) -> [UInt8]
    public let hmac: @Sendable (_ key: [UInt8], _ message: [UInt8]) -> [UInt8]
    public let extract: @Sendable (_ salt: [UInt8], _ ikm: [UInt8]) -> [UInt8]
    /// HKDF-Expand. Throws only for an output longer than 255 × Hash.length, which the key
    /// schedule never asks for.
    public let expand: @Sendable (_ prk: [UInt8], _ info: [UInt8], _ length: Int) throws -> [UInt8]
    /// A fresh running hash, for the transcript.
    public let makeRunningHash: @Sendable () -> any HashFunction

    public init<H: HashFunction>(_: H.Type) {
        name = H.name
        length = H.digestByteCount
        hash = { H.hash($0) }
        hmac = { HMAC<H>.authenticationCode(key: $0, message: $1) }
        extract = { HKDF<H>.extract(salt: $0, ikm: $1) }
        expand = { try HKDF<H>.expand(prk: $0, info: $1, length: $2) }
        makeRunningHash = { H() }
    }
}
