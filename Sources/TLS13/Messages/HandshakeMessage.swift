/// RFC 8446 §4
///
///     struct {
///         HandshakeType msg_type;    /* handshake type */
///         uint24 length;             /* remaining bytes in message */
///         select (Handshake.msg_type) {
///             case client_hello:          ClientHello;
///             case server_hello:          ServerHello;
///             case end_of_early_data:     EndOfEarlyData;
///             case encrypted_extensions:  EncryptedExtensions;
///             case certificate_request:   CertificateRequest;
///             case certificate:           Certificate;
///             case certificate_verify:    CertificateVerify;
///             case finished:              Finished;
///             case new_session_ticket:    NewSessionTicket;
///             case key_update:            KeyUpdate;
///         };
///     } Handshake;
///
/// One complete handshake message. The record layer reassembles messages that span records
/// (or share one); this type turns exactly one message into a typed value and back.
/// A server_hello whose random is SHA-256("HelloRetryRequest") decodes as `.helloRetryRequest`.
public enum HandshakeMessage: Hashable, Sendable {
    case clientHello(ClientHello)
    case serverHello(ServerHello)
    case helloRetryRequest(HelloRetryRequest)
    /// RFC 8446 §4.5: `struct {} EndOfEarlyData;`
    case endOfEarlyData
    case encryptedExtensions(EncryptedExtensions)
    case certificateRequest(CertificateRequest)
    case certificate(CertificateMessage)
    case certificateVerify(CertificateVerify)
    case finished(Finished)
    case newSessionTicket(NewSessionTicket)
    case keyUpdate(KeyUpdate)
    /// A msg_type this library does not know (or that never travels, like message_hash),
    /// with its body. Receiving one is the handshake's unexpected_message.
    case unknown(HandshakeType, body: [UInt8])

    /// The 4-byte header in front of every handshake message.
    public struct Header: Hashable, Sendable {
        public static let byteCount = 4

        public var type: HandshakeType
        /// The body length, from the uint24 length field.
        public var length: Int

        /// Reads the header at the start of `bytes`, or nil when fewer than 4 bytes have arrived.
        /// Lets the record layer know how many bytes the message needs before decoding it, and
        /// refuse a `length` above its size limit before buffering that much.
        public init?(peeking bytes: some Collection<UInt8>) {
            guard bytes.count >= Self.byteCount else { return nil }
            let b = Array(bytes.prefix(Self.byteCount))
            type = HandshakeType(rawValue: b[0])
            length = Int(b[1]) << 16 | Int(b[2]) << 8 | Int(b[3])
        }
    }

    /// Decodes one complete message, header included (the bytes that enter the transcript).
    /// `finishedLength` is Hash.length of the negotiated cipher suite: a Finished has no length
    /// of its own. The header's length must match the bytes given exactly (decode_error).
    public init(decoding message: [UInt8], finishedLength: Int) throws {
        var r = ByteReader(message)
        let type = HandshakeType(rawValue: try r.u8("handshake msg_type"))
        let body = try r.vector(.u24, "\(type.messageName) body")
        try r.expectEnd("\(type.messageName) message")
        try self.init(type: type, body: body, finishedLength: finishedLength)
    }

    /// Decodes a message body of the given type (the 4-byte header already removed).
    public init(type: HandshakeType, body: [UInt8], finishedLength: Int) throws {
        var r = ByteReader(body)
        switch type {
        case .clientHello: self = .clientHello(try ClientHello(decoding: &r))
        case .serverHello:
            if HelloRetryRequest.isHelloRetryRequest(serverHelloBody: body[...]) {
                self = .helloRetryRequest(try HelloRetryRequest(decoding: &r))
            } else {
                self = .serverHello(try ServerHello(decoding: &r))
            }
        case .endOfEarlyData: self = .endOfEarlyData
        case .encryptedExtensions: self = .encryptedExtensions(try EncryptedExtensions(decoding: &r))
        case .certificateRequest: self = .certificateRequest(try CertificateRequest(decoding: &r))
        case .certificate: self = .certificate(try CertificateMessage(decoding: &r))
        case .certificateVerify: self = .certificateVerify(try CertificateVerify(decoding: &r))
        case .finished: self = .finished(try Finished(decoding: &r, hashLength: finishedLength))
        case .newSessionTicket: self = .newSessionTicket(try NewSessionTicket(decoding: &r))
        case .keyUpdate: self = .keyUpdate(try KeyUpdate(decoding: &r))
        default:
            self = .unknown(type, body: body)
            return
        }
        try r.expectEnd(type.messageName)
    }

    public var type: HandshakeType {
        switch self {
        case .clientHello: .clientHello
        case .serverHello, .helloRetryRequest: .serverHello
        case .endOfEarlyData: .endOfEarlyData
        case .encryptedExtensions: .encryptedExtensions
        case .certificateRequest: .certificateRequest
        case .certificate: .certificate
        case .certificateVerify: .certificateVerify
        case .finished: .finished
        case .newSessionTicket: .newSessionTicket
        case .keyUpdate: .keyUpdate
        case .unknown(let type, _): type
        }
    }

    /// The message's name for people: "HelloRetryRequest" for the special ServerHello.
    public var name: String {
        if case .helloRetryRequest = self { return "HelloRetryRequest" }
        return type.messageName
    }

    /// The exact bytes, 4-byte header included.
    public var encoded: [UInt8] {
        get throws {
            var w = ByteWriter()
            try encode(into: &w)
            return w.bytes
        }
    }

    /// A field tree shows msg_type, length, then the body's fields.
    public func encode(into w: inout ByteWriter) throws {
        w.u8(type.rawValue, field: "msg_type", type.description)
        try w.lengthPrefixed(.u24, field: "length", { TraceText.count($0, "byte") }) { w in
            switch self {
            case .clientHello(let m): try m.encode(into: &w)
            case .serverHello(let m): try m.encode(into: &w)
            case .helloRetryRequest(let m): try m.encode(into: &w)
            case .endOfEarlyData: break
            case .encryptedExtensions(let m): try m.encode(into: &w)
            case .certificateRequest(let m): try m.encode(into: &w)
            case .certificate(let m): try m.encode(into: &w)
            case .certificateVerify(let m): try m.encode(into: &w)
            case .finished(let m): m.encode(into: &w)
            case .newSessionTicket(let m): try m.encode(into: &w)
            case .keyUpdate(let m): m.encode(into: &w)
            case .unknown(_, let body): w.bytes(body, field: "body", TraceText.opaque(body))
            }
        }
    }

    /// The field tree of the whole message, as `encode` records it. Reading every node's bytes
    /// depth-first gives back `encoded` exactly.
    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }

    /// RFC 8446 §4.4.1: after a HelloRetryRequest, the first ClientHello is replaced in the
    /// transcript by this synthetic message_hash message carrying Hash(ClientHello1).
    ///
    ///     Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
    ///         Hash(message_hash ||        /* Handshake type */
    ///              00 00 Hash.length  ||  /* Handshake message length (bytes) */
    ///              Hash(ClientHello1) ||  /* Hash of ClientHello1 */
    ///              HelloRetryRequest  || ... || Mn)
    public static func messageHash(of clientHello1Hash: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.u8(HandshakeType.messageHash.rawValue)
        w.bytes([0, 0, UInt8(clientHello1Hash.count)])
        w.bytes(clientHello1Hash)
        return w.bytes
    }
}
