/// RFC 5280 §4.1
///
///     SubjectPublicKeyInfo  ::=  SEQUENCE  {
///         algorithm            AlgorithmIdentifier,
///         subjectPublicKey     BIT STRING  }
///
/// An RSA key (rsaEncryption or id-RSASSA-PSS) is decoded; any other kind (EC, Ed25519) is
/// kept as algorithm and bytes.
public struct SubjectPublicKeyInfo: Sendable {
    public let algorithm: AlgorithmIdentifier
    public let subjectPublicKey: [UInt8]
    /// Set when `algorithm` is rsaEncryption.
    public let rsaPublicKey: RSAPublicKey?

    init(from reader: inout DERReader) throws {
        (algorithm, subjectPublicKey) = try reader.sequence("SubjectPublicKeyInfo") { info in
            (try AlgorithmIdentifier(from: &info), Array(try info.byteAlignedBitString("subjectPublicKey")))
        }
        switch algorithm.oid {
        case .rsaEncryption:
            guard algorithm.parameters == [0x05, 0x00] else {
                throw CryptoError(.malformedEncoding, "rsaEncryption parameters must be NULL (RFC 3279 §2.3.1)")
            }
            rsaPublicKey = try RSAPublicKey(pkcs1DER: subjectPublicKey)
        case .rsassaPSS:
            // RFC 4055 §1.2: a key restricted to PSS; its optional parameters only narrow the
            // hashes it may be used with, and the key itself is an ordinary RSAPublicKey.
            rsaPublicKey = try RSAPublicKey(pkcs1DER: subjectPublicKey)
        default:
            rsaPublicKey = nil
        }
    }
}
