import TLSCrypto

/// The client's handshake (RFC 8446 §2), one method per step; each takes the state it needs
/// (HandshakeState.swift) and returns the next:
///
///     sendClientHello                    → ClientHelloSent
///     readServerHello                    → expectEncryptedExtensions (handshake keys derived and installed)
///       (or readHelloRetryRequest, ClientHelloRetry.swift, then sendClientHello again)
///     readEncryptedExtensions            → expectCertificateOrRequest, or expectServerFinished when resumed
///     readCertificateRequest (optional; ClientAuthentication.swift)
///     readCertificate                    → expectCertificateVerify
///     readCertificateVerify              → expectServerFinished
///     readServerFinished                 → the application secrets
///     sendClientFinished                 → connected
extension TLSConnection {
    /// The configured groups this library implements, in the client's order of preference: all
    /// are offered in supported_groups (RFC 8446 §4.2.7).
    var offeredGroups: [NamedGroup] {
        configuration.groups.filter { KeyExchangeGroups.named($0) != nil }
    }

    /// The groups the first ClientHello sends key shares for (§4.2.8): the configured ones, or
    /// the most preferred group alone.
    var keyShareGroups: [NamedGroup] {
        if let configured = configuration.keyShareGroups { return configured.filter { offeredGroups.contains($0) } }
        guard let first = offeredGroups.first else { return [] }
        // A group may bring a fallback share (the hybrid brings x25519), when that is offered too.
        if let fallback = KeyExchangeGroups.named(first)?.fallbackShareGroup, fallback != first, offeredGroups.contains(fallback) {
            return [first, fallback]
        }
        return [first]
    }

    /// The configured suites this library implements: only those are offered.
    var offeredCipherSuites: [CipherSuite] {
        configuration.cipherSuites.filter { CipherSuiteParameters($0) != nil }
    }

    /// The configured signature schemes this library can verify (rsa_pss_rsae_*, ecdsa_secp256r1_sha256):
    /// only those are offered.
    var offeredSignatureSchemes: [SignatureScheme] {
        configuration.signatureSchemes.filter(CertificateVerifySignature.isImplemented)
    }

    /// What the client carries from a HelloRetryRequest into its second ClientHello (§4.1.4).
    struct Retry {
        var request: HelloRetryRequest
        /// message_hash(ClientHello1) and the HelloRetryRequest (§4.4.1).
        var transcript: TranscriptHash
        var keyShares: [KeyShare]
        /// The ticket the first ClientHello offered: the second offers it again (§4.2.11).
        var offeredSession: ResumptionSession?
    }

