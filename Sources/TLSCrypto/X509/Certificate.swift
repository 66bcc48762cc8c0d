import Foundation

/// An X.509 v3 certificate (RFC 5280 §4.1).
///
///     Certificate  ::=  SEQUENCE  {
///         tbsCertificate       TBSCertificate,
///         signatureAlgorithm   AlgorithmIdentifier,
///         signatureValue       BIT STRING  }
///
///     TBSCertificate  ::=  SEQUENCE  {
///         version         [0]  EXPLICIT Version DEFAULT v1,
///         serialNumber         CertificateSerialNumber,
///         signature            AlgorithmIdentifier,
///         issuer               Name,
///         validity             Validity,
///         subject              Name,
///         subjectPublicKeyInfo SubjectPublicKeyInfo,
///         issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
///         subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
///         extensions      [3]  EXPLICIT Extensions OPTIONAL }
///
///     Version  ::=  INTEGER  {  v1(0), v2(1), v3(2)  }
///     CertificateSerialNumber  ::=  INTEGER
///
/// Parsing checks structure, not trust: whether the certificate is valid now, names the
/// server, and chains to an anchor is the TLS client's decision.
public struct Certificate: Sendable, Equatable, CustomStringConvertible {
    /// The whole certificate as received.
    public let der: [UInt8]
    /// The exact bytes of TBSCertificate, tag and length included: what the issuer signed.
    public let tbsBytes: [UInt8]
    /// 1, 2 or 3.
    public let version: Int
    /// The serial number's INTEGER contents (big-endian two's complement, as encoded).
    public let serialNumber: [UInt8]
    public let signatureAlgorithm: SignatureAlgorithm
    public let issuer: DistinguishedName
    public let subject: DistinguishedName
    public let notBefore: Date
    public let notAfter: Date
    public let subjectPublicKeyInfo: SubjectPublicKeyInfo
    /// Every extension in encoded order, decoded or not.
    public let extensions: [CertificateExtension]
    public let subjectAltNames: [SubjectAlternativeName]
    /// nil when the extension is absent.
    public let basicConstraints: BasicConstraints?
    /// nil when the extension is absent.
    public let keyUsage: KeyUsage?
    /// RFC 5280 §4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (OIDs,
    /// e.g. `.serverAuth`); nil when the extension is absent.
    public let extendedKeyUsage: [OID]?
    /// The signatureValue bits.
    public let signature: [UInt8]

    /// The subject's key, when it is RSA. `subjectPublicKeyInfo.publicKey` has any kind this
    /// module uses (RSA or P-256).
    public var publicKey: RSAPublicKey? { subjectPublicKeyInfo.rsaPublicKey }

    public init(der: [UInt8]) throws {
        self.der = der
        let (tbsElement, tbsFields, algorithm, signature) = try DERReader.parse(der, "Certificate") { reader in
            try reader.sequence("Certificate") { certificate in
                let tbsElement = try certificate.read(.sequence, "TBSCertificate")
                var tbs = DERReader(tbsElement.content, context: "TBSCertificate")
                let tbsFields = try TBSFields(from: &tbs)
                try tbs.finish()
                return (tbsElement, tbsFields, try SignatureAlgorithm(from: &certificate),
                        Array(try certificate.byteAlignedBitString("signatureValue")))
            }
        }
        // RFC 5280 §4.1.1.2: the signatureAlgorithm field MUST equal TBSCertificate.signature.
        guard algorithm == tbsFields.signature else {
            throw CryptoError(.malformedEncoding, "Certificate: signatureAlgorithm differs from TBSCertificate.signature")
        }
        tbsBytes = Array(tbsElement.encoded)
        signatureAlgorithm = algorithm
        self.signature = signature
        version = tbsFields.version
        serialNumber = tbsFields.serialNumber
        issuer = tbsFields.issuer
        subject = tbsFields.subject
        notBefore = tbsFields.notBefore
        notAfter = tbsFields.notAfter
        subjectPublicKeyInfo = tbsFields.subjectPublicKeyInfo
        extensions = tbsFields.extensions

        var names: [SubjectAlternativeName] = []
        var constraints: BasicConstraints? = nil
        var usage: KeyUsage? = nil
        var purposes: [OID]? = nil
        for ext in extensions {
            switch ext.oid {
            case .subjectAltName: names = try SubjectAlternativeName.decodeAll(ext.value)
            case .basicConstraints: constraints = try BasicConstraints(der: ext.value)
            case .keyUsage: usage = try KeyUsage(der: ext.value)
            case .extendedKeyUsage:
                purposes = try DERReader.parse(ext.value, "extKeyUsage") { reader in
                    try reader.sequence("ExtKeyUsageSyntax") { list in try list.readAll { try $0.objectIdentifier("KeyPurposeId") } }
                }
            default: continue
            }
        }
        subjectAltNames = names
        basicConstraints = constraints
        keyUsage = usage
        extendedKeyUsage = purposes
    }

