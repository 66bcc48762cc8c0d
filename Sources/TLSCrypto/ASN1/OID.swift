/// An ASN.1 OBJECT IDENTIFIER, such as 1.2.840.113549.1.1.11 (sha256WithRSAEncryption).
/// Unknown identifiers are kept and printed in dotted form, never rejected.
public struct OID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let components: [UInt64]

    public init(_ components: [UInt64]) { self.components = components }

    /// Dotted form, for constants written in code ("1.2.840.113549.1.1.1").
    public init(stringLiteral dotted: String) {
        components = dotted.split(separator: ".").map { UInt64($0) ?? 0 }
    }

    /// X.690 §8.19: base-128 subidentifiers, high bit = "more follows", the first two arcs
    /// packed as 40·X + Y. DER forbids leading 0x80 padding bytes.
    init?(derContents bytes: ArraySlice<UInt8>) {
        var subidentifiers: [UInt64] = []
        var value: UInt64 = 0
        var startsSubidentifier = true
        for byte in bytes {
            if startsSubidentifier && byte == 0x80 { return nil }
            guard value >> 57 == 0 else { return nil }
            value = value << 7 | UInt64(byte & 0x7f)
            startsSubidentifier = byte & 0x80 == 0
            if startsSubidentifier {
                subidentifiers.append(value)
                value = 0
            }
        }
        guard startsSubidentifier, let first = subidentifiers.first else { return nil }
        let (arc1, arc2): (UInt64, UInt64) = first < 80 ? (first / 40, first % 40) : (2, first - 80)
        components = [arc1, arc2] + subidentifiers.dropFirst()
    }

    public var dotted: String { components.map(String.init).joined(separator: ".") }

    /// The conventional name, when this module knows one.
    public var name: String? { Self.names[self] }

    public var description: String { name.map { "\($0) (\(dotted))" } ?? dotted }

    // Algorithms (RFC 8017 Appendix C, RFC 4055, RFC 5758, NIST CSOR).
    public static let rsaEncryption: OID = "1.2.840.113549.1.1.1"
    public static let sha1WithRSAEncryption: OID = "1.2.840.113549.1.1.5"
    public static let mgf1: OID = "1.2.840.113549.1.1.8"
    public static let rsassaPSS: OID = "1.2.840.113549.1.1.10"
    public static let sha256WithRSAEncryption: OID = "1.2.840.113549.1.1.11"
    public static let sha384WithRSAEncryption: OID = "1.2.840.113549.1.1.12"
    public static let sha512WithRSAEncryption: OID = "1.2.840.113549.1.1.13"
    public static let sha1: OID = "1.3.14.3.2.26"
    public static let sha256: OID = "2.16.840.1.101.3.4.2.1"
    public static let sha384: OID = "2.16.840.1.101.3.4.2.2"
    public static let sha512: OID = "2.16.840.1.101.3.4.2.3"
    public static let ecPublicKey: OID = "1.2.840.10045.2.1"
    public static let ecdsaWithSHA256: OID = "1.2.840.10045.4.3.2"
    /// RFC 5480 §2.1.1.1: NIST P-256, which SEC 2 calls secp256r1.
    public static let prime256v1: OID = "1.2.840.10045.3.1.7"
    public static let ed25519: OID = "1.3.101.112"

    // Attribute types in names (RFC 5280 Appendix A.1).
    public static let commonName: OID = "2.5.4.3"
    public static let countryName: OID = "2.5.4.6"
    public static let localityName: OID = "2.5.4.7"
    public static let stateOrProvinceName: OID = "2.5.4.8"
    public static let organizationName: OID = "2.5.4.10"
    public static let organizationalUnitName: OID = "2.5.4.11"
    public static let emailAddress: OID = "1.2.840.113549.1.9.1"

    // Certificate extensions (RFC 5280 §4.2).
    public static let subjectKeyIdentifier: OID = "2.5.29.14"
    public static let keyUsage: OID = "2.5.29.15"
    public static let subjectAltName: OID = "2.5.29.17"
    public static let basicConstraints: OID = "2.5.29.19"
    public static let authorityKeyIdentifier: OID = "2.5.29.35"
    public static let extendedKeyUsage: OID = "2.5.29.37"
    /// RFC 5280 §4.2.1.12 id-kp-serverAuth and id-kp-clientAuth.
    public static let serverAuth: OID = "1.3.6.1.5.5.7.3.1"
    public static let clientAuth: OID = "1.3.6.1.5.5.7.3.2"

    static let names: [OID: String] = [
        .rsaEncryption: "rsaEncryption", .sha1WithRSAEncryption: "sha1WithRSAEncryption", .mgf1: "mgf1",
        .rsassaPSS: "RSASSA-PSS", .sha256WithRSAEncryption: "sha256WithRSAEncryption",
        .sha384WithRSAEncryption: "sha384WithRSAEncryption", .sha512WithRSAEncryption: "sha512WithRSAEncryption",
        .sha1: "sha1", .sha256: "sha256", .sha384: "sha384", .sha512: "sha512",
        .ecPublicKey: "ecPublicKey", .ecdsaWithSHA256: "ecdsa-with-SHA256", .prime256v1: "prime256v1", .ed25519: "Ed25519",
        .commonName: "CN", .countryName: "C", .localityName: "L", .stateOrProvinceName: "ST",
        .organizationName: "O", .organizationalUnitName: "OU", .emailAddress: "emailAddress",
        .subjectKeyIdentifier: "subjectKeyIdentifier", .keyUsage: "keyUsage", .subjectAltName: "subjectAltName",
        .basicConstraints: "basicConstraints", .authorityKeyIdentifier: "authorityKeyIdentifier",
        .extendedKeyUsage: "extendedKeyUsage", .serverAuth: "serverAuth", .clientAuth: "clientAuth",
    ]
}
