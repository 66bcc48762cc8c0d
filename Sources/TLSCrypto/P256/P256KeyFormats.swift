/// Reading P-256 keys from the files OpenSSL writes and from certificates.
extension AlgorithmIdentifier {
    /// RFC 5480 §2.1.1: id-ecPublicKey whose parameters are the namedCurve prime256v1.
    ///
    ///     ECParameters ::= CHOICE {
    ///         namedCurve         OBJECT IDENTIFIER
    ///         -- implicitCurve   NULL
    ///         -- specifiedCurve  SpecifiedECDomain }
    ///
    /// The commented-out choices "MUST NOT be used" in PKIX, so explicit curve parameters are
    /// never taken for P-256, even when they spell out P-256's numbers.
    var namesP256: Bool {
        oid == .ecPublicKey
            && (try? DERReader.parse(parameters, "ECParameters") { try $0.objectIdentifier("namedCurve") }) == .prime256v1
    }
}

extension P256.Signing.PrivateKey {
    /// A PEM file holding "EC PRIVATE KEY" (SEC 1, `openssl ecparam -genkey`) or "PRIVATE KEY"
    /// (PKCS #8, `openssl genpkey -algorithm EC`) with a P-256 key.
    public init(pem: String) throws {
        guard case .p256(let key) = try CertificatePrivateKey(pem: pem) else {
            throw CryptoError(.unsupported, "the PEM private key is not a P-256 key")
        }
        self = key
    }

    /// RFC 5915 §3 (SEC 1 v2 §C.4):
    ///
    ///     ECPrivateKey ::= SEQUENCE {
    ///         version        INTEGER { ecPrivkeyVer1(1) } (ecPrivkeyVer1),
    ///         privateKey     OCTET STRING,
    ///         parameters [0] ECParameters {{ NamedCurve }} OPTIONAL,
    ///         publicKey  [1] BIT STRING OPTIONAL }
    ///
    /// privateKey is d as 32 bytes. On its own the structure MUST name its curve (RFC 5915 §3);
    /// inside PKCS #8 the curve is named by the outer AlgorithmIdentifier
    /// (`curveNamedOutside`), and a copy inside must agree. A public key copy must be d·G.
    public init(sec1DER der: [UInt8], curveNamedOutside: Bool = false) throws {
        let (privateKey, curve, publicKey) = try DERReader.parse(der, "ECPrivateKey") { reader in
            try reader.sequence("ECPrivateKey") { key in
                let version = try key.smallInteger("version")
                guard version == 1 else { throw CryptoError(.unsupported, "ECPrivateKey version \(version)") }
                let privateKey = Array(try key.octetString("privateKey"))
                let curve = try key.optionalExplicit(0, "parameters") { try $0.objectIdentifier("namedCurve") }
                let publicKey = try key.optionalExplicit(1, "publicKey") { Array(try $0.byteAlignedBitString("publicKey")) }
                return (privateKey, curve, publicKey)
            }
        }
        guard curve == .prime256v1 || (curve == nil && curveNamedOutside) else {
            throw CryptoError(.unsupported, "ECPrivateKey curve \(curve?.description ?? "not named") is not P-256 (prime256v1)")
        }
        try self.init(rawRepresentation: privateKey)
        if let publicKey, publicKey != self.publicKey.x963Representation {
            throw CryptoError(.invalidParameter, "ECPrivateKey: the public key it holds is not d·G for its private key")
        }
    }
}

extension P256.Signing.PublicKey {
    /// A PEM file holding "PUBLIC KEY" (SubjectPublicKeyInfo) with a P-256 key.
    public init(pem: String) throws {
        guard let block = try PEM.decode(pem).first(where: { $0.label == "PUBLIC KEY" }) else {
            throw CryptoError(.malformedEncoding, "PEM: no PUBLIC KEY block")
        }
        try self.init(subjectPublicKeyInfoDER: block.der)
    }

    /// RFC 5480 §2 SubjectPublicKeyInfo with id-ecPublicKey and the namedCurve prime256v1.
    public init(subjectPublicKeyInfoDER der: [UInt8]) throws {
        let info = try SubjectPublicKeyInfo(der: der)
        guard case .p256(let key) = info.publicKey else {
            throw CryptoError(.unsupported, "public key \(info.algorithm.oid) (parameters \(info.algorithm.parameters.hexString)) is not P-256")
        }
        self = key
    }

    /// X.509 ecdsa-with-SHA256 (RFC 5758 §3.2, whose encoding "MUST omit the parameters
    /// field"): `signature` is the DER Ecdsa-Sig-Value. Any other algorithm is false.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], algorithm: SignatureAlgorithm) -> Bool {
        guard algorithm.oid == .ecdsaWithSHA256, algorithm.identifier.parameters.isEmpty else { return false }
        return isValidSignature(derRepresentation: signature, for: message)
    }
}
