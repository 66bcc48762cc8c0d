/// RFC 8446 §4.4.2: the sender's certificate chain, end-entity certificate first.
///
///     enum {
///         X509(0),
///         RawPublicKey(2),
///         (255)
///     } CertificateType;
///
///     struct {
///         select (certificate_type) {
///             case RawPublicKey:
///               /* From RFC 7250 ASN.1_subjectPublicKeyInfo */
///               opaque ASN1_subjectPublicKeyInfo<1..2^24-1>;
///
///             case X509:
///               opaque cert_data<1..2^24-1>;
///         };
///         Extension extensions<0..2^16-1>;
///     } CertificateEntry;
///
///     struct {
///         opaque certificate_request_context<0..2^8-1>;
///         CertificateEntry certificate_list<0..2^24-1>;
///     } Certificate;
///
/// Only X509 is supported (RawPublicKey needs a negotiation this library never offers), so
/// `certData` is a DER certificate.
public struct CertificateMessage: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        /// One DER-encoded X.509 certificate.
        public var certData: [UInt8]
        /// Per-certificate extensions (status_request and signed_certificate_timestamp answers).
        public var extensions: [Extension]

        public init(certData: [UInt8], extensions: [Extension] = []) {
            self.certData = certData
            self.extensions = extensions
        }
    }

    /// Empty in a server's Certificate; echoes the CertificateRequest's in a client's.
    public var certificateRequestContext: [UInt8]
    public var certificateList: [Entry]

    public init(certificateRequestContext: [UInt8] = [], certificateList: [Entry]) {
        self.certificateRequestContext = certificateRequestContext
        self.certificateList = certificateList
    }

    public init(decoding r: inout ByteReader) throws {
        certificateRequestContext = try r.vector(.u8, "certificate_request_context")
        certificateList = try r.lengthPrefixed(.u24, "certificate_list") { r in
            var entries: [Entry] = []
            while !r.isAtEnd {
                let certData = try r.vector(.u24, "cert_data", within: 1...0xffffff)
                let extensions = try Extension.decodeList(&r, in: .certificate, within: 0...0xffff)
                entries.append(Entry(certData: certData, extensions: extensions))
            }
            return entries
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.lengthPrefixed(.u8) { $0.bytes(certificateRequestContext) }
        try w.lengthPrefixed(.u24) { w in
            for entry in certificateList {
                try w.lengthPrefixed(.u24) { $0.bytes(entry.certData) }
                try Extension.encodeList(entry.extensions, into: &w)
            }
        }
    }

    public var traceFields: [TraceField] {
        [
            .opaque("certificate_request_context", certificateRequestContext, prefix: .u8),
            .vector("certificate_list", TraceText.count(certificateList.count, "certificate"), prefix: .u24,
                    children: certificateList.enumerated().map { index, entry in
                TraceField("certificate_entry", index == 0 ? "end-entity certificate" : "certificate \(index)", children: [
                    .opaque("cert_data", entry.certData, prefix: .u24, value: "DER X.509 certificate, \(entry.certData.count) bytes"),
                    Extension.traceList(entry.extensions, in: .certificate),
                ])
            }),
        ]
    }
}
