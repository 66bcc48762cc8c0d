/// RFC 5280 §4.1.1.2
///
///     AlgorithmIdentifier  ::=  SEQUENCE  {
///         algorithm               OBJECT IDENTIFIER,
///         parameters              ANY DEFINED BY algorithm OPTIONAL  }
///
/// The parameters are kept as their DER (absent = empty); RSASSA-PSS's are decoded by
/// `SignatureAlgorithm`.
public struct AlgorithmIdentifier: Hashable, Sendable, CustomStringConvertible {
    public let oid: OID
    public let parameters: [UInt8]

    init(from reader: inout DERReader) throws {
        (oid, parameters) = try reader.sequence("AlgorithmIdentifier") { algorithm in
            let oid = try algorithm.objectIdentifier("algorithm")
            let parameters = algorithm.isAtEnd ? [] : Array(try algorithm.readElement("parameters").encoded)
            return (oid, parameters)
        }
    }

    /// Absent parameters or NULL (RFC 4055 §2.1 allows either for the SHA-2 hashes).
    var hasAbsentOrNullParameters: Bool { parameters.isEmpty || parameters == [0x05, 0x00] }

    public var description: String { oid.description }
}
