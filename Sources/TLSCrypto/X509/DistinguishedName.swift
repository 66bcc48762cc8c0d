/// RFC 5280 §4.1.2.4
///
///     Name ::= CHOICE { -- only one possibility for now --
///         rdnSequence  RDNSequence }
///     RDNSequence ::= SEQUENCE OF RelativeDistinguishedName
///     RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
///     AttributeTypeAndValue ::= SEQUENCE {
///         type     AttributeType,          -- OBJECT IDENTIFIER
///         value    AttributeValue }        -- ANY, usually a DirectoryString
///
/// `description` writes it the way RFC 4514 does, last RDN first: "CN=localhost, O=Example".
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    public struct Attribute: Hashable, Sendable {
        public let type: OID
        /// The value as text when it is a string type; otherwise "#" and the hex of its DER
        /// (RFC 4514 §2.4).
        public let value: String
    }

    /// The relative distinguished names in encoded order (most significant first).
    public let relativeNames: [[Attribute]]
    /// The exact DER, which is what name chaining compares (RFC 5280 §7.1 allows binary comparison).
    public let der: [UInt8]

    init(from reader: inout DERReader) throws {
        let element = try reader.read(.sequence, "Name")
        der = Array(element.encoded)
        var names = DERReader(element.content, context: "Name")
        relativeNames = try names.readAll { rdns in
            try rdns.set("RelativeDistinguishedName") { rdn in
                let attributes = try rdn.readAll { attributes in
                    try attributes.sequence("AttributeTypeAndValue") { pair in
                        let type = try pair.objectIdentifier("type")
                        let value = try pair.readElement("value")
                        return Attribute(type: type, value: Self.text(of: value))
                    }
                }
                guard !attributes.isEmpty else {
                    throw CryptoError(.malformedEncoding, "DER Name: empty RelativeDistinguishedName")
                }
                return attributes
            }
        }
    }

    /// A Name on its own, as TLS carries it in certificate_authorities (RFC 8446 §4.2.4):
    /// exactly one DER SEQUENCE, nothing after it.
    public init(der: [UInt8]) throws {
        self = try DERReader.parse(der, "Name") { try DistinguishedName(from: &$0) }
    }

    /// The value of the first attribute of `type` (e.g. `.commonName`).
    public func first(_ type: OID) -> String? {
        relativeNames.joined().first { $0.type == type }?.value
    }

    public var description: String {
        relativeNames.reversed().map { rdn in
            rdn.map { "\($0.type.name ?? $0.type.dotted)=\($0.value)" }.joined(separator: "+")
        }.joined(separator: ", ")
    }

    private static func text(of element: DERElement) -> String {
        switch DERTag(rawValue: element.tag) {
        case .utf8String, .printableString, .ia5String:
            return String(decoding: element.content, as: UTF8.self)
        case .teletexString:
            // Treated as Latin-1, as most software does.
            return String(element.content.map { Character(Unicode.Scalar($0)) })
        case .bmpString where element.content.count % 2 == 0:
            let units = stride(from: element.content.startIndex, to: element.content.endIndex, by: 2).map {
                UInt16(element.content[$0]) << 8 | UInt16(element.content[$0 + 1])
            }
            return String(decoding: units, as: UTF16.self)
        default:
            return "#" + element.encoded.hexString
        }
    }
}
