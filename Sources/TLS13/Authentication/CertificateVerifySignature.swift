import TLSCrypto

/// RFC 8446 §4.4.3 Certificate Verify: what is signed, and how, for the schemes this library
/// implements: rsa_pss_rsae_* (RSASSA-PSS with MGF1 of the same hash and a salt as long as the
/// hash, §4.2.3) and ecdsa_secp256r1_sha256 (ECDSA on P-256 with SHA-256, DER-encoded).
enum CertificateVerifySignature {
    /// The signed content:
    ///
    ///     64 × 0x20 || "TLS 1.3, server CertificateVerify" || 0x00 || Transcript-Hash(ClientHello ... Certificate)
    ///
    /// The 64 spaces defeat a signature being reused as a TLS 1.2 ServerKeyExchange; the context
    /// string keeps a client's and a server's signature apart.
    static func content(signedBy side: Side, transcriptHash: [UInt8]) -> [UInt8] {
        let context = side == .server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify"
        return [UInt8](repeating: 0x20, count: 64) + Array(context.utf8) + [0x00] + transcriptHash
    }

    /// Whether this library can make and check CertificateVerify signatures with `scheme`:
    /// rsa_pss_rsae_sha256/384/512 and ecdsa_secp256r1_sha256 (RFC 8446 §9.1 makes
    /// rsa_pss_rsae_sha256 and ecdsa_secp256r1_sha256 mandatory). §4.4.3: RSA signatures in
    /// TLS 1.3 "MUST use an RSASSA-PSS algorithm", so rsa_pkcs1_* never appear here.
    static func isImplemented(_ scheme: SignatureScheme) -> Bool {
        pssHashLength(of: scheme) != nil || scheme == .ecdsaSecp256r1SHA256
    }

    /// The hash length of an rsa_pss_rsae scheme, nil for any other scheme.
    static func pssHashLength(of scheme: SignatureScheme) -> Int? {
        switch scheme {
        case .rsaPSSRSAESHA256: 32
        case .rsaPSSRSAESHA384: 48
        case .rsaPSSRSAESHA512: 64
        default: nil
        }
    }

    /// Whether `scheme` fits a certificate key of this kind (§4.4.3: "the signature algorithm
    /// MUST be compatible with the key in the sender's end-entity certificate").
    static func fits(_ scheme: SignatureScheme, _ key: CertificatePublicKey) -> Bool {
        switch key {
        case .rsa: pssHashLength(of: scheme) != nil
        case .p256: scheme == .ecdsaSecp256r1SHA256
        }
    }

    /// Whether `key` can make a signature with `scheme`. For RSA, RFC 8017 §9.1.1 needs
    /// emLen ≥ hLen + sLen + 2 with sLen = hLen (a 1024-bit key cannot sign with SHA-512).
    static func canSign(_ scheme: SignatureScheme, with key: CertificatePrivateKey) -> Bool {
        guard fits(scheme, key.publicKey) else { return false }
        guard case .rsa(let rsa) = key, let hashLength = pssHashLength(of: scheme) else { return true }
        return (rsa.publicKey.modulusBitCount - 1 + 7) / 8 >= 2 * hashLength + 2
    }

    /// `fixedSalt`, when given, is the PSS salt instead of one drawn from `saltSource`. ECDSA
    /// nonces are deterministic (RFC 6979), so an ECDSA signature needs no randomness.
    static func sign(_ content: [UInt8], scheme: SignatureScheme, key: CertificatePrivateKey,
                     saltSource: any RandomSource, fixedSalt: [UInt8]? = nil) throws -> [UInt8] {
        let saltSource: any RandomSource = fixedSalt.map(FixedSalt.init) ?? saltSource
        do {
            switch (scheme, key) {
            case (.rsaPSSRSAESHA256, .rsa(let key)): return try key.signPSS(content, hash: SHA256.self, saltSource: saltSource)
            case (.rsaPSSRSAESHA384, .rsa(let key)): return try key.signPSS(content, hash: SHA384.self, saltSource: saltSource)
            case (.rsaPSSRSAESHA512, .rsa(let key)): return try key.signPSS(content, hash: SHA512.self, saltSource: saltSource)
            case (.ecdsaSecp256r1SHA256, .p256(let key)): return key.signature(for: content).derRepresentation
            default: throw TLSError(.internalError, "cannot sign with \(scheme) using an \(key.publicKey) key")
            }
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(.internalError, "signing CertificateVerify failed: \(error)")
        }
    }

    static func isValid(_ signature: [UInt8], for content: [UInt8], scheme: SignatureScheme, key: CertificatePublicKey) -> Bool {
        switch (scheme, key) {
        case (.rsaPSSRSAESHA256, .rsa(let key)): key.isValidPSSSignature(signature, for: content, hash: SHA256.self)
        case (.rsaPSSRSAESHA384, .rsa(let key)): key.isValidPSSSignature(signature, for: content, hash: SHA384.self)
        case (.rsaPSSRSAESHA512, .rsa(let key)): key.isValidPSSSignature(signature, for: content, hash: SHA512.self)
        case (.ecdsaSecp256r1SHA256, .p256(let key)): key.isValidSignature(derRepresentation: signature, for: content)
        default: false
        }
    }
}

/// A salt given in advance, handed out as the one "random" draw of a PSS signature. A draw of any
/// other length means the salt does not fit the scheme (RFC 8446 §4.2.3: salt length = hash length).
private final class FixedSalt: RandomSource {
    let salt: [UInt8]

    init(_ salt: [UInt8]) { self.salt = salt }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard buffer.count == salt.count else {
            throw TLSError(.internalError, "the configured PSS salt is \(salt.count) bytes; the signature scheme needs \(buffer.count)")
        }
        buffer.copyBytes(from: salt)
    }
}
