/// RFC 8446 §4.2.1, the ClientHello form:
///
///     struct {
///         select (Handshake.msg_type) {
///             case client_hello:
///                  ProtocolVersion versions<2..254>;
///             ...
///         };
///     } SupportedVersions;
public struct SupportedVersionsClientHello: ExtensionBody, Hashable {
    /// In preference order; a TLS 1.3 client lists 0x0304.
    public var versions: [ProtocolVersion]

    public init(versions: [ProtocolVersion]) { self.versions = versions }

    public init(decoding r: inout ByteReader) throws {
        versions = try r.lengthPrefixed(.u8, "supported_versions versions", within: 2...254) { r in
            guard r.remaining % 2 == 0 else {
                throw TLSError(.decodeError, "supported_versions versions has an odd length")
            }
            var versions: [ProtocolVersion] = []
            while !r.isAtEnd { versions.append(ProtocolVersion(rawValue: try r.u16("version"))) }
            return versions
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u8, field: "versions", TraceText.count(versions.count, "version")) { w in
            for version in versions { w.u16(version.rawValue, field: "version", version.description) }
        }
    }
}

/// RFC 8446 §4.2.1, the ServerHello and HelloRetryRequest form:
///
///     struct {
///         select (Handshake.msg_type) {
///             ...
///             case server_hello: /* and HelloRetryRequest */
///                  ProtocolVersion selected_version;
///         };
///     } SupportedVersions;
public struct SupportedVersionsServerHello: ExtensionBody, Hashable {
    public var selectedVersion: ProtocolVersion

    public init(selectedVersion: ProtocolVersion) { self.selectedVersion = selectedVersion }

    public init(decoding r: inout ByteReader) throws {
        selectedVersion = ProtocolVersion(rawValue: try r.u16("selected_version"))
    }

    public func encode(into w: inout ByteWriter) {
        w.u16(selectedVersion.rawValue, field: "selected_version", selectedVersion.description)
    }
}
