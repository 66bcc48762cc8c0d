/// AEAD_CHACHA20_POLY1305 (RFC 8439 §2.8), the AEAD of TLS_CHACHA20_POLY1305_SHA256.
///
/// For each message: the ChaCha20 block with counter 0 gives the one-time Poly1305 key
/// (§2.6); the plaintext is encrypted with the keystream from counter 1 (§2.4); the tag is
/// Poly1305 over
///
///     AAD | pad to 16 | ciphertext | pad to 16 | le64(AAD length) | le64(ciphertext length)
///
/// Opening checks the tag before decrypting anything, and compares it in constant time.
public struct ChaCha20Poly1305: AEAD {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let tagByteCount = 16
    public static let name = "ChaCha20-Poly1305"

    /// The 32-bit block counter starts at 1 for the message, so at most 2^32 - 1 blocks.
    public static let maximumMessageByteCount = ((1 << 32) - 1) * ChaCha20.blockByteCount

    private let key: [UInt8]

    public init(key: [UInt8]) throws {
        guard key.count == Self.keyByteCount else {
            throw CryptoError(.invalidKeySize, "ChaCha20-Poly1305 key must be 32 bytes, got \(key.count)")
        }
        self.key = key
    }

    public func seal(nonce: [UInt8], plaintext: [UInt8], additionalData: [UInt8]) throws -> [UInt8] {
        let cipher = try makeCipher(nonce: nonce, messageByteCount: plaintext.count)
        var mac = Self.oneTimeAuthenticator(cipher)
        let tagOffset = plaintext.count
        return [UInt8](unsafeUninitializedCapacity: plaintext.count + Self.tagByteCount) { output, initialized in
            let out = UnsafeMutableRawBufferPointer(output)
            plaintext.withUnsafeBytes { cipher.xorKeystream($0, into: out, counter: 1) }
            let ciphertext = UnsafeRawBufferPointer(rebasing: out[0..<tagOffset])
            let tag = Self.authenticate(&mac, additionalData: additionalData, ciphertext: ciphertext)
            for (i, byte) in tag.enumerated() {
                out[tagOffset + i] = byte
            }
            initialized = tagOffset + Self.tagByteCount
        }
    }

    public func open(nonce: [UInt8], ciphertextAndTag: [UInt8], additionalData: [UInt8]) throws -> [UInt8] {
        try Self.checkNonce(nonce)
        guard ciphertextAndTag.count >= Self.tagByteCount else {
            throw CryptoError(.authenticationFailure, "ChaCha20-Poly1305 input is shorter than the tag")
        }
        let ciphertextCount = ciphertextAndTag.count - Self.tagByteCount
        let cipher = try makeCipher(nonce: nonce, messageByteCount: ciphertextCount)
        var mac = Self.oneTimeAuthenticator(cipher)
        return try ciphertextAndTag.withUnsafeBytes { input in
            let ciphertext = UnsafeRawBufferPointer(rebasing: input[0..<ciphertextCount])
            let expected = Self.authenticate(&mac, additionalData: additionalData, ciphertext: ciphertext)
            let received = UnsafeRawBufferPointer(rebasing: input[ciphertextCount...])
            guard constantTimeEquals(expected, received) else {
                throw CryptoError(.authenticationFailure, "ChaCha20-Poly1305 tag mismatch")
            }
            return [UInt8](unsafeUninitializedCapacity: ciphertextCount) { output, initialized in
                cipher.xorKeystream(ciphertext, into: UnsafeMutableRawBufferPointer(output), counter: 1)
                initialized = ciphertextCount
            }
        }
    }

    private static func checkNonce(_ nonce: [UInt8]) throws {
        guard nonce.count == nonceByteCount else {
            throw CryptoError(.invalidNonceSize, "ChaCha20-Poly1305 nonce must be 12 bytes, got \(nonce.count)")
        }
    }

    private func makeCipher(nonce: [UInt8], messageByteCount: Int) throws -> ChaCha20 {
        try Self.checkNonce(nonce)
        guard messageByteCount <= Self.maximumMessageByteCount else {
            throw CryptoError(.invalidParameter, "ChaCha20-Poly1305 message longer than 2^38 - 64 bytes")
        }
        return try ChaCha20(key: key, nonce: nonce)
    }

    /// §2.6: the first 32 bytes of the keystream block with counter 0 are the Poly1305 key.
    private static func oneTimeAuthenticator(_ cipher: ChaCha20) -> Poly1305 {
        withUnsafeTemporaryAllocation(byteCount: ChaCha20.blockByteCount, alignment: 16) { block in
            block.initializeMemory(as: UInt8.self, repeating: 0)
            cipher.xorKeystream(UnsafeRawBufferPointer(block), into: block, counter: 0)
            return Poly1305(uncheckedKey: UnsafeRawBufferPointer(rebasing: block[0..<Poly1305.keyByteCount]))
        }
    }

    /// §2.8: the Poly1305 input is built on the fly, never copied into one buffer.
    private static func authenticate(_ mac: inout Poly1305, additionalData: [UInt8],
                                     ciphertext: UnsafeRawBufferPointer) -> [UInt8] {
        mac.update(additionalData)
        mac.padToBlockBoundary()
        mac.update(ciphertext)
        mac.padToBlockBoundary()
        var lengths = (UInt64(additionalData.count).littleEndian, UInt64(ciphertext.count).littleEndian)
        withUnsafeBytes(of: &lengths) { mac.update($0) }
        return mac.finalize()
    }
}
