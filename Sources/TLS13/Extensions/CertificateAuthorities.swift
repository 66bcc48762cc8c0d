import TLSCrypto

/// RFC 8446 §4.2.4, the data of "certificate_authorities": the names of the CAs whose
/// certificates the sender would accept at the top of the peer's chain. A server asking for a
/// client certificate sends it in CertificateRequest, so a client holding several certificates
/// can pick the one this server will trust.
///
///     opaque DistinguishedName<1..2^16-1>;
///
///     struct {
///         DistinguishedName authorities<3..2^16-1>;
///     } CertificateAuthoritiesExtension;
///
/// Each name is the DER of an X.501 Name, exactly as it appears in a certificate's subject.
public struct CertificateAuthorities: ExtensionBody, Hashable {
    public var authorities: [[UInt8]]

    public init(_ authorities: [[UInt8]]) {
        self.authorities = authorities
    }

    public init(decoding r: inout ByteReader) throws {
        authorities = try r.lengthPrefixed(.u16, "authorities", within: 3...0xffff) { r in
            var names: [[UInt8]] = []
            while !r.isAtEnd { names.append(try r.vector(.u16, "DistinguishedName", within: 1...0xffff)) }
            return names
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "authorities", TraceText.count(authorities.count, "name")) { w in
            for der in authorities {
                // A name that is not DER is shown as bytes: this field is advice, never trusted.
                try w.opaque(.u16, der, field: "DistinguishedName", (try? DistinguishedName(der: der)).map { "\"\($0)\"" })
            }
        }
    }
}
