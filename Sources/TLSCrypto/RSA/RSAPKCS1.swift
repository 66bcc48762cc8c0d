/// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2). TLS 1.3 does not sign with it, but
/// certificates are still signed this way (sha256WithRSAEncryption), so a client must check it.
extension RSAPublicKey {
    /// Rebuilds the one valid encoding and compares it whole with what the signature opens to,
    /// rather than parsing the opened block: parsing leniently (skipping padding, trusting
    /// lengths inside the DigestInfo) is what made Bleichenbacher's 2006 forgery possible.
    public func isValidPKCS1v15Signature<H: HashFunction>(_ signature: [UInt8], for message: [UInt8], hash: H.Type) -> Bool {
        guard let opened = try? rawPublicOperation(signature),
              let expected = try? EMSAPKCS1v15<H>.encode(messageHash: H.hash(message), encodedLength: modulusByteCount)
        else { return false }
        return opened == expected
    }
}

/// EMSA-PKCS1-v1_5 (RFC 8017 §9.2):
///
///     EM = 0x00 || 0x01 || 0xff × (emLen - tLen - 3, at least 8) || 0x00 || T
///
/// where T is the DER of DigestInfo ::= SEQUENCE { digestAlgorithm AlgorithmIdentifier,
/// digest OCTET STRING }, written as the fixed prefixes of §9.2 note 1 followed by the hash.
enum EMSAPKCS1v15<H: HashFunction> {
    static func encode(messageHash: [UInt8], encodedLength: Int) throws -> [UInt8] {
        guard let prefix = digestInfoPrefixes[H.name] else {
            throw CryptoError(.unsupported, "EMSA-PKCS1-v1_5 with \(H.name)")
        }
        let t = prefix + messageHash
        guard encodedLength >= t.count + 11 else {
            throw CryptoError(.invalidParameter, "EMSA-PKCS1-v1_5: intended encoded message length too short")
        }
        return [0x00, 0x01] + [UInt8](repeating: 0xff, count: encodedLength - t.count - 3) + [0x00] + t
    }

    /// RFC 8017 §9.2 note 1.
    static var digestInfoPrefixes: [String: [UInt8]] {
        [
            "SHA-256": [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20],
            "SHA-384": [0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30],
            "SHA-512": [0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40],
        ]
    }
}
