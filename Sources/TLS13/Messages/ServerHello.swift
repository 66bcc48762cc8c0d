import TLSCrypto

/// RFC 8446 §4.1.3
///
///     struct {
///         ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///         Random random;
///         opaque legacy_session_id_echo<0..32>;
///         CipherSuite cipher_suite;
///         uint8 legacy_compression_method = 0;
///         Extension extensions<6..2^16-1>;
///     } ServerHello;
///
/// A HelloRetryRequest has the same structure and is told apart by its `random`, which is
/// `HelloRetryRequest.specialRandom`; see `HelloRetryRequest`.
public struct ServerHello: Hashable, Sendable {
    public var legacyVersion: ProtocolVersion
    public var random: [UInt8]
    public var legacySessionIDEcho: [UInt8]
    public var cipherSuite: CipherSuite
    public var legacyCompressionMethod: UInt8
    public var extensions: [Extension]

    public init(legacyVersion: ProtocolVersion = .tls12, random: [UInt8], legacySessionIDEcho: [UInt8],
                cipherSuite: CipherSuite, legacyCompressionMethod: UInt8 = 0, extensions: [Extension]) {
        precondition(random.count == 32, "Random is 32 bytes")
        self.legacyVersion = legacyVersion
        self.random = random
        self.legacySessionIDEcho = legacySessionIDEcho
        self.cipherSuite = cipherSuite
        self.legacyCompressionMethod = legacyCompressionMethod
        self.extensions = extensions
    }

    /// Decodes the body of a ServerHello (after the 4-byte handshake header).
    public init(decoding r: inout ByteReader) throws {
        try self.init(decoding: &r, as: .serverHello)
    }

    /// The shared layout of ServerHello and HelloRetryRequest; `context` decides how the
    /// extensions are read (key_share differs).
    init(decoding r: inout ByteReader, as context: ExtensionContext) throws {
        legacyVersion = ProtocolVersion(rawValue: try r.u16("\(context.messageName) legacy_version"))
        random = try r.bytes(32, "\(context.messageName) random")
        legacySessionIDEcho = try r.vector(.u8, "legacy_session_id_echo", within: 0...32)
        cipherSuite = CipherSuite(rawValue: try r.u16("cipher_suite"))
        legacyCompressionMethod = try r.u8("legacy_compression_method")
        extensions = try Extension.decodeList(&r, in: context, within: 6...0xffff)
    }

    public func encode(into w: inout ByteWriter) throws { try encode(into: &w, as: .serverHello) }

    /// The shared layout of ServerHello and HelloRetryRequest; `context` decides how a field
    /// tree shows the extensions (key_share differs). The random names the message it makes.
    func encode(into w: inout ByteWriter, as context: ExtensionContext) throws {
        w.u16(legacyVersion.rawValue, field: "legacy_version", legacyVersion.description)
        w.bytes(random, field: "random", random == HelloRetryRequest.specialRandom
                ? "\(random.hexString) (SHA-256(\"HelloRetryRequest\"): this is a HelloRetryRequest)"
                : random.hexString)
        try w.opaque(.u8, legacySessionIDEcho, field: "legacy_session_id_echo")
        w.u16(cipherSuite.rawValue, field: "cipher_suite", cipherSuite.description)
        w.u8(legacyCompressionMethod, field: "legacy_compression_method",
             legacyCompressionMethod == 0 ? "null (0)" : "unknown (\(legacyCompressionMethod))")
        try Extension.encodeList(extensions, in: context, into: &w)
    }

    /// RFC 8446 §4.1.3: "the legacy_version field MUST be set to 0x0303" and
    /// "legacy_compression_method: A single byte which MUST have the value 0."
    /// (illegal_parameter for either, as Go's crypto/tls does).
    public func requireTLS13LegacyFields() throws {
        guard legacyVersion == .tls12 else {
            throw TLSError(.illegalParameter, "\(random == HelloRetryRequest.specialRandom ? "HelloRetryRequest" : "ServerHello") legacy_version is \(legacyVersion), not TLS 1.2 (0x0303)")
        }
        guard legacyCompressionMethod == 0 else {
            throw TLSError(.illegalParameter, "legacy_compression_method is \(legacyCompressionMethod), not null (0)")
        }
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}

/// RFC 8446 §4.1.4: a ServerHello whose `random` is the special value
/// SHA-256("HelloRetryRequest"), sent when the client's ClientHello lacks what the server needs
/// (typically a key share for an acceptable group). Its extensions are read with the
/// HelloRetryRequest forms (key_share carries only `selected_group`; cookie may appear).
///
///     struct {
///         ProtocolVersion legacy_version = 0x0303;
///         Random random = CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91
///                         C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C;
///         opaque legacy_session_id_echo<0..32>;
///         CipherSuite cipher_suite;
///         uint8 legacy_compression_method = 0;
///         Extension extensions<6..2^16-1>;
///     } HelloRetryRequest;  /* ServerHello with the special random */
public struct HelloRetryRequest: Hashable, Sendable {
    /// SHA-256("HelloRetryRequest"), RFC 8446 §4.1.3.
    public static let specialRandom: [UInt8] = [
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
        0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
    ]

    public var legacyVersion: ProtocolVersion
    public var legacySessionIDEcho: [UInt8]
    public var cipherSuite: CipherSuite
    public var legacyCompressionMethod: UInt8
    public var extensions: [Extension]

    public init(legacyVersion: ProtocolVersion = .tls12, legacySessionIDEcho: [UInt8], cipherSuite: CipherSuite,
                legacyCompressionMethod: UInt8 = 0, extensions: [Extension]) {
        self.legacyVersion = legacyVersion
        self.legacySessionIDEcho = legacySessionIDEcho
        self.cipherSuite = cipherSuite
        self.legacyCompressionMethod = legacyCompressionMethod
        self.extensions = extensions
    }

    /// Decodes a server_hello body that carries the special random (decode_error otherwise).
    public init(decoding r: inout ByteReader) throws {
        let hello = try ServerHello(decoding: &r, as: .helloRetryRequest)
        guard hello.random == Self.specialRandom else {
            throw TLSError(.decodeError, "a HelloRetryRequest must carry the special random")
        }
        self.init(legacyVersion: hello.legacyVersion, legacySessionIDEcho: hello.legacySessionIDEcho,
                  cipherSuite: hello.cipherSuite, legacyCompressionMethod: hello.legacyCompressionMethod,
                  extensions: hello.extensions)
    }

    /// Whether a server_hello body (after the handshake header) is a HelloRetryRequest: its
    /// random, bytes 2..<34, is the special value. False when the body is too short to say.
    public static func isHelloRetryRequest(serverHelloBody body: ArraySlice<UInt8>) -> Bool {
        guard body.count >= 34 else { return false }
        let start = body.startIndex + 2
        return body[start..<start + 32].elementsEqual(specialRandom)
    }

    /// The same message as a ServerHello value, as it is on the wire.
    public var asServerHello: ServerHello {
        ServerHello(legacyVersion: legacyVersion, random: Self.specialRandom, legacySessionIDEcho: legacySessionIDEcho,
                    cipherSuite: cipherSuite, legacyCompressionMethod: legacyCompressionMethod, extensions: extensions)
    }

    public func encode(into w: inout ByteWriter) throws { try asServerHello.encode(into: &w, as: .helloRetryRequest) }

    /// RFC 8446 §4.1.3, as for ServerHello (illegal_parameter).
    public func requireTLS13LegacyFields() throws { try asServerHello.requireTLS13LegacyFields() }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
