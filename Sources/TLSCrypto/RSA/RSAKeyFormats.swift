/// Reading RSA keys from the files OpenSSL writes.
extension RSAPrivateKey {
    /// A PEM file holding "RSA PRIVATE KEY" (PKCS #1, `openssl genrsa -traditional`) or
    /// "PRIVATE KEY" (PKCS #8, `openssl genpkey`). The first key block is used.
    public init(pem: String) throws {
        guard case .rsa(let key) = try CertificatePrivateKey(pem: pem) else {
            throw CryptoError(.unsupported, "the PEM private key is not an RSA key")
        }
        self = key
    }

    /// RFC 8017 Appendix A.1.2 RSAPrivateKey (see the struct's documentation); version 0 only
    /// (version 1 means more than two primes).
    public init(pkcs1DER der: [UInt8]) throws {
        let fields = try DERReader.parse(der, "RSAPrivateKey") { reader in
            try reader.sequence("RSAPrivateKey") { key in
                let version = try key.smallInteger("version")
                guard version == 0 else {
                    throw CryptoError(.unsupported, "RSAPrivateKey version \(version) (multi-prime) is not supported")
                }
                return try ["modulus", "publicExponent", "privateExponent", "prime1", "prime2",
                            "exponent1", "exponent2", "coefficient"].map { try key.unsignedInteger($0) }
            }
        }
        try self.init(modulus: fields[0], publicExponent: fields[1], privateExponent: fields[2],
                      prime1: fields[3], prime2: fields[4], exponent1: fields[5], exponent2: fields[6],
                      coefficient: fields[7])
    }

    /// RFC 5208 §5 / RFC 5958 §2 PrivateKeyInfo (see `PrivateKeyInfo`) wrapping an RSA key.
    public init(pkcs8DER der: [UInt8]) throws {
        let info = try PrivateKeyInfo(der: der)
        guard info.algorithm.oid == .rsaEncryption else {
            throw CryptoError(.unsupported, "private key algorithm \(info.algorithm.oid) is not RSA")
        }
        try self.init(pkcs1DER: info.privateKey)
    }
}

extension RSAPublicKey {
    /// A PEM file holding "PUBLIC KEY" (SubjectPublicKeyInfo) or "RSA PUBLIC KEY" (PKCS #1).
    public init(pem: String) throws {
        for block in try PEM.decode(pem) {
            switch block.label {
            case "PUBLIC KEY": try self.init(subjectPublicKeyInfoDER: block.der); return
            case "RSA PUBLIC KEY": try self.init(pkcs1DER: block.der); return
            default: continue
            }
        }
        throw CryptoError(.malformedEncoding, "PEM: no PUBLIC KEY or RSA PUBLIC KEY block")
    }

    /// RFC 8017 Appendix A.1.1 RSAPublicKey (see the struct's documentation).
    public init(pkcs1DER der: [UInt8]) throws {
        let (n, e) = try DERReader.parse(der, "RSAPublicKey") { reader in
            try reader.sequence("RSAPublicKey") { key in
                (try key.unsignedInteger("modulus"), try key.unsignedInteger("publicExponent"))
            }
        }
        try self.init(modulus: n, exponent: e)
    }

    /// RFC 5280 §4.1.2.7 SubjectPublicKeyInfo with the rsaEncryption algorithm (RFC 3279 §2.3.1).
    public init(subjectPublicKeyInfoDER der: [UInt8]) throws {
        let info = try SubjectPublicKeyInfo(der: der)
        guard let key = info.rsaPublicKey else {
            throw CryptoError(.unsupported, "public key algorithm \(info.algorithm.oid) is not RSA")
        }
        self = key
    }
}
