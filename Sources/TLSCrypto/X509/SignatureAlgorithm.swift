/// The algorithm a certificate is signed with (RFC 5280 §4.1.1.2): the AlgorithmIdentifier,
/// with RSASSA-PSS parameters decoded when present.
public struct SignatureAlgorithm: Hashable, Sendable, CustomStringConvertible {
    public let identifier: AlgorithmIdentifier
    /// Present exactly when the algorithm is RSASSA-PSS.
    public let pssParameters: PSSParameters?

    public var oid: OID { identifier.oid }

    /// "sha256WithRSAEncryption", "RSASSA-PSS", or the dotted OID.
    public var name: String { oid.name ?? oid.dotted }

    public var description: String {
        guard let pss = pssParameters else { return name }
        return "\(name) (hash \(pss.hash.name ?? pss.hash.dotted), MGF1 with \(pss.mgfHash.name ?? pss.mgfHash.dotted), salt \(pss.saltLength))"
    }

    init(from reader: inout DERReader) throws {
        identifier = try AlgorithmIdentifier(from: &reader)
        if identifier.oid == .rsassaPSS {
            pssParameters = try DERReader.parse(identifier.parameters, "RSASSA-PSS-params") { try PSSParameters(from: &$0) }
        } else {
            pssParameters = nil
        }
    }
}

/// RFC 4055 §3.1
///
///     RSASSA-PSS-params  ::=  SEQUENCE  {
///         hashAlgorithm      [0] HashAlgorithm DEFAULT sha1Identifier,
///         maskGenAlgorithm   [1] MaskGenAlgorithm DEFAULT mgf1SHA1Identifier,
///         saltLength         [2] INTEGER DEFAULT 20,
///         trailerField       [3] INTEGER DEFAULT 1  }
public struct PSSParameters: Hashable, Sendable {
    public let hash: OID
    /// The hash inside MGF1 (the only mask generation function defined).
    public let mgfHash: OID
    public let saltLength: Int

    init(from reader: inout DERReader) throws {
        (hash, mgfHash, saltLength) = try reader.sequence("RSASSA-PSS-params") { params in
            let hash = try params.optionalExplicit(0, "hashAlgorithm") { try AlgorithmIdentifier(from: &$0).oid } ?? .sha1
            let mgfHash = try params.optionalExplicit(1, "maskGenAlgorithm") { field -> OID in
                let mgf = try AlgorithmIdentifier(from: &field)
                guard mgf.oid == .mgf1 else {
                    throw CryptoError(.unsupported, "RSASSA-PSS mask generation \(mgf.oid) is not MGF1")
                }
                return try DERReader.parse(mgf.parameters, "MGF1 hash") { try AlgorithmIdentifier(from: &$0).oid }
            } ?? .sha1
            let salt = try params.optionalExplicit(2, "saltLength") { try $0.smallInteger("saltLength") } ?? 20
            let trailer = try params.optionalExplicit(3, "trailerField") { try $0.smallInteger("trailerField") } ?? 1
            guard trailer == 1 else {
                throw CryptoError(.malformedEncoding, "RSASSA-PSS trailerField \(trailer) (only 1, 0xbc, is defined)")
            }
            return (hash, mgfHash, salt)
        }
    }
}
