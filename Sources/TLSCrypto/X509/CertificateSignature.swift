/// Checking the signature on a certificate (RFC 5280 §6.1.3 (a)(1)): the issuer's public key
/// over the exact TBSCertificate bytes, with the algorithm the certificate names.
extension Certificate {
    /// True when `issuer`'s key signed this certificate: an RSA key with
    /// sha256/384/512WithRSAEncryption (PKCS #1 v1.5, RFC 4055 §5) or RSASSA-PSS with
    /// SHA-256/384/512 (RFC 4055 §3), or a P-256 key with ecdsa-with-SHA256 (RFC 5758 §3.2), so
    /// RSA and ECDSA certificates can sign each other in one chain. Anything else (SHA-1, a key
    /// this module does not use, an algorithm that does not fit the key) is false.
    public func isSignature(by issuer: Certificate) -> Bool {
        issuer.subjectPublicKeyInfo.publicKey?.isValidSignature(signature, for: tbsBytes, algorithm: signatureAlgorithm) ?? false
    }
}

extension RSAPublicKey {
    /// Verifies `signature` over `message` with the X.509 signature algorithm `algorithm`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        switch algorithm.oid {
        case .sha256WithRSAEncryption, .sha384WithRSAEncryption, .sha512WithRSAEncryption:
            // RFC 4055 §5: the parameters are NULL (absent is tolerated, as most verifiers do).
            guard algorithm.identifier.hasAbsentOrNullParameters else { return false }
            switch algorithm.oid {
            case .sha256WithRSAEncryption: return isValidPKCS1v15Signature(signature, for: message, hash: SHA256.self)
            case .sha384WithRSAEncryption: return isValidPKCS1v15Signature(signature, for: message, hash: SHA384.self)
            default: return isValidPKCS1v15Signature(signature, for: message, hash: SHA512.self)
            }
        case .rsassaPSS:
            guard let pss = algorithm.pssParameters else { return false }
            switch pss.hash {
            case .sha256: return isValidPSS(signature, message, SHA256.self, pss)
            case .sha384: return isValidPSS(signature, message, SHA384.self, pss)
            case .sha512: return isValidPSS(signature, message, SHA512.self, pss)
            default: return false
            }
        default:
            return false
        }
    }

    private func isValidPSS<H: HashFunction>(_ signature: [UInt8], _ message: [UInt8], _ hash: H.Type, _ pss: PSSParameters) -> Bool {
        switch pss.mgfHash {
        case .sha256: isValidPSSSignature(signature, for: message, hash: H.self, mgfHash: SHA256.self, saltLength: pss.saltLength)
        case .sha384: isValidPSSSignature(signature, for: message, hash: H.self, mgfHash: SHA384.self, saltLength: pss.saltLength)
        case .sha512: isValidPSSSignature(signature, for: message, hash: H.self, mgfHash: SHA512.self, saltLength: pss.saltLength)
        default: false
        }
    }
}
