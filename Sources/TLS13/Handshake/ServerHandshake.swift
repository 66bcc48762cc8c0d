import TLSCrypto

/// The server's handshake (RFC 8446 §2), one method per step; each takes the state it needs
/// (HandshakeState.swift) and returns the next:
///
///     readClientHello                → expectSecondClientHello after sendHelloRetryRequest, or
///     sendServerFlight:
///       sendServerHello, deriveHandshakeKeys, installHandshakeKeys
///       sendEncryptedExtensions
///       sendCertificateRequestIfConfigured (ClientAuthentication.swift)
///       sendCertificate
///       sendCertificateVerify
///       sendServerFinished           → expectEndOfEarlyData, expectClientCertificate or expectClientFinished
///     readClientCertificate, readClientCertificateVerify (when it asked; ClientAuthentication.swift)
///     readClientFinished             → connected
extension TLSConnection {
    /// RFC 8446 §4.1.2 ClientHello: checks it, then either asks for another (HelloRetryRequest)
    /// or answers with the whole server flight.
    func readClientHello(_ hello: ClientHello, bytes: [UInt8], retried: ServerRetrySent?) throws -> HandshakeState {
        // §5: from the first ClientHello on, a ChangeCipherSpec is tolerated.
        records.inHandshakeWindow = true
        // §4.2: extensions that do not belong in a ClientHello (illegal_parameter); a repeated
        // extension was refused when the message was decoded (illegal_parameter, §4.2).
        try checkExtensions(hello.extensions, in: .clientHello, requested: nil)

        // §4.2.1: "If this extension is present in the ClientHello, servers MUST NOT use the
        // ClientHello.legacy_version value for version negotiation and MUST use only the
        // "supported_versions" extension". We speak only 1.3: without it in the list, the
        // client is too old (§4.2.1, protocol_version).
        let versions = try hello.extensions.decode(.supportedVersions, as: SupportedVersionsClientHello.self)
        guard let versions, versions.versions.contains(.tls13) else {
            events(.check("client offers TLS 1.3 (supported_versions)", passed: false, rule: Self.supportedVersionsRule))
            throw TLSError(.protocolVersion, "the ClientHello does not offer TLS 1.3 in supported_versions")
        }
        events(.check("client offers TLS 1.3 (supported_versions)", passed: true, rule: Self.supportedVersionsRule))
        // §4.1.2: legacy_compression_methods must be exactly [0] (illegal_parameter).
        try hello.requireTLS13LegacyFields()
        // §4.1.4: a ClientHello after our HelloRetryRequest must be the first one again, changed
        // only as asked; what the retry decided comes back from memory or from the cookie.
        let retry = try retried.map { try checkSecondClientHello(hello, after: $0) }

        // §4.1.1: the server picks the suite, here in its own order of preference; with no suite
        // in common "the server MUST abort the handshake with a "handshake_failure" alert".
        guard let chosen = configuration.cipherSuites.first(where: { hello.cipherSuites.contains($0) && CipherSuiteParameters($0) != nil }),
              let parameters = CipherSuiteParameters(chosen) else {
            events(.check("client offers a cipher suite we support", passed: false, rule: Self.cipherSuiteChoiceRule))
            throw TLSError(.handshakeFailure, "no cipher suite in common (client offers \(hello.cipherSuites.map(\.description).joined(separator: ", ")))")
        }
        events(.check("client offers a cipher suite we support: \(chosen)", passed: true, rule: Self.cipherSuiteChoiceRule))
        // §4.1.4: the ServerHello after a HelloRetryRequest keeps the suite the retry named.
        if let retry, retry.cipherSuite != chosen {
            throw TLSError(.illegalParameter, "the second ClientHello no longer leads to \(retry.cipherSuite)")
        }

        // §4.2.11: a ticket of ours the client offers (its binder is checked below); nil: a full handshake.
        let psk = try choosePreSharedKey(hello, parameters: parameters)
        // §9.2: a ClientHello without PSK "MUST contain" signature_algorithms (missing_extension).
        // With a PSK the server does not sign: the PSK authenticates (§2.2).
        var scheme: SignatureScheme?
        if psk == nil {
            guard let offeredSchemes = try hello.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self) else {
                throw TLSError(.missingExtension, "the ClientHello has no signature_algorithms")
            }
            scheme = try chooseSignatureScheme(offered: offeredSchemes.supportedSignatureAlgorithms)
        }