    /// Critical extensions this module does not decode. RFC 5280 §4.2: a certificate with a
    /// critical extension the verifier does not recognise MUST be rejected.
    public var unrecognizedCriticalExtensions: [CertificateExtension] {
        let decoded: Set<OID> = [.subjectAltName, .basicConstraints, .keyUsage, .extendedKeyUsage]
        return extensions.filter { $0.isCritical && !decoded.contains($0.oid) }
    }

    /// From PEM text holding one "CERTIFICATE" block (the first is used).
    public init(pem: String) throws {
        guard let block = try PEM.decode(pem).first(where: { $0.label == "CERTIFICATE" }) else {
            throw CryptoError(.malformedEncoding, "PEM: no CERTIFICATE block")
        }
        try self.init(der: block.der)
    }

    /// Every "CERTIFICATE" block of a PEM bundle, in order.
    public static func all(pem: String) throws -> [Certificate] {
        try PEM.decode(pem).filter { $0.label == "CERTIFICATE" }.map { try Certificate(der: $0.der) }
    }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.der == rhs.der }

    public var description: String {
        "Certificate(subject: \(subject), issuer: \(issuer), serial: \(serialNumber.hexString), \(signatureAlgorithm))"
    }
}

/// The TBSCertificate fields, parsed in order.
private struct TBSFields {
    var version = 1
    var serialNumber: [UInt8]
    var signature: SignatureAlgorithm
    var issuer: DistinguishedName
    var notBefore: Date
    var notAfter: Date
    var subject: DistinguishedName
    var subjectPublicKeyInfo: SubjectPublicKeyInfo
    var extensions: [CertificateExtension] = []

    init(from tbs: inout DERReader) throws {
        if let explicitVersion = try tbs.optionalExplicit(0, "version", { try $0.smallInteger("version") }) {
            // DER omits a DEFAULT value, so an explicit v1 (0) is not DER.
            guard explicitVersion == 1 || explicitVersion == 2 else {
                throw CryptoError(.malformedEncoding, "TBSCertificate: version \(explicitVersion) is not v2 or v3")
            }
            version = explicitVersion + 1
        }
        serialNumber = Array(try tbs.integerBytes("serialNumber"))
        signature = try SignatureAlgorithm(from: &tbs)
        issuer = try DistinguishedName(from: &tbs)
        (notBefore, notAfter) = try tbs.sequence("validity") { validity in
            (try validity.time("notBefore"), try validity.time("notAfter"))
        }
        subject = try DistinguishedName(from: &tbs)
        subjectPublicKeyInfo = try SubjectPublicKeyInfo(from: &tbs)
        for (number, name) in [(UInt8(1), "issuerUniqueID"), (2, "subjectUniqueID")]
        where tbs.nextTag == DERTag.contextSpecific(number, constructed: false).rawValue {
            _ = try tbs.readElement(name)
        }
        if let list = try tbs.optionalExplicit(3, "extensions", { extensions in
            try extensions.sequence("Extensions") { try $0.readAll { try CertificateExtension(from: &$0) } }
        }) {
            guard version == 3 else {
                throw CryptoError(.malformedEncoding, "TBSCertificate: extensions in a v\(version) certificate")
            }
            guard Set(list.map(\.oid)).count == list.count else {
                throw CryptoError(.malformedEncoding, "TBSCertificate: an extension appears twice (RFC 5280 §4.2)")
            }
            extensions = list
        }
    }
}

