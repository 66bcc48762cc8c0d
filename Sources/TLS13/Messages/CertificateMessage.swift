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
        try w.opaque(.u8, certificateRequestContext, field: "certificate_request_context")
        try w.vector(.u24, field: "certificate_list", TraceText.count(certificateList.count, "certificate")) { w in
            for (index, entry) in certificateList.enumerated() {
                try w.group(field: "certificate_entry", index == 0 ? "end-entity certificate" : "certificate \(index)") { w in
                    try w.opaque(.u24, entry.certData, field: "cert_data", "DER X.509 certificate, \(entry.certData.count) bytes")
                    try Extension.encodeList(entry.extensions, in: .certificate, into: &w)
                }
            }
        }
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
