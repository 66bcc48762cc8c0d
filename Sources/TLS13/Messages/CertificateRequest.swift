/// RFC 8446 §4.3.2: the server asks the client to authenticate with a certificate.
///
///     struct {
///         opaque certificate_request_context<0..2^8-1>;
///         Extension extensions<2..2^16-1>;
///     } CertificateRequest;
///
/// "signature_algorithms" MUST be among the extensions (the handshake checks that).
public struct CertificateRequest: Hashable, Sendable {
    public var certificateRequestContext: [UInt8]
    public var extensions: [Extension]

    public init(certificateRequestContext: [UInt8], extensions: [Extension]) {
        self.certificateRequestContext = certificateRequestContext
        self.extensions = extensions
    }

    public init(decoding r: inout ByteReader) throws {
        certificateRequestContext = try r.vector(.u8, "certificate_request_context")
        extensions = try Extension.decodeList(&r, in: .certificateRequest, within: 2...0xffff)
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.opaque(.u8, certificateRequestContext, field: "certificate_request_context")
        try Extension.encodeList(extensions, in: .certificateRequest, into: &w)
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
