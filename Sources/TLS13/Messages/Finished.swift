import TLSCrypto

/// RFC 8446 §4.4.4: an HMAC over the transcript, proving the sender holds the handshake keys.
///
///     struct {
///         opaque verify_data[Hash.length];
///     } Finished;
///
/// verify_data has no length prefix: its length is the negotiated hash's output length
/// (32 for SHA-256, 48 for SHA-384), so decoding has to be told it.
public struct Finished: Hashable, Sendable {
    public var verifyData: [UInt8]

    public init(verifyData: [UInt8]) { self.verifyData = verifyData }

    /// Reads exactly `hashLength` bytes; a body of any other length is a decode_error.
    public init(decoding r: inout ByteReader, hashLength: Int) throws {
        guard r.remaining == hashLength else {
            throw TLSError(.decodeError, "Finished verify_data is \(r.remaining) bytes, expected Hash.length = \(hashLength)")
        }
        verifyData = try r.bytes(hashLength, "verify_data")
    }

    public func encode(into w: inout ByteWriter) { w.bytes(verifyData, field: "verify_data", verifyData.hexString) }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { encode(into: &$0) } }
}
