/// The key in a certificate's SubjectPublicKeyInfo, when this module can use it.
public enum CertificatePublicKey: Sendable, Hashable, CustomStringConvertible {
    /// rsaEncryption or id-RSASSA-PSS (RFC 4055).
    case rsa(RSAPublicKey)
    /// id-ecPublicKey with the namedCurve prime256v1 (RFC 5480).
    case p256(P256.Signing.PublicKey)

    /// Verifies an X.509 signature made with `algorithm` over `message`; false when this key
    /// cannot make that algorithm (an RSA key and ecdsa-with-SHA256, for example).
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        switch self {
        case .rsa(let key): key.isValidSignature(signature, for: message, algorithm: algorithm)
        case .p256(let key): key.isValidSignature(signature, for: message, algorithm: algorithm)
        }
    }

    public var description: String {
        switch self {
        case .rsa(let key): "RSA-\(key.modulusBitCount)"
        case .p256: "EC P-256"
        }
    }
}

/// A private key of a kind certificates carry: what a TLS server signs CertificateVerify with.
public enum CertificatePrivateKey: Sendable {
    case rsa(RSAPrivateKey)
    case p256(P256.Signing.PrivateKey)

    /// The first key block of a PEM file: "RSA PRIVATE KEY" (PKCS #1, RFC 8017 §A.1.2),
    /// "EC PRIVATE KEY" (SEC 1, RFC 5915) or "PRIVATE KEY" (PKCS #8) holding either. Other
    /// blocks, such as the "EC PARAMETERS" `openssl ecparam -genkey` writes first, are skipped.
    public init(pem: String) throws {
        for block in try PEM.decode(pem) {
            switch block.label {
            case "RSA PRIVATE KEY": self = .rsa(try RSAPrivateKey(pkcs1DER: block.der)); return
            case "EC PRIVATE KEY": self = .p256(try P256.Signing.PrivateKey(sec1DER: block.der)); return
            case "PRIVATE KEY": try self.init(pkcs8DER: block.der); return
            case "ENCRYPTED PRIVATE KEY": throw CryptoError(.unsupported, "encrypted private keys are not supported")
            default: continue
            }
        }
        throw CryptoError(.malformedEncoding, "PEM: no RSA PRIVATE KEY, EC PRIVATE KEY or PRIVATE KEY block")
    }

    /// PKCS #8 PrivateKeyInfo (RFC 5208 §5) holding an RSA key or a P-256 key (RFC 5915 §2).
    public init(pkcs8DER der: [UInt8]) throws {
        let info = try PrivateKeyInfo(der: der)
        if info.algorithm.oid == .rsaEncryption {
            self = .rsa(try RSAPrivateKey(pkcs1DER: info.privateKey))
        } else if info.algorithm.namesP256 {
            self = .p256(try P256.Signing.PrivateKey(sec1DER: info.privateKey, curveNamedOutside: true))
        } else {
            throw CryptoError(.unsupported, "private key algorithm \(info.algorithm.oid) (parameters \(info.algorithm.parameters.hexString)) is neither RSA nor P-256")
        }
    }

    /// The public half, as a certificate for this key would hold it.
    public var publicKey: CertificatePublicKey {
        switch self {
        case .rsa(let key): .rsa(key.publicKey)
        case .p256(let key): .p256(key.publicKey)
        }
    }
}

extension Certificate {
    /// True when `privateKey` is the private half of this certificate's subject key. A server
    /// whose key does not match its certificate could never make a CertificateVerify that
    /// verifies, so it should refuse to start.
    public func hasPublicKey(of privateKey: CertificatePrivateKey) -> Bool {
        subjectPublicKeyInfo.publicKey == privateKey.publicKey
    }
}
