/// The change_cipher_spec record of middlebox compatibility mode (RFC 8446 §5, Appendix D.4):
/// its content is the single byte 0x01 and a TLS 1.3 endpoint drops it unread during the
/// handshake.
///
///     struct {
///         enum { change_cipher_spec(1), (255) } type;
///     } ChangeCipherSpec;
public struct ChangeCipherSpec: Hashable, Sendable {
    public static let bytes: [UInt8] = [0x01]

    public init() {}

    /// §5: "An implementation which receives any other change_cipher_spec value ... MUST abort
    /// the handshake with an "unexpected_message" alert."
    public init(decoding fragment: [UInt8]) throws {
        guard fragment == Self.bytes else {
            throw TLSError(.unexpectedMessage, "change_cipher_spec record is \(fragment.count) byte(s), not the single byte 01")
        }
    }

    public func encode(into w: inout ByteWriter) { w.bytes(Self.bytes, field: "type", "change_cipher_spec (1)") }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { encode(into: &$0) } }
}