/// RFC 5280 §4.1
///
///     Extension  ::=  SEQUENCE  {
///         extnID      OBJECT IDENTIFIER,
///         critical    BOOLEAN DEFAULT FALSE,
///         extnValue   OCTET STRING }
///
/// Kept raw; the extensions TLS needs are decoded into the certificate's own fields. Named
/// `CertificateExtension` so it never shadows the TLS `Extension` in code that imports both.
public struct CertificateExtension: Hashable, Sendable {
    public let oid: OID
    public let isCritical: Bool
    /// The DER inside extnValue.
    public let value: [UInt8]

    init(from reader: inout DERReader) throws {
        (oid, isCritical, value) = try reader.sequence("Extension") { ext in
            let oid = try ext.objectIdentifier("extnID")
            // An explicit FALSE is not DER (DEFAULT values are omitted) but common enough in
            // the wild that rejecting it would break real chains; it reads as not critical.
            let critical = ext.nextTag == DERTag.boolean.rawValue ? try ext.boolean("critical") : false
            return (oid, critical, Array(try ext.octetString("extnValue")))
        }
    }
}

/// RFC 5280 §4.2.1.6 (the two kinds of name TLS checks; others are skipped)
///
///     SubjectAltName ::= GeneralNames
///     GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName
///     GeneralName ::= CHOICE {
///         ...
///         dNSName                         [2]     IA5String,
///         ...
///         iPAddress                       [7]     OCTET STRING,
///         ... }
public enum SubjectAlternativeName: Hashable, Sendable, CustomStringConvertible {
    case dns(String)
    /// 4 bytes (IPv4) or 16 bytes (IPv6), network order.
    case ip([UInt8])

    static func decodeAll(_ der: [UInt8]) throws -> [SubjectAlternativeName] {
        try DERReader.parse(der, "subjectAltName") { reader in
            try reader.sequence("GeneralNames") { names in
                let all = try names.readAll { name -> SubjectAlternativeName? in
                    let element = try name.readElement("GeneralName")
                    switch element.tag {
                    case DERTag.contextSpecific(2, constructed: false).rawValue:
                        guard element.content.allSatisfy({ $0 < 0x80 }) else {
                            throw CryptoError(.malformedEncoding, "subjectAltName: dNSName is not IA5 (ASCII)")
                        }
                        return .dns(String(decoding: element.content, as: UTF8.self))
                    case DERTag.contextSpecific(7, constructed: false).rawValue:
                        guard element.content.count == 4 || element.content.count == 16 else {
                            throw CryptoError(.malformedEncoding, "subjectAltName: iPAddress of \(element.content.count) bytes")
                        }
                        return .ip(Array(element.content))
                    default:
                        return nil
                    }
                }
                guard !all.isEmpty else { throw CryptoError(.malformedEncoding, "subjectAltName: empty GeneralNames") }
                return all.compactMap { $0 }
            }
        }
    }

    public var description: String {
        switch self {
        case .dns(let name): return "DNS:\(name)"
        case .ip(let bytes) where bytes.count == 4: return "IP:" + bytes.map(String.init).joined(separator: ".")
        case .ip(let bytes):
            let groups = stride(from: 0, to: bytes.count, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return "IP:" + groups.joined(separator: ":")
        }
    }
}

/// RFC 5280 §4.2.1.9
///
///     BasicConstraints ::= SEQUENCE {
///         cA                      BOOLEAN DEFAULT FALSE,
///         pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
public struct BasicConstraints: Hashable, Sendable {
    public let isCA: Bool
    public let pathLength: Int?

