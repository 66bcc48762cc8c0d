import TLSCrypto

/// Client authentication in the handshake, one method per step:
///
///     server: sendCertificateRequestIfConfigured (after EncryptedExtensions)
///     client: readCertificateRequest, then sendClientCertificate (before its Finished)
///     server: readClientCertificate, readClientCertificateVerify (before the client's Finished)
///
/// The checks are shared with post-handshake authentication (PostHandshake.swift), which runs
/// the same exchange after the handshake under a transcript of its own.
extension TLSConnection {
    // MARK: Server

    /// RFC 8446 §4.3.2 CertificateRequest, when configured: the signature schemes we verify and
    /// the names of the CAs we trust (§4.2.4), so a client with several certificates can choose.
    /// Returns the request, whose context and signature schemes the client's answer must use.
    func sendCertificateRequestIfConfigured(transcript: inout TranscriptHash) throws -> CertificateRequest? {
        guard configuration.clientAuthentication != .none else { return nil }
        // §4.3.2: "certificate_request_context ... SHALL be zero length unless used for the
        // post-handshake authentication exchanges".
        let request = try makeCertificateRequest(context: [])
        let policy = configuration.clientAuthentication == .require ? "required: an empty answer ends the handshake" : "optional: the client may answer with an empty Certificate"
        events(.note("asking the client for a certificate (\(policy))"))
        try queue(.certificateRequest(request), into: &transcript)
        return request
    }

    /// The request both the handshake and post-handshake authentication send.
    func makeCertificateRequest(context: [UInt8]) throws -> CertificateRequest {
        // §4.3.2: "The "signature_algorithms" extension MUST be specified".
        var extensions = [try Extension(.signatureAlgorithms, SignatureSchemeList(offeredSignatureSchemes))]
        let names = configuration.trustAnchors.map(\.subject.der)
        if !names.isEmpty {
            extensions.append(try Extension(.certificateAuthorities, CertificateAuthorities(names)))
        }
        if let configured = configuration.certificateRequestExtensions { extensions = configured }
        return CertificateRequest(certificateRequestContext: context, extensions: extensions)
    }

    /// RFC 8446 §4.4.2 the client's Certificate, in the handshake.
    func readClientCertificate(_ message: CertificateMessage, bytes: [UInt8], _ flight: ServerFlightSent,
                               request: CertificateRequest) throws -> HandshakeState {
        var flight = flight
        let key = try checkClientCertificate(message, answering: request)
        flight.keys.transcript.append(bytes)
        guard let key else { return .expectClientFinished(flight) }
        return .expectClientCertificateVerify(flight, request: request, clientKey: key)
    }

    /// RFC 8446 §4.4.3 the client's CertificateVerify, in the handshake.
    func readClientCertificateVerify(_ verify: CertificateVerify, bytes: [UInt8], _ flight: ServerFlightSent,
                                     request: CertificateRequest, key: CertificatePublicKey) throws -> HandshakeState {
        var flight = flight
        try checkClientCertificateVerify(verify, key: key, answering: request, transcriptHash: flight.keys.transcript.current)
        flight.keys.transcript.append(bytes)
        return .expectClientFinished(flight)
    }

