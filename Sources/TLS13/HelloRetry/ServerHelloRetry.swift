import TLSCrypto

/// The server's side of a HelloRetryRequest (RFC 8446 §4.1.4, §4.2.2): asking, then judging the
/// second ClientHello and continuing the transcript, from memory or from the cookie.
extension TLSConnection {
    /// RFC 8446 §4.1.4 HelloRetryRequest: asks for a share of `selectedGroup` (the client
    /// supports the group we prefer but sent no share for it), or, from a stateless server, only for the
    /// cookie (§4.2.2).
    func sendHelloRetryRequest(_ hello: ClientHello, bytes: [UInt8], parameters: CipherSuiteParameters,
                               selectedGroup: NamedGroup?) throws -> ServerRetrySent {
        let retry = HelloRetry(cipherSuite: parameters.suite, selectedGroup: selectedGroup,
                               clientHello1Hash: parameters.hash.hash(bytes),
                               clientHello1Digest: try HelloRetry.digest(of: hello, keyShareMayChange: selectedGroup != nil))
        let stateless = configuration.statelessRetryKey != nil
        let cookie = try configuration.statelessRetryKey.map { try retry.cookie(key: $0) } ?? configuration.helloRetryCookie
        let request = try retry.helloRetryRequest(legacySessionIDEcho: hello.legacySessionID, cookie: cookie)
        if hello.extensions.first(.earlyData) != nil {
            // §4.2.10: a HelloRetryRequest declines early data; its records are skipped.
            records.skippableEarlyDataBytes = max(Self.declinedEarlyDataLimit, Int(configuration.maxEarlyDataSize))
            events(.note("the client's 0-RTT early data is declined by this HelloRetryRequest: its records will be skipped"))
        }
        if let selectedGroup {
            events(.note("the ClientHello has no \(selectedGroup) key share: asking for one with a HelloRetryRequest"))
        }
        if stateless, let cookie {
            events(.note("stateless retry: a HelloRetryRequest with a cookie, so the client must send its ClientHello again with the cookie"))
            events(.note("cookie = format 1 | cipher_suite \(retry.cipherSuite) | selected_group \(retry.selectedGroup.map(\.description) ?? "none (0)") | "
                         + "Hash(ClientHello1) \(retry.clientHello1Hash.hexString) | digest of ClientHello1 \(retry.clientHello1Digest.hexString) | "
                         + "HMAC-SHA256 \(cookie.suffix(32).hexString)"))
        }
        legacySessionID = hello.legacySessionID
        // §4.4.1: the transcript continues from message_hash(ClientHello1).
        var transcript = transcriptAfterHelloRetry(algorithm: parameters.hash, clientHello1Hash: retry.clientHello1Hash, fromCookie: false)
        try queue(.helloRetryRequest(request), into: &transcript)
        try flushFlight()
        // §D.4: the server's dummy ChangeCipherSpec follows its first handshake message.
        sendChangeCipherSpecForCompatibility()
        if let key = configuration.statelessRetryKey {
            events(.note("stateless: the server forgets ClientHello1 and the transcript; the cookie holds the suite, Hash(ClientHello1) and a digest of ClientHello1, under an HMAC only this server can make"))
            return .stateless(cookieKey: key)
        }
        return .stateful(retry, transcript: transcript)
    }

