import TLSCrypto

/// What a server that sent a HelloRetryRequest must remember to judge the second ClientHello
/// and continue the transcript (RFC 8446 §4.1.4, §4.4.1). A stateful server keeps it in
/// memory; a stateless one (§4.2.2) hands it to the client inside the cookie and takes it back,
/// authenticated, from the second ClientHello.
struct HelloRetry: Equatable {
    /// The suite the HelloRetryRequest named; the ServerHello must name it again (§4.1.4).
    var cipherSuite: CipherSuite
    /// The group the HelloRetryRequest's key_share asked for, nil when it asked for none.
    var selectedGroup: NamedGroup?
    /// Hash(ClientHello1) under the suite's hash: what message_hash carries (§4.4.1).
    var clientHello1Hash: [UInt8]
    /// SHA-256 of ClientHello1 without the parts §4.1.2 lets the second ClientHello change:
    /// the second one must give the same digest.
    var clientHello1Digest: [UInt8]

    /// RFC 8446 §4.1.2: "the client MUST send the same ClientHello without modification, except
    /// as follows:" a new key_share (when the HelloRetryRequest asked for a group), early_data
    /// removed, a cookie added, pre_shared_key updated, padding added, removed or resized.
    /// The digest covers every field and extension but those.
    static func digest(of hello: ClientHello, keyShareMayChange: Bool) throws -> [UInt8] {
        var mayChange: Set<ExtensionType> = [.earlyData, .cookie, .preSharedKey, .padding]
        if keyShareMayChange { mayChange.insert(.keyShare) }
        var kept = hello
        kept.extensions.removeAll { mayChange.contains($0.type) }
        var writer = ByteWriter()
        try kept.encode(into: &writer)
        return SHA256.hash(writer.bytes)
    }

    /// The HelloRetryRequest this retry sent, byte for byte the same whether built to be sent
    /// or rebuilt from a cookie: the transcript needs its exact bytes.
    func helloRetryRequest(legacySessionIDEcho: [UInt8], cookie: [UInt8]?) throws -> HelloRetryRequest {
        // In the order of RFC 8448 §5's HelloRetryRequest: key_share, cookie, supported_versions.
        var extensions: [Extension] = []
        if let selectedGroup {
            extensions.append(try Extension(.keyShare, KeyShareHelloRetryRequest(selectedGroup: selectedGroup)))
        }
        if let cookie {
            extensions.append(try Extension(.cookie, Cookie(cookie)))
        }
        extensions.append(try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)))
        return HelloRetryRequest(legacySessionIDEcho: legacySessionIDEcho, cipherSuite: cipherSuite, extensions: extensions)
    }
}

// MARK: The stateless cookie

extension HelloRetry {

    /// The cookie of a stateless server (RFC 8446 §4.2.2: "the server MAY provide a "cookie"
    /// extension ... This allows the server to offload state to the client"). Its content is
    /// ours to define; it must be integrity-protected, so that the client cannot make the server
    /// resume a handshake it never started:
    ///
    ///     struct {
    ///         uint8 format = 1;
    ///         CipherSuite cipher_suite;
    ///         NamedGroup selected_group;             /* 0: no key_share was asked for */
    ///         opaque client_hello1_hash<32..48>;     /* Hash(ClientHello1), for message_hash */
    ///         opaque client_hello1_digest[32];       /* HelloRetry.digest */
    ///         opaque mac[32];                        /* HMAC-SHA256(key, everything above) */
    ///     } RetryCookie;
    ///
    /// Nothing ties a cookie to one TCP connection or to a time: a client may present a cookie
    /// from an earlier connection, which only spares it one round trip.
    func cookie(key: [UInt8]) throws -> [UInt8] {
        var writer = ByteWriter()
        writer.u8(Self.cookieFormat)
        writer.u16(cipherSuite.rawValue)
        writer.u16(selectedGroup?.rawValue ?? 0)
        try writer.lengthPrefixed(.u8) { $0.bytes(clientHello1Hash) }
        writer.bytes(clientHello1Digest)
        return writer.bytes + HMAC<SHA256>.authenticationCode(key: key, message: writer.bytes)
    }

    /// Takes back what `cookie(key:)` stored. A cookie we did not make (wrong MAC, wrong
    /// layout) is an illegal_parameter: the client sent a value the HelloRetryRequest did not.
    init(cookie: [UInt8], key: [UInt8]) throws {
        let macLength = SHA256.digestByteCount
        guard cookie.count > macLength else {
            throw TLSError(.illegalParameter, "the cookie (\(cookie.count) bytes) is not one this server made")
        }
        let content = Array(cookie.dropLast(macLength))
        let expected = HMAC<SHA256>.authenticationCode(key: key, message: content)
        guard constantTimeEquals(expected, Array(cookie.suffix(macLength))) else {
            throw TLSError(.illegalParameter, "the cookie's MAC does not verify: it was not made by this server or was altered")
        }
        do {
            var reader = ByteReader(content)
            guard try reader.u8("cookie format") == Self.cookieFormat else {
                throw TLSError(.internalError, "unknown cookie format")
            }
            cipherSuite = CipherSuite(rawValue: try reader.u16("cookie cipher_suite"))
            let group = try reader.u16("cookie selected_group")
            selectedGroup = group == 0 ? nil : NamedGroup(rawValue: group)
            clientHello1Hash = try reader.vector(.u8, "cookie client_hello1_hash", within: 32...48)
            clientHello1Digest = try reader.bytes(SHA256.digestByteCount, "cookie client_hello1_digest")
            try reader.expectEnd("cookie")
        } catch let error as TLSError {
            // A MAC-valid cookie we cannot read is our own bug, not the peer's.
            throw TLSError(.internalError, "an authentic cookie does not parse: \(error.reason)")
        }
    }

    private static let cookieFormat: UInt8 = 1
}