    init(der: [UInt8]) throws {
        (isCA, pathLength) = try DERReader.parse(der, "basicConstraints") { reader in
            try reader.sequence("BasicConstraints") { constraints in
                let isCA = constraints.nextTag == DERTag.boolean.rawValue ? try constraints.boolean("cA") : false
                let pathLength = constraints.isAtEnd ? nil : try constraints.smallInteger("pathLenConstraint")
                return (isCA, pathLength)
            }
        }
    }
}

/// RFC 5280 §4.2.1.3
///
///     KeyUsage ::= BIT STRING {
///         digitalSignature        (0),  nonRepudiation (1),  keyEncipherment (2),
///         dataEncipherment        (3),  keyAgreement   (4),  keyCertSign     (5),
///         cRLSign                 (6),  encipherOnly   (7),  decipherOnly    (8) }
///
/// Bit n of the option set is named bit n (BIT STRING bit 0 is the top bit of the first byte).
public struct KeyUsage: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let digitalSignature = KeyUsage(rawValue: 1 << 0)
    public static let nonRepudiation = KeyUsage(rawValue: 1 << 1)
    public static let keyEncipherment = KeyUsage(rawValue: 1 << 2)
    public static let dataEncipherment = KeyUsage(rawValue: 1 << 3)
    public static let keyAgreement = KeyUsage(rawValue: 1 << 4)
    public static let keyCertSign = KeyUsage(rawValue: 1 << 5)
    public static let cRLSign = KeyUsage(rawValue: 1 << 6)
    public static let encipherOnly = KeyUsage(rawValue: 1 << 7)
    public static let decipherOnly = KeyUsage(rawValue: 1 << 8)

    init(der: [UInt8]) throws {
        let bytes = try DERReader.parse(der, "keyUsage") { try $0.bitString("KeyUsage").bytes }
        guard bytes.count <= 2 else { throw CryptoError(.malformedEncoding, "keyUsage: \(bytes.count) bytes of bits") }
        var value: UInt16 = 0
        for (byteIndex, byte) in bytes.enumerated() {
            for bit in 0..<8 where byte & (0x80 >> bit) != 0 {
                value |= 1 << (byteIndex * 8 + bit)
            }
        }
        rawValue = value
    }
}

extension DERReader {
    /// RFC 5280 §4.1.2.5
    ///
    ///     Time ::= CHOICE {
    ///         utcTime        UTCTime,          -- YYMMDDHHMMSSZ, YY ≥ 50 → 19YY (§4.1.2.5.1)
    ///         generalTime    GeneralizedTime } -- YYYYMMDDHHMMSSZ (§4.1.2.5.2)
    mutating func time(_ what: String) throws -> Date {
        let isUTC = nextTag == DERTag.utcTime.rawValue
        let element = try read(isUTC ? .utcTime : .generalizedTime, what)
        let text = Array(element.content)
        let digitCount = isUTC ? 12 : 14
        guard text.count == digitCount + 1, text.last == UInt8(ascii: "Z"),
              text.dropLast().allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else {
            throw CryptoError(.malformedEncoding, "\(what): \(isUTC ? "UTCTime" : "GeneralizedTime") is not \(isUTC ? "YYMMDDHHMMSSZ" : "YYYYMMDDHHMMSSZ")")
        }
        let digits = text.dropLast().map { Int($0 - UInt8(ascii: "0")) }
        func number(_ at: Int, _ count: Int) -> Int { digits[at..<(at + count)].reduce(0) { $0 * 10 + $1 } }
        var year: Int, rest: Int
        if isUTC {
            year = number(0, 2)
            year += year >= 50 ? 1900 : 2000
            rest = 2
        } else {
            year = number(0, 4)
            rest = 4
        }
        let month = number(rest, 2), day = number(rest + 2, 2)
        let hour = number(rest + 4, 2), minute = number(rest + 6, 2), second = number(rest + 8, 2)
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else {
            throw CryptoError(.malformedEncoding, "\(what): \(String(decoding: text, as: UTF8.self)) is not a valid time")
        }
        let days = Self.daysSince1970(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    private static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
