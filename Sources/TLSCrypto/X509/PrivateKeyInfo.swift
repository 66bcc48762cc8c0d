/// RFC 5208 §5 / RFC 5958 §2: the algorithm-neutral wrapper of a private key (PKCS #8), what
/// `openssl genpkey` writes under "PRIVATE KEY".
///
///     PrivateKeyInfo ::= SEQUENCE {
///         version                   Version,
///         privateKeyAlgorithm       AlgorithmIdentifier,
///         privateKey                OCTET STRING,
///         attributes           [0]  IMPLICIT Attributes OPTIONAL,
///         publicKey            [1]  IMPLICIT BIT STRING OPTIONAL }
///
/// Version is 0 (RFC 5208) or 1 (RFC 5958, with the public key). The attributes and the
/// optional public key copy are not needed and are skipped.
struct PrivateKeyInfo {
    let algorithm: AlgorithmIdentifier
    /// The algorithm's own private key encoding (RSAPrivateKey, ECPrivateKey).
    let privateKey: [UInt8]

    init(der: [UInt8]) throws {
        (algorithm, privateKey) = try DERReader.parse(der, "PrivateKeyInfo") { reader in
            try reader.sequence("PrivateKeyInfo") { info in
                let version = try info.smallInteger("version")
                guard version <= 1 else { throw CryptoError(.unsupported, "PrivateKeyInfo version \(version)") }
                let algorithm = try AlgorithmIdentifier(from: &info)
                let key = Array(try info.octetString("privateKey"))
                while !info.isAtEnd { _ = try info.readElement("attributes/publicKey") }
                return (algorithm, key)
            }
        }
    }
}
