import TLSCrypto

/// RFC 8446 §4.4.3 Certificate Verify: what is signed, and how, for the rsa_pss_rsae_* schemes
/// this library implements (RSASSA-PSS with MGF1 of the same hash and a salt as long as the
/// hash, §4.2.3).
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

    /// The hash length of an rsa_pss_rsae scheme, nil for any other scheme.
    static func hashLength(of scheme: SignatureScheme) -> Int? {
        switch scheme {
        case .rsaPSSRSAESHA256: 32
        case .rsaPSSRSAESHA384: 48
        case .rsaPSSRSAESHA512: 64
        default: nil
        }
    }

    /// Whether an RSA key of `modulusBitCount` bits can make a PSS signature with `scheme`:
    /// RFC 8017 §9.1.1 needs emLen ≥ hLen + sLen + 2 with sLen = hLen (a 1024-bit key cannot sign
    /// with SHA-512).
    static func canSign(_ scheme: SignatureScheme, modulusBitCount: Int) -> Bool {
        guard let hashLength = hashLength(of: scheme) else { return false }
        return (modulusBitCount - 1 + 7) / 8 >= 2 * hashLength + 2
    }

    /// `fixedSalt`, when given, is the PSS salt instead of one drawn from `saltSource`.
    static func sign(_ content: [UInt8], scheme: SignatureScheme, key: RSAPrivateKey,
                     saltSource: any RandomSource, fixedSalt: [UInt8]? = nil) throws -> [UInt8] {
        let saltSource: any RandomSource = fixedSalt.map(FixedSalt.init) ?? saltSource
        do {
            switch scheme {
            case .rsaPSSRSAESHA256: return try key.signPSS(content, hash: SHA256.self, saltSource: saltSource)
            case .rsaPSSRSAESHA384: return try key.signPSS(content, hash: SHA384.self, saltSource: saltSource)
            case .rsaPSSRSAESHA512: return try key.signPSS(content, hash: SHA512.self, saltSource: saltSource)
            default: throw TLSError(.internalError, "cannot sign with \(scheme)")
            }
        } catch let error as TLSError {
            throw error
        } catch {
            throw TLSError(.internalError, "signing CertificateVerify failed: \(error)")
        }
    }

    static func isValid(_ signature: [UInt8], for content: [UInt8], scheme: SignatureScheme, key: RSAPublicKey) -> Bool {
        switch scheme {
        case .rsaPSSRSAESHA256: key.isValidPSSSignature(signature, for: content, hash: SHA256.self)
        case .rsaPSSRSAESHA384: key.isValidPSSSignature(signature, for: content, hash: SHA384.self)
        case .rsaPSSRSAESHA512: key.isValidPSSSignature(signature, for: content, hash: SHA512.self)
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
