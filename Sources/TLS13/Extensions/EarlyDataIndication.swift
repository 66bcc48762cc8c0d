/// RFC 8446 §4.2.10, the "early_data" extension in a NewSessionTicket: how much 0-RTT data the
/// server will accept with this ticket. (In ClientHello and EncryptedExtensions the extension
/// is empty: `EmptyExtensionData`.)
///
///     struct {
///         select (Handshake.msg_type) {
///             case new_session_ticket:   uint32 max_early_data_size;
///             case client_hello:         Empty;
///             case encrypted_extensions: Empty;
///         };
///     } EarlyDataIndication;
public struct EarlyDataIndication: ExtensionBody, Hashable {
    public var maxEarlyDataSize: UInt32

    public init(maxEarlyDataSize: UInt32) { self.maxEarlyDataSize = maxEarlyDataSize }

    public init(decoding r: inout ByteReader) throws {
        maxEarlyDataSize = try r.u32("max_early_data_size")
    }

    public func encode(into w: inout ByteWriter) {
        w.u32(maxEarlyDataSize, field: "max_early_data_size", "\(maxEarlyDataSize) bytes")
    }
}
