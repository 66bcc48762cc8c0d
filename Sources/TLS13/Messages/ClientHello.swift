import TLSCrypto

/// RFC 8446 §4.1.2
///
///     uint16 ProtocolVersion;
///     opaque Random[32];
///
///     uint8 CipherSuite[2];    /* Cryptographic suite selector */
///
///     struct {
///         ProtocolVersion legacy_version = 0x0303;    /* TLS v1.2 */
///         Random random;
///         opaque legacy_session_id<0..32>;
///         CipherSuite cipher_suites<2..2^16-2>;
///         opaque legacy_compression_methods<1..2^8-1>;
///         Extension extensions<8..2^16-1>;
///     } ClientHello;
///
/// Decoding keeps what the peer sent (legacy fields included) and checks only the encoding;
/// what the values must be is the handshake's business (`requireTLS13LegacyFields`).
public struct ClientHello: Hashable, Sendable {
    public var legacyVersion: ProtocolVersion
    public var random: [UInt8]
    public var legacySessionID: [UInt8]
    public var cipherSuites: [CipherSuite]
    public var legacyCompressionMethods: [UInt8]
    public var extensions: [Extension]

    /// The longest body the struct above allows: legacy_version, random, legacy_session_id
    /// <0..32>, cipher_suites <2..2^16-2>, legacy_compression_methods <1..2^8-1> and extensions
    /// <8..2^16-1>, each at its maximum with its length prefix: 131,396 bytes. The record layer
    /// accepts every ClientHello up to this (issue 11: a legal 65.6 KB hello of 32,715
    /// signature schemes was refused), and nothing longer.
    public static let maximumBodyLength = 2 + 32 + (1 + 32) + (2 + 0xfffe) + (1 + 0xff) + (2 + 0xffff)

    public init(legacyVersion: ProtocolVersion = .tls12, random: [UInt8], legacySessionID: [UInt8],
                cipherSuites: [CipherSuite], legacyCompressionMethods: [UInt8] = [0], extensions: [Extension]) {
        precondition(random.count == 32, "Random is 32 bytes")
        self.legacyVersion = legacyVersion
        self.random = random
        self.legacySessionID = legacySessionID
        self.cipherSuites = cipherSuites
        self.legacyCompressionMethods = legacyCompressionMethods
        self.extensions = extensions
    }

    /// Decodes the body of a ClientHello (after the 4-byte handshake header).
    public init(decoding r: inout ByteReader) throws {
        legacyVersion = ProtocolVersion(rawValue: try r.u16("ClientHello legacy_version"))
        random = try r.bytes(32, "ClientHello random")
        legacySessionID = try r.vector(.u8, "legacy_session_id", within: 0...32)
        cipherSuites = try r.lengthPrefixed(.u16, "cipher_suites", within: 2...0xfffe) { r in
            guard r.remaining % 2 == 0 else { throw TLSError(.decodeError, "cipher_suites has an odd length") }
            var suites: [CipherSuite] = []
            while !r.isAtEnd { suites.append(CipherSuite(rawValue: try r.u16("cipher suite"))) }
            return suites
        }
        legacyCompressionMethods = try r.vector(.u8, "legacy_compression_methods", within: 1...255)
        // §4.1.2: a ClientHello of TLS 1.2 or older may end here. It decodes with no extensions
        // (so no supported_versions: the server answers protocol_version), and encodes and
        // traces without an extensions block, exactly as it came.
        extensions = r.isAtEnd ? [] : try Extension.decodeList(&r, in: .clientHello, within: 8...0xffff)
    }

    public func encode(into w: inout ByteWriter) throws {
        w.u16(legacyVersion.rawValue, field: "legacy_version", legacyVersion.description)
        w.bytes(random, field: "random", random.hexString)
        try w.opaque(.u8, legacySessionID, field: "legacy_session_id")
        try w.vector(.u16, field: "cipher_suites", TraceText.count(cipherSuites.count, "suite")) { w in
            for suite in cipherSuites { w.u16(suite.rawValue, field: "cipher_suite", suite.description) }
        }
        try w.vector(.u8, field: "legacy_compression_methods", TraceText.count(legacyCompressionMethods.count, "method")) { w in
            for method in legacyCompressionMethods {
                w.u8(method, field: "compression_method", method == 0 ? "null (0)" : "unknown (\(method))")
            }
        }
        if !extensions.isEmpty {
            try Extension.encodeList(extensions, in: .clientHello, into: &w)
        }
    }

    /// RFC 8446 §4.1.2: "For every TLS 1.3 ClientHello, this vector [legacy_compression_methods]
    /// MUST contain exactly one byte, set to zero ... If a TLS 1.3 ClientHello is received with
    /// any other value in this field, the server MUST abort the handshake with an
    /// "illegal_parameter" alert." (A server calls this once supported_versions says 1.3.)
    public func requireTLS13LegacyFields() throws {
        // RFC 8446 Appendix D.5: "Any endpoint receiving a Hello message with
        // ClientHello.legacy_version or ServerHello.legacy_version set to 0x0300 MUST abort the
        // handshake with a "protocol_version" alert." A value below 0x0300 (SSL 2 and older,
        // or no version at all) is older still, and refused the same way.
        guard legacyVersion.rawValue > 0x0300 else {
            throw TLSError(.protocolVersion, "legacy_version is \(legacyVersion), 0x0300 or lower (RFC 8446 Appendix D.5)")
        }
        guard legacyCompressionMethods == [0] else {
            throw TLSError(.illegalParameter, "legacy_compression_methods is \(legacyCompressionMethods.hexString), not exactly null (00)")
        }
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