    /// RFC 8446 §4.1.2, §4.1.4, §4.2.2: the ClientHello that answers our HelloRetryRequest.
    /// Returns what the retry decided, from memory or from the authenticated cookie.
    func checkSecondClientHello(_ hello: ClientHello, after sent: ServerRetrySent) throws -> HelloRetry {
        let cookie = try hello.extensions.decode(.cookie, as: Cookie.self)
        let retry: HelloRetry
        switch sent {
        case .stateless(let key):
            // §4.1.2: the second ClientHello includes "a "cookie" extension if one was provided
            // in the HelloRetryRequest"; without it the server has nothing to resume from.
            guard let cookie else {
                events(.check("the second ClientHello echoes our cookie", passed: false, rule: Self.cookieEchoRule))
                throw TLSError(.missingExtension, "the second ClientHello does not echo the HelloRetryRequest's cookie")
            }
            do {
                retry = try HelloRetry(cookie: cookie.cookie, key: key)
            } catch {
                events(.check("the cookie is one this server made (its HMAC verifies)", passed: false, rule: Self.cookieEchoRule))
                throw error
            }
            events(.check("the cookie is one this server made (its HMAC verifies): the retry's state comes back from it", passed: true, rule: Self.cookieEchoRule))
        case .stateful(let remembered, _):
            // §4.2.2: a cookie the HelloRetryRequest sent must come back, and no other.
            if let sent = configuration.helloRetryCookie {
                guard let cookie else {
                    throw TLSError(.missingExtension, "the second ClientHello does not echo the HelloRetryRequest's cookie")
                }
                guard cookie.cookie == sent else {
                    throw TLSError(.illegalParameter, "the second ClientHello's cookie is not the one the HelloRetryRequest sent")
                }
            } else if cookie != nil {
                throw TLSError(.illegalParameter, "the second ClientHello carries a cookie the HelloRetryRequest did not send")
            }
            retry = remembered
        }
        // §4.1.2: "the client MUST send the same ClientHello without modification, except as
        // follows"; like Go's crypto/tls, any other change is an illegal_parameter.
        let same = try HelloRetry.digest(of: hello, keyShareMayChange: retry.selectedGroup != nil) == retry.clientHello1Digest
        events(.check("the second ClientHello repeats the first, changed only as RFC 8446 §4.1.2 allows", passed: same, rule: "RFC 8446 §4.1.2: \"the client MUST send the same ClientHello without modification, except as follows\"; like Go's crypto/tls, any other change is an illegal_parameter."))
        guard same else {
            throw TLSError(.illegalParameter, "the second ClientHello differs from the first beyond what RFC 8446 §4.1.2 allows")
        }
        // §4.2.10: "A client MUST NOT include the "early_data" extension in its followup ClientHello."
        guard hello.extensions.first(.earlyData) == nil else {
            throw TLSError(.illegalParameter, "the second ClientHello offers early_data")
        }
        // §4.2.8: the client replaces its key_share with one "containing only a new
        // KeyShareEntry for the group indicated in the selected_group field".
        if let group = retry.selectedGroup {
            let shares = try hello.extensions.decode(.keyShare, as: KeyShareClientHello.self)?.clientShares ?? []
            guard shares.count == 1, shares[0].group == group else {
                throw TLSError(.illegalParameter, "the second ClientHello's key_share is not exactly one \(group) share")
            }
        }
        return retry
    }

    /// RFC 8446 §4.2.2, §4.4.1: a stateless server's transcript, rebuilt from the cookie:
    /// message_hash(ClientHello1), then the HelloRetryRequest exactly as it was sent (its fields
    /// are the cookie's and the second ClientHello's, which repeats session ID and cookie).
    func rebuildTranscript(from retry: HelloRetry, secondClientHello hello: ClientHello,
                                   parameters: CipherSuiteParameters) throws -> TranscriptHash {
        let cookie = try hello.extensions.decode(.cookie, as: Cookie.self)?.cookie
        let request = try HandshakeMessage.helloRetryRequest(retry.helloRetryRequest(legacySessionIDEcho: hello.legacySessionID, cookie: cookie)).encoded
        var rebuilt = transcriptAfterHelloRetry(algorithm: parameters.hash, clientHello1Hash: retry.clientHello1Hash, fromCookie: true)
        rebuilt.append(request)
        events(.note("the HelloRetryRequest rebuilt from the cookie (\(request.count) bytes) follows message_hash in the transcript"))
        return rebuilt
    }

    /// The RFC text behind the cookie checks (TLSEvent.check).
    static let cookieEchoRule = "RFC 8446 §4.1.2: the second ClientHello includes \"a \"cookie\" extension if one was provided in the HelloRetryRequest\"; without it the server has nothing to resume from."
}
