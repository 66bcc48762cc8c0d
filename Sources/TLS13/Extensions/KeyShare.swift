/// RFC 8446 §4.2.8
///
///     struct {
///         NamedGroup group;
///         opaque key_exchange<1..2^16-1>;
///     } KeyShareEntry;
///
/// For x25519, key_exchange is the 32-byte public key (§4.2.8.2).
public struct KeyShareEntry: Hashable, Sendable {
    public var group: NamedGroup
    public var keyExchange: [UInt8]

    public init(group: NamedGroup, keyExchange: [UInt8]) {
        self.group = group
        self.keyExchange = keyExchange
    }

    public init(decoding r: inout ByteReader) throws {
        group = NamedGroup(rawValue: try r.u16("key share group"))
        keyExchange = try r.vector(.u16, "key_exchange", within: 1...0xffff)
    }

    /// `field` names the entry's node: "key_share_entry" in a list, "server_share" alone.
    public func encode(into w: inout ByteWriter, field: String = "key_share_entry") throws {
        try w.group(field: field, group.description) { w in
            w.u16(group.rawValue, field: "group", group.description)
            try w.opaque(.u16, keyExchange, field: "key_exchange")
        }
    }
}

/// RFC 8446 §4.2.8, in the ClientHello:
///
///     struct {
///         KeyShareEntry client_shares<0..2^16-1>;
///     } KeyShareClientHello;
///
/// "Clients MUST NOT offer multiple KeyShareEntry values for the same group": a repeated group
/// is rejected with illegal_parameter when decoding.
public struct KeyShareClientHello: ExtensionBody, Hashable {
    public var clientShares: [KeyShareEntry]

    public init(clientShares: [KeyShareEntry]) { self.clientShares = clientShares }

    public init(decoding r: inout ByteReader) throws {
        clientShares = try r.lengthPrefixed(.u16, "client_shares") { r in
            var shares: [KeyShareEntry] = []
            while !r.isAtEnd { shares.append(try KeyShareEntry(decoding: &r)) }
            return shares
        }
        var groups: Set<NamedGroup> = []
        for share in clientShares where !groups.insert(share.group).inserted {
            throw TLSError(.illegalParameter, "key_share offers \(share.group) more than once")
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "client_shares", TraceText.count(clientShares.count, "share")) { w in
            for share in clientShares { try share.encode(into: &w) }
        }
    }
}

/// RFC 8446 §4.2.8, in the ServerHello:
///
///     struct {
///         KeyShareEntry server_share;
///     } KeyShareServerHello;
public struct KeyShareServerHello: ExtensionBody, Hashable {
    public var serverShare: KeyShareEntry

    public init(serverShare: KeyShareEntry) { self.serverShare = serverShare }

    public init(decoding r: inout ByteReader) throws {
        serverShare = try KeyShareEntry(decoding: &r)
    }

    public func encode(into w: inout ByteWriter) throws { try serverShare.encode(into: &w, field: "server_share") }
}

/// RFC 8446 §4.2.8, in the HelloRetryRequest: the group the server wants a share for.
///
///     struct {
///         NamedGroup selected_group;
///     } KeyShareHelloRetryRequest;
public struct KeyShareHelloRetryRequest: ExtensionBody, Hashable {
    public var selectedGroup: NamedGroup

    public init(selectedGroup: NamedGroup) { self.selectedGroup = selectedGroup }

    public init(decoding r: inout ByteReader) throws {
        selectedGroup = NamedGroup(rawValue: try r.u16("selected_group"))
    }

    public func encode(into w: inout ByteWriter) {
        w.u16(selectedGroup.rawValue, field: "selected_group", selectedGroup.description)
    }
}
