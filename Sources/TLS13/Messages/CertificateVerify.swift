/// RFC 8446 §4.4.3: the signature, with the certificate's key, over the transcript hash so far
/// (prefixed with 64 spaces and a context string; see the handshake for the signed content).
///
///     struct {
///         SignatureScheme algorithm;
///         opaque signature<0..2^16-1>;
///     } CertificateVerify;
public struct CertificateVerify: Hashable, Sendable {
    public var algorithm: SignatureScheme
    public var signature: [UInt8]

    public init(algorithm: SignatureScheme, signature: [UInt8]) {
        self.algorithm = algorithm
        self.signature = signature
    }

    public init(decoding r: inout ByteReader) throws {
        algorithm = SignatureScheme(rawValue: try r.u16("CertificateVerify algorithm"))
        signature = try r.vector(.u16, "signature")
    }

    public func encode(into w: inout ByteWriter) throws {
        w.u16(algorithm.rawValue, field: "algorithm", algorithm.description)
        try w.opaque(.u16, signature, field: "signature")
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
