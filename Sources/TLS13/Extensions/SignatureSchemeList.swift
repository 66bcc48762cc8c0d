/// RFC 8446 §4.2.3, the data of both "signature_algorithms" and "signature_algorithms_cert":
///
///     struct {
///         SignatureScheme supported_signature_algorithms<2..2^16-2>;
///     } SignatureSchemeList;
public struct SignatureSchemeList: ExtensionBody, Hashable {
    /// In descending order of preference.
    public var supportedSignatureAlgorithms: [SignatureScheme]

    public init(_ supportedSignatureAlgorithms: [SignatureScheme]) {
        self.supportedSignatureAlgorithms = supportedSignatureAlgorithms
    }

    public init(decoding r: inout ByteReader) throws {
        supportedSignatureAlgorithms = try r.lengthPrefixed(.u16, "supported_signature_algorithms", within: 2...0xfffe) { r in
            guard r.remaining % 2 == 0 else {
                throw TLSError(.decodeError, "supported_signature_algorithms has an odd length")
            }
            var schemes: [SignatureScheme] = []
            while !r.isAtEnd { schemes.append(SignatureScheme(rawValue: try r.u16("signature scheme"))) }
            return schemes
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "supported_signature_algorithms",
                     TraceText.count(supportedSignatureAlgorithms.count, "scheme")) { w in
            for scheme in supportedSignatureAlgorithms { w.u16(scheme.rawValue, field: "signature_scheme", scheme.description) }
        }
    }
}