    /// The checks on a client's Certificate (§4.4.2, §4.4.2.4), in or after the handshake.
    /// Returns the leaf's key, or nil for an empty Certificate the server accepts.
    func checkClientCertificate(_ message: CertificateMessage, answering request: CertificateRequest) throws -> CertificatePublicKey? {
        // §4.4.2: in answer to a CertificateRequest, the context is "the value of
        // certificate_request_context in that message".
        try require(message.certificateRequestContext == request.certificateRequestContext, .illegalParameter,
                    "the client's Certificate has certificate_request_context \(message.certificateRequestContext.hexString), not \(request.certificateRequestContext.hexString)",
                    check: "the Certificate echoes our certificate_request_context", rule: "RFC 8446 §4.4.2: in answer to a CertificateRequest, the context is \"the value of certificate_request_context in that message\".")
        // §4.4.2: extensions in a CertificateEntry must answer ones the CertificateRequest sent.
        for entry in message.certificateList {
            try checkExtensions(entry.extensions, in: .certificate, requested: request.extensions.types)
        }
        // §4.4.2.4: "If the client does not send any certificates (i.e., it sends an empty
        // Certificate message), the server MAY at its discretion either continue the handshake
        // without client authentication or abort the handshake with a "certificate_required" alert."
        guard !message.certificateList.isEmpty else {
            let required = configuration.clientAuthentication == .require
            events(.check("the client sent a certificate", passed: !required, rule: "RFC 8446 §4.4.2.4: \"If the client does not send any certificates (i.e., it sends an empty Certificate message), the server MAY at its discretion either continue the handshake without client authentication or abort the handshake with a \"certificate_required\" alert.\""))
            guard !required else {
                throw TLSError(.certificateRequired, "the client sent no certificate, and this server requires one")
            }
            events(.note("the client sent no certificate: it stays anonymous (allowed: the certificate was only requested)"))
            return nil
        }
        let chain: [Certificate] = try message.certificateList.enumerated().map { index, entry in
            do {
                return try Certificate(der: entry.certData)
            } catch {
                // §6.2 bad_certificate: "A certificate was corrupt".
                throw TLSError(.badCertificate, "certificate \(index) of the client's chain does not parse: \(error)")
            }
        }
        events(.note("the client's certificate: \"\(chain[0].subject)\", issued by \"\(chain[0].issuer)\""))
        // §4.4.2.4 leaves the checks to the server; we make the client's: chain, validity, usage.
        try ServerCertificateValidation(configuration: configuration, events: events, peer: .client).validate(chain)
        // §4.4.2.2: the key must fit a scheme of our CertificateRequest.
        let schemes = try request.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self)?.supportedSignatureAlgorithms ?? []
        guard let key = chain[0].subjectPublicKeyInfo.publicKey,
              schemes.contains(where: { CertificateVerifySignature.fits($0, key) }) else {
            throw TLSError(.unsupportedCertificate, "the client's certificate holds a key none of our signature schemes can verify")
        }
        return key
    }

    /// The checks on a client's CertificateVerify (§4.4.3), in or after the handshake.
    func checkClientCertificateVerify(_ verify: CertificateVerify, key: CertificatePublicKey,
                                      answering request: CertificateRequest, transcriptHash: [UInt8]) throws {
        let schemes = try request.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self)?.supportedSignatureAlgorithms ?? []
        try checkPeerCertificateVerify(verify, key: key, offered: schemes, transcriptHash: transcriptHash)
    }

    // MARK: Client

    /// RFC 8446 §4.3.2 CertificateRequest in the handshake: answered before our Finished, with
    /// our certificate when we have one that fits, else with an empty Certificate (§4.4.2.4).
    func readCertificateRequest(_ request: CertificateRequest, bytes: [UInt8], _ state: ClientKeysEstablished) throws -> HandshakeState {
        var state = state
        // §4.3.2: in the main handshake the context "SHALL be zero length".
        guard request.certificateRequestContext.isEmpty else {
            throw TLSError(.illegalParameter, "CertificateRequest during the handshake has a non-empty certificate_request_context")
        }
        try checkCertificateRequest(request)
        state.keys.transcript.append(bytes)
        return .expectCertificate(state, request: request)
    }

    /// What every CertificateRequest must satisfy, in or after the handshake.
    func checkCertificateRequest(_ request: CertificateRequest) throws {
        // §4.3.2: "The "signature_algorithms" extension MUST be specified".
        guard request.extensions.first(.signatureAlgorithms) != nil else {
            throw TLSError(.missingExtension, "CertificateRequest has no signature_algorithms")
        }
        try checkExtensions(request.extensions, in: .certificateRequest, requested: nil)
    }

    /// RFC 8446 §4.4.2 and §4.4.3: our Certificate (and, if it holds a certificate, our
    /// CertificateVerify) in answer to `request`, appended to `transcript`.
    func sendClientCertificate(answering request: CertificateRequest, transcript: inout TranscriptHash) throws {
        let context = request.certificateRequestContext
        guard let scheme = try clientSigningChoice(for: request) else {
            transcript.append(try queue(.certificate(CertificateMessage(certificateRequestContext: context, certificateList: []))))
            return
        }
        if let names = try request.extensions.decode(.certificateAuthorities, as: CertificateAuthorities.self)?.authorities,
           let leaf = try? Certificate(der: configuration.certificateChain[0]) {
            // §4.2.4 names the CAs the server trusts; the choice is the client's. We have one
            // certificate, so we send it either way and say whether the server is likely to accept it.
            let named = names.contains(leaf.issuer.der) || names.contains(leaf.subject.der)
            events(.note(named ? "the server's certificate_authorities names our certificate's issuer \"\(leaf.issuer)\""
                               : "the server's certificate_authorities does not name our issuer \"\(leaf.issuer)\"; sending our certificate anyway, the server decides"))
        }
        let entries = configuration.certificateChain.map { CertificateMessage.Entry(certData: $0) }
        transcript.append(try queue(.certificate(CertificateMessage(certificateRequestContext: context, certificateList: entries))))
        // §4.4.3: the client signs with its own context string, so a server's signature can
        // never be replayed as a client's.
        let content = CertificateVerifySignature.content(signedBy: .client, transcriptHash: transcript.current)
        let signature = try certificateVerifySignature(content, scheme: scheme)
        events(.certificateVerify(scheme: scheme, content: content, signature: signature, verified: nil))
        transcript.append(try queue(.certificateVerify(CertificateVerify(algorithm: scheme, signature: signature))))
    }

    /// Our key and the first scheme of the server's list that it can make (§4.4.3), or nil
    /// (with a note saying why) when we will answer with an empty Certificate.
    private func clientSigningChoice(for request: CertificateRequest) throws -> SignatureScheme? {
        guard hasSigningCredentials else {
            events(.note("the server asked for a client certificate; we have none and send an empty Certificate (RFC 8446 §4.4.2.4)"))
            return nil
        }
        let offered = try request.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self)?.supportedSignatureAlgorithms ?? []
        guard let scheme = signingScheme(from: offered) else {
            events(.check("the server accepts a signature scheme our \(signingKeyDescription) key can make", passed: false, rule: Self.clientSignatureSchemeRule))
            events(.note("so we send an empty Certificate (RFC 8446 §4.4.2.4) and let the server decide"))
            return nil
        }
        events(.check("the server accepts signature scheme \(scheme) for our certificate", passed: true, rule: Self.clientSignatureSchemeRule))
        return scheme
    }
}

// The RFC text behind this file's checks, shown with each check's outcome (TLSEvent.check).
extension TLSConnection {
    static let clientSignatureSchemeRule = "RFC 8446 §4.4.3: the client signs with a scheme of the CertificateRequest's signature_algorithms that its key can make; with none, it answers with an empty Certificate (§4.4.2.4)."
}
