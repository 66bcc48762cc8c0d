/// Authenticated encryption with associated data, the only kind of cipher TLS 1.3 uses
/// (RFC 8446 §5.2). Implemented by ChaCha20-Poly1305 (RFC 8439) and AES-GCM (SP 800-38D).
public protocol AEAD: Sendable {
    static var keyByteCount: Int { get }
    /// The nonce length TLS uses with this cipher (RFC 8446 §5.3: iv_length, 12 for every suite).
    static var nonceByteCount: Int { get }
    static var tagByteCount: Int { get }
    /// Name as the RFCs write it, e.g. "ChaCha20-Poly1305".
    static var name: String { get }

    /// Throws `CryptoError(.invalidKeySize)` when `key.count != keyByteCount`.
    init(key: [UInt8]) throws

    /// Returns ciphertext followed by the tag (`plaintext.count + tagByteCount` bytes).
    /// Throws `CryptoError(.invalidNonceSize)` for a nonce length the cipher cannot take.
    func seal(nonce: [UInt8], plaintext: [UInt8], additionalData: [UInt8]) throws -> [UInt8]

    /// Checks the tag in constant time and returns the plaintext, or throws
    /// `CryptoError(.authenticationFailure)` and releases nothing.
    func open(nonce: [UInt8], ciphertextAndTag: [UInt8], additionalData: [UInt8]) throws -> [UInt8]
}
