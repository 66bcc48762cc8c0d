import TLSCrypto

/// One post-handshake authentication in progress on the server (RFC 8446 §4.6.2): the request
/// it answers, and its own transcript, which is the handshake's (ClientHello ... client Finished)
/// followed by this CertificateRequest and the client's answer (§4.4, "Handshake Context" of
/// post-handshake messages). Each request starts again from the handshake's transcript.
struct PostHandshakeAuthentication {
    enum Stage {
        case waitCertificate
        case waitCertificateVerify(clientKey: CertificatePublicKey)
        /// `authenticated`: the client proved it holds its certificate's key (false: it declined).
        case waitFinished(authenticated: Bool)

        var awaited: String {
            switch self {
            case .waitCertificate: "the client's Certificate"
            case .waitCertificateVerify: "the client's CertificateVerify"
            case .waitFinished: "the client's Finished"
            }
        }
    }
    var request: CertificateRequest
    var transcript: TranscriptHash
    var stage: Stage = .waitCertificate
}

/// RFC 8446 §4.6.2 post-handshake authentication: the server sends a CertificateRequest at any
/// time after the handshake, the client answers with Certificate, CertificateVerify (when it has
/// a certificate) and Finished, keyed by the client's current application traffic secret
/// (§4.4: the Base Key of post-handshake Finished is client_application_traffic_secret_N).
extension TLSConnection {
    /// Why `requestClientCertificate()` cannot run now, or nil when it can: only a server, after
    /// its handshake, with a client that offered post_handshake_auth and no request outstanding.
    public var clientCertificateRequestRefusal: String? {
        if side != .server { return "only a server asks for a client certificate" }
        guard case .connected(let established) = state, !isClosed else { return "the connection is not open after its handshake" }
        // §4.2.6: "Servers MUST NOT send a post-handshake CertificateRequest to clients which do
        // not offer this extension."
        if !established.postHandshakeAuthOffered {
            return "the client did not offer post_handshake_auth (it has no certificate), and RFC 8446 §4.2.6 forbids asking it"
        }
        if established.postHandshake != nil { return "the last request is still waiting for its answer" }
        return nil
    }

    /// Server: a post-handshake CertificateRequest of ours still waits for the client's answer.
    public var isAwaitingClientCertificate: Bool {
        if case .connected(let established) = state { return established.postHandshake != nil }
        return false
    }

    /// Server: asks the client for a certificate now (RFC 8446 §4.6.2). Throws, leaving the
    /// connection as it was, when `clientCertificateRequestRefusal` names a reason.
    public func requestClientCertificate() throws {
        if let reason = clientCertificateRequestRefusal {
            throw TLSError(.internalError, "cannot ask for a client certificate: \(reason)")
        }
        try guarded {
            guard case .connected(var established) = state else { return }
            // §4.3.2: the context "MUST be unique within the scope of this connection" and
            // "SHOULD" be unpredictable: 8 random bytes.
            let request = try makeCertificateRequest(context: configuration.random.bytes(8))
            events(.note("post-handshake authentication (RFC 8446 §4.6.2): asking the client for a certificate"))
            var exchange = PostHandshakeAuthentication(request: request, transcript: established.transcript)
            try queue(.certificateRequest(request), into: &exchange.transcript)
            established.postHandshake = exchange
            state = .connected(established)
            try flushFlight()
        }
    }

    /// Server: the client's answer to our post-handshake CertificateRequest, one message at a time.
    func readPostHandshakeAuthentication(_ message: HandshakeMessage, bytes: [UInt8], _ established: Established) throws -> Established {
        guard side == .server, var exchange = established.postHandshake else {
            throw TLSError(.unexpectedMessage, "\(message.name) arrived after the handshake, and no CertificateRequest asked for it")
        }
        var established = established
        switch (exchange.stage, message) {
        case (.waitCertificate, .certificate(let certificate)):
            let key = try checkClientCertificate(certificate, answering: exchange.request)
            exchange.transcript.append(bytes)
            exchange.stage = key.map { .waitCertificateVerify(clientKey: $0) } ?? .waitFinished(authenticated: false)
            established.postHandshake = exchange
        case (.waitCertificateVerify(let key), .certificateVerify(let verify)):
            try checkClientCertificateVerify(verify, key: key, answering: exchange.request, transcriptHash: exchange.transcript.current)
            exchange.transcript.append(bytes)
            exchange.stage = .waitFinished(authenticated: true)
            established.postHandshake = exchange
        case (.waitFinished(let authenticated), .finished(let finished)):
            let secret = established.application.read
            let matched = secret.verifyFinished(of: .client, transcriptHash: exchange.transcript.current, received: finished.verifyData)
            // §4.4.4: a wrong Finished is a decrypt_error.
            try require(matched, .decryptError, "the client's post-handshake Finished verify_data is wrong",
                        check: "client's post-handshake Finished (keyed by client_application_traffic_secret_\(secret.generation)) matches")
            established.postHandshake = nil
            events(.note(authenticated ? "post-handshake authentication done: the client proved it holds its certificate's key"
                                       : "post-handshake authentication done: the client declined (empty Certificate)"))
        default:
            // §4.6.2: "All of the client's messages for a given response MUST appear consecutively
            // on the wire with no intervening messages of other types."
            throw TLSError(.unexpectedMessage, "\(message.name) arrived while waiting for \(exchange.stage.awaited) of post-handshake authentication")
        }
        return established
    }

    /// Server: §4.6.2 forbids anything between the client's Certificate and its Finished.
    func checkNothingInterruptsPostHandshakeAuthentication(_ established: Established, _ what: String) throws {
        if let exchange = established.postHandshake {
            if case .waitCertificate = exchange.stage { return }
            throw TLSError(.unexpectedMessage, "\(what) arrived between the client's post-handshake Certificate and \(exchange.stage.awaited)")
        }
    }

    /// Client: a CertificateRequest after the handshake, answered at once.
    func answerPostHandshakeCertificateRequest(_ request: CertificateRequest, bytes: [UInt8], _ established: Established) throws {
        // §4.6.2: "A client that receives a CertificateRequest message without having sent the
        // "post_handshake_auth" extension MUST send an "unexpected_message" fatal alert."
        try require(established.postHandshakeAuthOffered, .unexpectedMessage,
                    "CertificateRequest after the handshake, but we did not offer post_handshake_auth")
        try checkCertificateRequest(request)
        events(.note("post-handshake authentication (RFC 8446 §4.6.2): the server asks for our certificate; Certificate, CertificateVerify and Finished go out together"))
        var exchange = established.transcript
        exchange.append(bytes)
        try sendClientCertificate(answering: request, transcript: &exchange)
        // §4.4: the post-handshake Finished is keyed by client_application_traffic_secret_N.
        let verifyData = established.application.write.finishedVerifyData(of: .client, transcriptHash: exchange.current)
        try queue(.finished(Finished(verifyData: verifyData)))
        try flushFlight()
    }
}