        // §2.2: psk_ke has no (EC)DHE at all; otherwise a key share is needed (or asked for).
        var exchange: (group: NamedGroup, share: KeyShareEntry)?
        if psk?.mode != .pskKE {
            switch try chooseKeyShare(hello, retry: retry) {
            case .share(let group, let share):
                exchange = (group, share)
            case .helloRetryRequest(let selectedGroup):
                return .expectSecondClientHello(try sendHelloRetryRequest(hello, bytes: bytes, parameters: parameters, selectedGroup: selectedGroup))
            }
        } else {
            events(.note("psk_ke: no key exchange, the PSK alone makes the keys (no forward secrecy, RFC 8446 §2.2)"))
        }

        try selectApplicationProtocol(offeredIn: hello)
        try readQUICExtensions(hello.extensions, in: "ClientHello")
        clientRandom = hello.random
        legacySessionID = hello.legacySessionID
        signatureScheme = scheme
        if let name = try hello.extensions.decode(.serverName, as: ServerNameList.self)?.hostName {
            requestedServerName = name
            events(.note("client asks for server name \"\(name)\""))
        }
        // RFC 9001 §4.6.1 0-RTT inside QUIC is not offered by this server yet.
        let acceptsEarly = !isQUIC && acceptsEarlyData(hello, psk: psk, parameters: parameters, afterRetry: retried != nil)
        let choices = ServerChoices(parameters: parameters, psk: psk, scheme: scheme, exchange: exchange, acceptsEarlyData: acceptsEarly,
                                    declinesEarlyData: hello.extensions.first(.earlyData) != nil && !acceptsEarly)
        return try sendServerFlight(answering: hello, bytes: bytes, retried: retried, retry: retry, choices)
    }

    /// What `readClientHello` decided, for the flight that answers it.
    struct ServerChoices {
        var parameters: CipherSuiteParameters
        /// The ticket or external PSK taken (its binder not yet checked), nil: a full handshake.
        var psk: AcceptedPSK?
        /// nil exactly when a PSK authenticates the server (§2.2).
        var scheme: SignatureScheme?
        /// The group and the client's share, nil for psk_ke.
        var exchange: (group: NamedGroup, share: KeyShareEntry)?
        var acceptsEarlyData: Bool
        var declinesEarlyData: Bool
    }

    /// RFC 8446 §2: the server's whole flight, ServerHello through Finished, with the key
    /// schedule between: the transcript so far, the PSK's binder, the shared secret, the
    /// handshake keys, the certificate (without a PSK), and the application write key.
    private func sendServerFlight(answering hello: ClientHello, bytes: [UInt8], retried: ServerRetrySent?,
                                  retry: HelloRetry?, _ choices: ServerChoices) throws -> HandshakeState {
        let parameters = choices.parameters, psk = choices.psk, acceptsEarly = choices.acceptsEarlyData
        // §4.4.1: after a HelloRetryRequest the transcript goes on from message_hash and the
        // HelloRetryRequest: remembered, or rebuilt from the cookie (§4.2.2).
        var transcript: TranscriptHash
        switch (retried, retry) {
        case (.stateful(_, let remembered)?, _): transcript = remembered
        case (.stateless?, let retry?): transcript = try rebuildTranscript(from: retry, secondClientHello: hello, parameters: parameters)
        default: transcript = TranscriptHash(algorithm: parameters.hash)
        }
        let schedule = KeySchedule(parameters: parameters, events: events)
        let early: EarlySecret
        if let psk {
            early = schedule.earlySecret(psk: psk.psk)
            try verifyBinder(psk, clientHello: bytes, early: early, transcriptBefore: transcript)
            acceptedPSKIndex = psk.index
        } else {
            early = schedule.earlySecret()
        }
        transcript.append(bytes)
        var earlyTrafficSecret: TrafficSecret?
        if acceptsEarly {
            let hash = transcript.current
            let secret = early.clientEarlyTrafficSecret(transcriptHash: hash)
            _ = early.earlyExporterMasterSecret(transcriptHash: hash)
            keyLog("CLIENT_EARLY_TRAFFIC_SECRET", secret)
            earlyTrafficSecret = secret
        }

        var sharedSecret = [UInt8](repeating: 0, count: parameters.hash.length)
        if let exchange = choices.exchange {
            let answer = try Self.sharedSecret(group: exchange.group, peer: .client) {
                try Self.keyExchange(exchange.group).respond(toClientShare: exchange.share.keyExchange, random: configuration.random,
                                                             fixedPrivateKey: configuration.keySharePrivateKey)
            }
            keyExchangeGroup = exchange.group
            try sendServerHello(share: KeyShareEntry(group: exchange.group, keyExchange: answer.keyExchange), ours: answer.ours,
                                psk: psk?.index, suite: parameters, transcript: &transcript)
            sharedSecret = answer.sharedSecret
        } else {
            try sendServerHello(share: nil, ours: nil, psk: psk?.index, suite: parameters, transcript: &transcript)
        }
        var keys = deriveHandshakeKeys(suite: parameters, transcript: transcript, earlySecret: early, sharedSecret: sharedSecret)
        // The ServerHello (and the compatibility ChangeCipherSpec) go out in the clear, before
        // the write key changes.
        try flushFlight()
        sendChangeCipherSpecForCompatibility()
        try installHandshakeKeys(keys, earlyTrafficSecret: earlyTrafficSecret)
        // §4.2.10: declined early data is skipped; after a HelloRetryRequest, nothing more is.
        records.skippableEarlyDataBytes = choices.declinesEarlyData ? max(Self.declinedEarlyDataLimit, Int(configuration.maxEarlyDataSize)) : 0
        try sendEncryptedExtensions(acknowledgingServerName: hello.extensions.first(.serverName) != nil, acceptingEarlyData: acceptsEarly,
                                    transcript: &keys.transcript)
        var request: CertificateRequest?
        if psk == nil, let scheme = choices.scheme {
            request = try sendCertificateRequestIfConfigured(transcript: &keys.transcript)
            try sendCertificate(transcript: &keys.transcript)
            try sendCertificateVerify(scheme: scheme, transcript: &keys.transcript)
        }
        let application = try sendServerFinished(&keys)
        let flight = ServerFlightSent(keys: keys, application: application,
                                      clientOffersPostHandshakeAuth: psk == nil && hello.extensions.first(.postHandshakeAuth) != nil)
        if acceptsEarly { return .expectEndOfEarlyData(flight) }
        if let request { return .expectClientCertificate(flight, request: request) }
        return .expectClientFinished(flight)
    }

    /// How much declined 0-RTT data the server discards before insisting on records that open
    /// (RFC 8446 §4.2.10: a server that rejects early data skips records that fail to open, "up
    /// to the configured max_early_data_size"; the larger of ours and this bound).
    static let declinedEarlyDataLimit = 64 * 1024

    /// RFC 8446 §4.2.3: the client lists schemes "in descending order of preference"; like Go's
    /// crypto/tls, we follow that order and take the first scheme we are configured for that our
    /// key can make (an RSA key only rsa_pss_rsae_*, and a 1024-bit one not rsa_pss_rsae_sha512; a
    /// P-256 key only ecdsa_secp256r1_sha256). None → handshake_failure.
    private func chooseSignatureScheme(offered: [SignatureScheme]) throws -> SignatureScheme {
        guard hasSigningCredentials else {
            throw TLSError(.internalError, "the server has no certificate and private key configured")
        }
        guard let scheme = signingScheme(from: offered) else {
            events(.check("client accepts a signature scheme our \(signingKeyDescription) key can make", passed: false, rule: Self.signatureSchemeChoiceRule))
            throw TLSError(.handshakeFailure, "no signature scheme in common (client offers \(offered.map(\.description).joined(separator: ", ")))")
        }
        events(.check("client accepts signature scheme \(scheme)", passed: true, rule: Self.signatureSchemeChoiceRule))
        return scheme
    }

    /// RFC 8446 §4.1.3 ServerHello, queued: it is written once the handshake secrets are derived.
    private func sendServerHello(share: KeyShareEntry?, ours: KeyShare?, psk: Int?, suite: CipherSuiteParameters,
                                 transcript: inout TranscriptHash) throws {
        if let ours {
            events(.keyPair(group: ours.group, privateKey: ours.privateKey, publicKey: ours.keyExchange))
        }
        let random = try configuration.helloRandom ?? configuration.random.bytes(32)
        guard random.count == 32 else {
            throw TLSError(.internalError, "the configured hello random is \(random.count) bytes, not 32")
        }
        // §4.2.11: the PSK we took, by its index (first, where RFC 8448 §4's server puts it);
        // §4.2.8: a key_share unless psk_ke.
        var extensions = try psk.map { [try Extension(.preSharedKey, PreSharedKeyServerHello(selectedIdentity: UInt16($0)))] } ?? []
        if let share { extensions.append(try Extension(.keyShare, KeyShareServerHello(serverShare: share))) }
        extensions.append(try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)))
        let hello = ServerHello(random: random, legacySessionIDEcho: legacySessionID,
                                cipherSuite: suite.suite, extensions: extensions)
        try queue(.serverHello(hello), into: &transcript)
    }

    /// RFC 8446 §4.3.1. RFC 6066 §3: a server that used the client's server_name "SHALL include an
    /// extension of type "server_name" ... The "extension_data" field of this extension SHALL be empty."
    /// RFC 7301 §3.1: the selected protocol, "exactly one", when ALPN settled on one.
    /// A configured list (`TLSConfiguration.encryptedExtensions`) is sent as it is.
    private func sendEncryptedExtensions(acknowledgingServerName: Bool, acceptingEarlyData: Bool,
                                         transcript: inout TranscriptHash) throws {
        var built = try acknowledgingServerName ? [Extension(.serverName, EmptyExtensionData())] : []
        if let applicationProtocol {
            built.append(try Extension(.applicationLayerProtocolNegotiation, ProtocolNameList(protocolNameList: [applicationProtocol])))
        }
        // §4.2.10: an empty early_data says the 0-RTT data was accepted.
        if acceptingEarlyData { built.append(try Extension(.earlyData, EmptyExtensionData())) }
        if let parameters = quicTransportParametersExtension() { built.append(parameters) }
        let extensions = configuration.encryptedExtensions ?? built
        try queue(.encryptedExtensions(EncryptedExtensions(extensions: extensions)), into: &transcript)
    }

    /// RFC 8446 §4.4.2 Certificate: our chain, leaf first, with an empty request context.
    private func sendCertificate(transcript: inout TranscriptHash) throws {
        let message = CertificateMessage(certificateList: configuration.certificateChain.map {
            CertificateMessage.Entry(certData: $0)
        })
        try queue(.certificate(message), into: &transcript)
    }

    /// RFC 8446 §4.4.3 CertificateVerify: our signature over the transcript through Certificate.
    private func sendCertificateVerify(scheme: SignatureScheme, transcript: inout TranscriptHash) throws {
        let content = CertificateVerifySignature.content(signedBy: .server, transcriptHash: transcript.current)
        let signature = try certificateVerifySignature(content, scheme: scheme)
        events(.certificateVerify(scheme: scheme, content: content, signature: signature, verified: nil))
        try queue(.certificateVerify(CertificateVerify(algorithm: scheme, signature: signature)), into: &transcript)
    }

    /// RFC 8446 §4.4.4 Finished, then the switch to the server's application key (the server may
    /// send as soon as its Finished is out; it reads under the handshake key until the client's).
    private func sendServerFinished(_ keys: inout HandshakeKeys) throws -> ApplicationSecrets {
        let verifyData = keys.server.finishedVerifyData(of: .server, transcriptHash: keys.transcript.current)
        try queue(.finished(Finished(verifyData: verifyData)), into: &keys.transcript)
        try flushFlight()
        let application = deriveApplicationSecrets(keys)
        try install(.write, application.write, epoch: .application(generation: 0), suite: keys.suite)
        return application
    }

    /// RFC 8446 §4.4.4: the client's Finished completes the handshake.
    func readClientFinished(_ finished: Finished, bytes: [UInt8], _ flight: ServerFlightSent) throws -> Established {
        var keys = flight.keys
        let matched = keys.client.verifyFinished(of: .client, transcriptHash: keys.transcript.current, received: finished.verifyData)
        // §4.4.4: wrong verify_data → decrypt_error.
        try require(matched, .decryptError, "the client's Finished verify_data is wrong",
                    check: "client's Finished matches the handshake we saw", rule: "RFC 8446 §4.4.4: the client's Finished completes the handshake.")
        keys.transcript.append(bytes)
        records.inHandshakeWindow = false
        try install(.read, flight.application.read, epoch: .application(generation: 0), suite: keys.suite)
        return establish(keys, application: flight.application, postHandshakeAuthOffered: flight.clientOffersPostHandshakeAuth)
    }

    /// RFC 8446 §4.6.1: after the handshake, a configured NewSessionTicket (RFC 8448) or our own.
    func sendSessionTickets(_ established: Established) throws {
        if let ticket = configuration.newSessionTicket {
            try sendNewSessionTicket(ticket, established)
        } else {
            try issueSessionTickets(established)
        }
    }

    /// RFC 8446 §4.6.1 NewSessionTicket, under the server's application key. The PSK a resuming
    /// client would present is HKDF-Expand-Label(resumption_master_secret, "resumption",
    /// ticket_nonce, Hash.length); we derive it for the trace, but keep no ticket state: a
    /// client that offers the ticket later gets a full handshake.
    private func sendNewSessionTicket(_ ticket: NewSessionTicket, _ established: Established) throws {
        _ = established.resumptionMaster.resumptionSecret(ticketNonce: ticket.ticketNonce)
        try queue(.newSessionTicket(ticket))
        try flushFlight()
    }
}

// The RFC text behind this file's checks, shown with each check's outcome (TLSEvent.check).
extension TLSConnection {
    static let supportedVersionsRule = "RFC 8446 §4.2.1: \"If this extension is present in the ClientHello, servers MUST NOT use the ClientHello.legacy_version value for version negotiation and MUST use only the \"supported_versions\" extension\". We speak only 1.3: without it in the list, the client is too old (§4.2.1, protocol_version)."
    static let cipherSuiteChoiceRule = "RFC 8446 §4.1.1: the server picks the suite, here in its own order of preference; with no suite in common \"the server MUST abort the handshake with a \"handshake_failure\" alert\"."
    static let signatureSchemeChoiceRule = "RFC 8446 §4.2.3: the client lists schemes \"in descending order of preference\"; like Go's crypto/tls, we follow that order and take the first scheme we are configured for that our key can make (an RSA key only rsa_pss_rsae_*, and a 1024-bit one not rsa_pss_rsae_sha512; a P-256 key only ecdsa_secp256r1_sha256). None → handshake_failure."
}