    /// RFC 8446 §4.1.2. The second ClientHello (after a HelloRetryRequest) repeats the first with
    /// the cookie added, as §4.1.2 requires.
    func sendClientHello(retrying retry: Retry?) throws -> ClientHelloSent {
        guard !offeredCipherSuites.isEmpty, !offeredSignatureSchemes.isEmpty, !keyShareGroups.isEmpty else {
            throw TLSError(.internalError, "the configuration names no cipher suite, signature scheme or key share group this library implements")
        }
        let random = configuration.random
        let isRetry = retry != nil
        var keyShares = retry?.keyShares ?? []
        if !isRetry {
            clientRandom = try configuration.helloRandom ?? random.bytes(32)
            guard clientRandom.count == 32 else {
                throw TLSError(.internalError, "the configured hello random is \(clientRandom.count) bytes, not 32")
            }
            // RFC 8446 §D.4: a non-empty legacy_session_id puts the connection in middlebox
            // compatibility mode; the server echoes it.
            // RFC 9001 §8.4: "Clients MUST NOT request the use of the TLS 1.3 compatibility mode."
            legacySessionID = try configuration.legacySessionID ?? (configuration.middleboxCompatibility && !isQUIC ? random.bytes(32) : [])
            // The configured private key (RFC 8448 mode) is the first share's.
            keyShares = try keyShareGroups.enumerated().map { index, name in
                try Self.keyExchange(name).makeKeyShare(random: random, fixedPrivateKey: index == 0 ? configuration.keySharePrivateKey : nil)
            }
            for share in keyShares {
                events(.keyPair(group: share.group, privateKey: share.privateKey, publicKey: share.keyExchange))
            }
            if keyShares.count == 2, let group = KeyExchangeGroups.named(keyShares[0].group),
               group.fallbackShareGroup == keyShares[1].group, let reason = group.fallbackShareReason {
                events(.note(reason))
            }
        }
        let offeredShares = keyShares.map { KeyShareEntry(group: $0.group, keyExchange: $0.keyExchange) }
        let retryCookie = try retry?.request.extensions.decode(.cookie, as: Cookie.self)

        var extensions: [Extension] = []
        if isRetry, let fixed = configuration.retryClientHelloExtensions {
            // The caller's list for the second ClientHello, exactly; it must carry our new share
            // and the cookie we were given.
            let shares = try fixed.decode(.keyShare, as: KeyShareClientHello.self)?.clientShares ?? []
            let cookie = try fixed.decode(.cookie, as: Cookie.self)
            guard shares == offeredShares, cookie == retryCookie else {
                throw TLSError(.internalError, "the configured second ClientHello's key_share or cookie is not the one the retry needs")
            }
            extensions = fixed
        } else if let fixed = configuration.clientHelloExtensions {
            // The caller's list, exactly; it must still offer the key we will use.
            let shares = try fixed.decode(.keyShare, as: KeyShareClientHello.self)?.clientShares ?? []
            guard isRetry || shares == offeredShares else {
                throw TLSError(.internalError, "the configured ClientHello extensions' key_share is not the one made from our key shares")
            }
            extensions = fixed
        } else {
            // RFC 6066 §3: server_name carries a host name, never an IP literal.
            if let name = configuration.serverName, case .dns(let host) = ServerIdentity(name) {
                extensions.append(try Extension(.serverName, ServerNameList(hostName: host)))
            }
            extensions.append(try Extension(.supportedGroups, NamedGroupList(offeredGroups)))
            extensions.append(try Extension(.signatureAlgorithms, SignatureSchemeList(offeredSignatureSchemes)))
            extensions.append(try Extension(.keyShare, KeyShareClientHello(clientShares: offeredShares)))
            extensions.append(try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])))
            // §4.2.6: a client with a certificate lets the server ask for it after the handshake.
            if !configuration.certificateChain.isEmpty {
                extensions.append(try Extension(.postHandshakeAuth, EmptyExtensionData()))
            }
            if !configuration.applicationProtocols.isEmpty {
                extensions.append(try Extension(.applicationLayerProtocolNegotiation, ProtocolNameList(configuration.applicationProtocols)))
            }
            if let parameters = quicTransportParametersExtension() { extensions.append(parameters) }
        }
        if isRetry, configuration.retryClientHelloExtensions == nil {
            // §4.2.8: after a HelloRetryRequest that named a group, key_share holds only the new share.
            if let index = extensions.firstIndex(where: { $0.type == .keyShare }) {
                extensions[index] = try Extension(.keyShare, KeyShareClientHello(clientShares: offeredShares))
            }
            if let cookie = retryCookie {
                extensions.append(try Extension(.cookie, cookie))
            }
        }

        // §4.2.11: a ticket to resume with goes last, its binder computed over all the rest.
        let psk = try offerPreSharedKey(&extensions, retrying: retry.map { ($0.offeredSession, $0.transcript) }) {
            ClientHello(random: clientRandom, legacySessionID: legacySessionID, cipherSuites: offeredCipherSuites, extensions: $0)
        }
        let hello = ClientHello(random: clientRandom, legacySessionID: legacySessionID,
                                cipherSuites: offeredCipherSuites, extensions: extensions)
        var sent: ClientHelloSent
        if let retry {
            var transcript = retry.transcript
            try queue(.clientHello(hello), into: &transcript)
            // §D.4: the dummy ChangeCipherSpec goes before the client's second flight.
            sendChangeCipherSpecForCompatibility()
            try flushFlight()
            sent = ClientHelloSent(hello: hello, keyShares: keyShares, transcript: .afterRetry(retry.request, transcript), offeredPSK: psk)
        } else {
            let bytes = try queue(.clientHello(hello))
            // §5.1: the initial ClientHello's record may say 0x0301, for old middleboxes.
            try flushFlight(legacyRecordVersion: 0x0301)
            sent = ClientHelloSent(hello: hello, keyShares: keyShares, transcript: .firstHello(bytes: bytes), offeredPSK: psk)
            sent.earlyData = try sendEarlyData(hello, bytes: bytes, psk: psk)
        }
        records.inHandshakeWindow = true
        return sent
    }

    /// RFC 8446 §4.1.3 and §4.2.1: the checks a ServerHello and a HelloRetryRequest share.
    /// Returns the suite's parameters.
    func checkServerHelloCommonFields(legacyVersion: ProtocolVersion, random: [UInt8]?,
                                              legacySessionIDEcho: [UInt8], cipherSuite: CipherSuite,
                                              extensions: [Extension], context: ExtensionContext, sentHello: ClientHello,
                                              requireTLS13LegacyFields: () throws -> Void) throws -> CipherSuiteParameters {
        let name = context.messageName
        // §4.2.1: a TLS 1.3 server always answers with supported_versions. Without it the server
        // chose TLS 1.2 or older, which we do not speak...
        guard let versions = try extensions.decode(.supportedVersions, as: SupportedVersionsServerHello.self) else {
            // ...unless its random carries a downgrade sentinel (§4.1.3): "TLS 1.3 clients receiving
            // a ServerHello indicating TLS 1.2 or below MUST check that the last 8 bytes are not
            // equal to either of these values ... If a match is found, the client MUST abort the
            // handshake with an "illegal_parameter" alert."
            if let random, Self.downgradeSentinels.contains(Array(random.suffix(8))) {
                events(.check("\(name) random carries no downgrade sentinel", passed: false, rule: Self.downgradeSentinelRule))
                throw TLSError(.illegalParameter, "\(name) random ends with a downgrade sentinel: an attacker may be forcing an older TLS version")
            }
            events(.check("server negotiated TLS 1.3 (supported_versions)", passed: false, rule: Self.downgradeSentinelRule))
            throw TLSError(.protocolVersion, "\(name) has no supported_versions: the server does not speak TLS 1.3")
        }
        // §4.2.1: "If the "supported_versions" extension in the ServerHello contains a version not
        // offered by the client or contains a version prior to TLS 1.3, the client MUST abort the
        // handshake with an "illegal_parameter" alert."
        guard versions.selectedVersion == .tls13 else {
            events(.check("server negotiated TLS 1.3 (supported_versions)", passed: false, rule: Self.selectedVersionRule))
            throw TLSError(.illegalParameter, "\(name) selected \(versions.selectedVersion), which we did not offer")
        }
        events(.check("server negotiated TLS 1.3 (supported_versions = 0x0304)", passed: true, rule: Self.selectedVersionRule))
        // §4.1.3: legacy_version = 0x0303 in a TLS 1.3 ServerHello.
        guard legacyVersion == .tls12 else {
            throw TLSError(.illegalParameter, "\(name) legacy_version is \(legacyVersion), not 0x0303")
        }
        // §4.1.3: "A client which receives a legacy_session_id_echo field that does not match
        // what it sent in the ClientHello MUST abort the handshake with an "illegal_parameter" alert."
        try require(legacySessionIDEcho == legacySessionID, .illegalParameter, "\(name) did not echo the legacy_session_id",
                    check: "\(name) echoes our legacy_session_id", rule: "RFC 8446 §4.1.3: \"A client which receives a legacy_session_id_echo field that does not match what it sent in the ClientHello MUST abort the handshake with an \"illegal_parameter\" alert.\"")
        // §4.1.3: "A client which receives a cipher suite that was not offered MUST abort the
        // handshake with an "illegal_parameter" alert."
        guard offeredCipherSuites.contains(cipherSuite), let parameters = CipherSuiteParameters(cipherSuite) else {
            events(.check("\(name) picked a cipher suite we offered", passed: false, rule: Self.offeredCipherSuiteRule))
            throw TLSError(.illegalParameter, "\(name) selected \(cipherSuite), which we did not offer")
        }
        events(.check("\(name) picked a cipher suite we offered: \(cipherSuite)", passed: true, rule: Self.offeredCipherSuiteRule))
        // §4.1.3: legacy_compression_method MUST be 0.
        try requireTLS13LegacyFields()
        // §4.2: only extensions we asked for (unsupported_extension), each where it may appear
        // (illegal_parameter).
        try checkExtensions(extensions, in: context, requested: sentHello.extensions.types)
        return parameters
    }

    /// RFC 8446 §4.1.3: the last 8 bytes of a TLS 1.2 (…01) or TLS 1.1-and-older (…00) server's
    /// random when it supports TLS 1.3 but was offered less ("DOWNGRD").
    static let downgradeSentinels: [[UInt8]] = [
        [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01],
        [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00],
    ]

    /// RFC 8446 §4.1.3 ServerHello: checks it, computes the shared secret, and derives and
    /// installs the handshake keys.
    func readServerHello(_ hello: ServerHello, bytes: [UInt8], after sent: ClientHelloSent) throws -> HandshakeState {
        let parameters = try checkServerHelloCommonFields(
            legacyVersion: hello.legacyVersion, random: hello.random, legacySessionIDEcho: hello.legacySessionIDEcho,
            cipherSuite: hello.cipherSuite, extensions: hello.extensions, context: .serverHello, sentHello: sent.hello,
            requireTLS13LegacyFields: hello.requireTLS13LegacyFields)
        // §4.1.4: "Upon receiving the ServerHello, clients MUST check that the cipher suite
        // supplied in the ServerHello is the same as that in the HelloRetryRequest and otherwise
        // abort the handshake with an "illegal_parameter" alert."
        if let request = sent.retryRequest {
            try require(request.cipherSuite == hello.cipherSuite, .illegalParameter,
                        "ServerHello selected \(hello.cipherSuite) after HelloRetryRequest selected \(request.cipherSuite)")
        }
        // §9.2: without a PSK, the server MUST answer with key_share (missing_extension).
        guard let keyShare = try hello.extensions.decode(.keyShare, as: KeyShareServerHello.self) else {
            throw TLSError(.missingExtension, "ServerHello has no key_share")
        }
        // §4.2.8: the server's share "MUST be in the same group as the KeyShareEntry value offered
        // by the client" (illegal_parameter).
        let share = keyShare.serverShare
        let keyShares = sent.keyShares
        guard let ours = keyShares.first(where: { $0.group == share.group }) else {
            events(.check("server's key share is for a group we offered", passed: false, rule: Self.sameGroupRule))
            throw TLSError(.illegalParameter, "ServerHello key_share is for \(share.group); we sent shares for \(keyShares.map(\.group.description).joined(separator: ", ")) only")
        }
        events(.check("server's key share is for \(share.group.name ?? share.group.description), \(keyShares.count == 1 ? "the group" : "one of the groups") we offered", passed: true, rule: Self.sameGroupRule))
        let sharedSecret = try Self.sharedSecret(group: share.group, peer: .server) {
            try Self.keyExchange(share.group).sharedSecret(ours, serverShare: share.keyExchange)
        }
        keyExchangeGroup = share.group

        var transcript: TranscriptHash
        switch sent.transcript {
        case .firstHello(let helloBytes):
            transcript = TranscriptHash(algorithm: parameters.hash)
            transcript.append(helloBytes)
        case .afterRetry(_, let retried):
            transcript = retried
        }
        transcript.append(bytes)
        let early = try readPreSharedKey(hello, parameters: parameters, offered: sent.offeredPSK)
        let keys = deriveHandshakeKeys(suite: parameters, transcript: transcript, earlySecret: early, sharedSecret: sharedSecret)
        try installHandshakeKeys(keys, earlyTrafficSecret: sent.earlyData)
        return .expectEncryptedExtensions(ClientKeysEstablished(keys: keys, hello: sent.hello, earlyData: sent.earlyData))
    }

    static let sameGroupRule = "RFC 8446 §4.2.8: the server's share \"MUST be in the same group as the KeyShareEntry value offered by the client\" (illegal_parameter)."

    /// RFC 8446 §4.3.1 EncryptedExtensions.
    func readEncryptedExtensions(_ message: EncryptedExtensions, bytes: [UInt8], _ state: ClientKeysEstablished) throws -> HandshakeState {
        var state = state
        // §4.2: unsupported_extension for a response we did not ask for, illegal_parameter for an
        // extension that does not belong in EncryptedExtensions.
        try checkExtensions(message.extensions, in: .encryptedExtensions, requested: state.hello.extensions.types)
        try readSelectedApplicationProtocol(in: message, sentHello: state.hello)
        try readQUICExtensions(message.extensions, in: "EncryptedExtensions")
        try readEarlyDataAcceptance(message, &state)
        state.keys.transcript.append(bytes)
        // §2.2: in a resumption the PSK authenticates the server: no Certificate follows.
        return isResumed ? .expectServerFinished(state, request: nil) : .expectCertificateOrRequest(state)
    }

    /// RFC 8446 §4.4.2 Certificate, judged by `ServerCertificateValidation`.
    func readCertificate(_ message: CertificateMessage, bytes: [UInt8], _ state: ClientKeysEstablished,
                         request: CertificateRequest?) throws -> HandshakeState {
        var state = state
        // §4.4.2: for server authentication the context "SHALL be zero length".
        try require(message.certificateRequestContext.isEmpty, .illegalParameter,
                    "the server's Certificate has a non-empty certificate_request_context")
        // §4.4.2.4: "If the server supplies an empty Certificate message, the client MUST abort
        // the handshake with a "decode_error" alert."
        try require(!message.certificateList.isEmpty, .decodeError, "the server's Certificate message is empty")
        for entry in message.certificateList {
            try checkExtensions(entry.extensions, in: .certificate, requested: state.hello.extensions.types)
        }
        let chain: [Certificate] = try message.certificateList.enumerated().map { index, entry in
            do {
                return try Certificate(der: entry.certData)
            } catch {
                // §6.2 bad_certificate: "A certificate was corrupt".
                throw TLSError(.badCertificate, "certificate \(index) of the server's chain does not parse: \(error)")
            }
        }
        try ServerCertificateValidation(configuration: configuration, events: events).validate(chain)
        // §4.4.2.2: the leaf's key must fit a signature algorithm we offered (RSA or P-256).
        guard let key = chain[0].subjectPublicKeyInfo.publicKey,
              offeredSignatureSchemes.contains(where: { CertificateVerifySignature.fits($0, key) }) else {
            throw TLSError(.unsupportedCertificate, "the server's certificate holds a key none of our signature schemes can verify")
        }
        state.keys.transcript.append(bytes)
        return .expectCertificateVerify(state, request: request, serverKey: key)
    }

    /// RFC 8446 §4.4.3 CertificateVerify: the server proves it holds the certificate's key by
    /// signing the transcript so far.
    func readCertificateVerify(_ verify: CertificateVerify, bytes: [UInt8], _ state: ClientKeysEstablished,
                               request: CertificateRequest?, serverKey: CertificatePublicKey) throws -> HandshakeState {
        var state = state
        try checkPeerCertificateVerify(verify, key: serverKey, offered: offeredSignatureSchemes, transcriptHash: state.keys.transcript.current)
        signatureScheme = verify.algorithm
        state.keys.transcript.append(bytes)
        return .expectServerFinished(state, request: request)
    }

    /// RFC 8446 §4.4.4: the server's Finished authenticates the whole handshake so far; then the
    /// application traffic secrets can be derived (their transcript ends with this message).
    func readServerFinished(_ finished: Finished, bytes: [UInt8], _ state: ClientKeysEstablished) throws -> ClientKeysEstablished {
        var state = state
        let matched = state.keys.server.verifyFinished(of: .server, transcriptHash: state.keys.transcript.current, received: finished.verifyData)
        // §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct and
        // if incorrect MUST terminate the connection with a "decrypt_error" alert."
        try require(matched, .decryptError, "the server's Finished verify_data is wrong",
                    check: "server's Finished matches the handshake we saw", rule: "RFC 8446 §4.4.4: the server's Finished authenticates the whole handshake so far; then the application traffic secrets can be derived (their transcript ends with this message).")
        state.keys.transcript.append(bytes)
        return state
    }

    /// RFC 8446 §4.4.4: the application secrets (transcript through the server's Finished), our
    /// read key switched to them; then the client's (Certificate and CertificateVerify, if asked,
    /// and) Finished, still under the handshake key; then the switch to the application key.
    func sendClientFinished(_ state: ClientKeysEstablished, request: CertificateRequest?) throws -> Established {
        var keys = state.keys
        let application = deriveApplicationSecrets(keys)
        // §5: ChangeCipherSpec is ignored only until the peer's Finished.
        records.inHandshakeWindow = false
        try install(.read, application.read, epoch: .application(generation: 0), suite: keys.suite)
        sendChangeCipherSpecForCompatibility()
        try finishEarlyData(state, transcript: &keys.transcript)
        if let request {
            try sendClientCertificate(answering: request, transcript: &keys.transcript)
        }
        let verifyData = keys.client.finishedVerifyData(of: .client, transcriptHash: keys.transcript.current)
        try queue(.finished(Finished(verifyData: verifyData)), into: &keys.transcript)
        try flushFlight()
        try install(.write, application.write, epoch: .application(generation: 0), suite: keys.suite)
        return establish(keys, application: application,
                         postHandshakeAuthOffered: state.hello.extensions.first(.postHandshakeAuth) != nil)
    }
}

// The RFC text behind this file's checks, shown with each check's outcome (TLSEvent.check).
extension TLSConnection {
    static let downgradeSentinelRule = "RFC 8446 §4.1.3: \"TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or below MUST check that the last 8 bytes are not equal to either of these values ... If a match is found, the client MUST abort the handshake with an \"illegal_parameter\" alert.\""
    static let selectedVersionRule = "RFC 8446 §4.2.1: \"If the \"supported_versions\" extension in the ServerHello contains a version not offered by the client or contains a version prior to TLS 1.3, the client MUST abort the handshake with an \"illegal_parameter\" alert.\""
    static let offeredCipherSuiteRule = "RFC 8446 §4.1.3: \"A client which receives a cipher suite that was not offered MUST abort the handshake with an \"illegal_parameter\" alert.\""
}
