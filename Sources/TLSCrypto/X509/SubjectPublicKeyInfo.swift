/// RFC 5280 §4.1
///
///     SubjectPublicKeyInfo  ::=  SEQUENCE  {
///         algorithm            AlgorithmIdentifier,
///         subjectPublicKey     BIT STRING  }
///
/// An RSA key (rsaEncryption or id-RSASSA-PSS) or a P-256 key (id-ecPublicKey, namedCurve
/// prime256v1) is decoded; any other kind (other curves, Ed25519) is kept as algorithm and bytes.
public struct SubjectPublicKeyInfo: Sendable {
    public let algorithm: AlgorithmIdentifier
    public let subjectPublicKey: [UInt8]
    /// The decoded key; nil for kinds this module does not use.
    public let publicKey: CertificatePublicKey?

    /// Set when the key is RSA.
    public var rsaPublicKey: RSAPublicKey? {
        guard case .rsa(let key) = publicKey else { return nil }
        return key
    }

    /// From the DER of a SubjectPublicKeyInfo alone (a "PUBLIC KEY" PEM block).
    public init(der: [UInt8]) throws {
        self = try DERReader.parse(der, "SubjectPublicKeyInfo") { try SubjectPublicKeyInfo(from: &$0) }
    }

    init(from reader: inout DERReader) throws {
        (algorithm, subjectPublicKey) = try reader.sequence("SubjectPublicKeyInfo") { info in
            (try AlgorithmIdentifier(from: &info), Array(try info.byteAlignedBitString("subjectPublicKey")))
        }
        switch algorithm.oid {
        case .rsaEncryption:
            guard algorithm.parameters == [0x05, 0x00] else {
                throw CryptoError(.malformedEncoding, "rsaEncryption parameters must be NULL (RFC 3279 §2.3.1)")
            }
            publicKey = .rsa(try RSAPublicKey(pkcs1DER: subjectPublicKey))
        case .rsassaPSS:
            // RFC 4055 §1.2: a key restricted to PSS; its optional parameters only narrow the
            // hashes it may be used with, and the key itself is an ordinary RSAPublicKey.
            publicKey = .rsa(try RSAPublicKey(pkcs1DER: subjectPublicKey))
        case .ecPublicKey where algorithm.namesP256:
            // RFC 5480 §2.2: the subjectPublicKey is the SEC 1 ECPoint, validated like a peer's.
            publicKey = .p256(try P256.Signing.PublicKey(x963Representation: subjectPublicKey))
        default:
            publicKey = nil
        }
    }
}
