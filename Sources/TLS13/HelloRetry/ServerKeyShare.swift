import TLSCrypto

/// The server's choice of key exchange group and share (RFC 8446 §4.2.7, §4.2.8), which may
/// instead ask for another ClientHello (§4.1.4).
extension TLSConnection {
    /// What the server makes of the client's key shares.
    enum KeyShareChoice {
        /// The group and the client's share for it.
        case share(group: NamedGroup, share: KeyShareEntry)
        /// Ask again with a HelloRetryRequest: for a share of `selectedGroup`, or (nil, from a
        /// stateless server) for the cookie alone.
        case helloRetryRequest(selectedGroup: NamedGroup?)
    }

    /// RFC 8446 §4.2.7, §4.2.8: the group and the client's share for it, or a HelloRetryRequest
    /// to ask for another share (the handshake resumes with the next ClientHello).
    func chooseKeyShare(_ hello: ClientHello, retry: HelloRetry?) throws -> KeyShareChoice {
        // §9.2: supported_groups and key_share come together ("If containing a "supported_groups"
        // extension, it MUST also contain a "key_share" extension, and vice versa"), and without
        // a PSK they are required (missing_extension).
        let groups = try hello.extensions.decode(.supportedGroups, as: NamedGroupList.self)
        let shares = try hello.extensions.decode(.keyShare, as: KeyShareClientHello.self)
        guard let groups, let shares else {
            throw TLSError(.missingExtension, "the ClientHello lacks \(groups == nil ? "supported_groups" : "key_share"), required for (EC)DHE")
        }
        // §4.2.8: "Each KeyShareEntry value MUST correspond to a group offered in the
        // "supported_groups" extension" (illegal_parameter).
        for share in shares.clientShares where !groups.namedGroupList.contains(share.group) {
            throw TLSError(.illegalParameter, "key_share has a share for \(share.group), which supported_groups does not list")
        }
        // §4.2.7: the server picks the group, here by its own order of preference among the
        // client's supported_groups; with none in common, handshake_failure (§4.1.1).
        guard let group = configuration.groups.first(where: { groups.namedGroupList.contains($0) && KeyExchangeGroups.named($0) != nil }) else {
            events(.check("client supports a key exchange group we support", passed: false, rule: "RFC 8446 §4.2.7: the server picks the group, here by its own order of preference among the client's supported_groups; with none in common, handshake_failure (§4.1.1)."))
            throw TLSError(.handshakeFailure, "no key exchange group in common (client offers \(groups.namedGroupList.map(\.description).joined(separator: ", ")))")
        }
        guard let share = shares.clientShares.first(where: { $0.group == group }) else {
            // §4.1.4: after our HelloRetryRequest the client MUST send the share asked for.
            guard retry == nil else {
                throw TLSError(.illegalParameter, "the second ClientHello still has no \(group) key share")
            }
            return .helloRetryRequest(selectedGroup: group)
        }
        events(.check("client sent \(group.withIndefiniteArticle) key share", passed: true, rule: "RFC 8446 §4.1.4: after our HelloRetryRequest the client MUST send the share asked for."))
        // §4.2.2: a stateless server retries every first ClientHello, asking for nothing but the
        // cookie (the share it has is fine: §4.2.8 forbids asking for a group already shared).
        if retry == nil, configuration.statelessRetryKey != nil {
            return .helloRetryRequest(selectedGroup: nil)
        }
        return .share(group: group, share: share)
    }
}
