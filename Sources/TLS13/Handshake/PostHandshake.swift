import TLSCrypto

/// One post-handshake authentication in progress on the server (RFC 8446 §4.6.2): the request
/// it answers, and its own transcript, which is the handshake's (ClientHello ... client Finished)
/// followed by this CertificateRequest and the client's answer (§4.4, "Handshake Context" of
/// post-handshake messages). Each request starts again from the handshake's transcript.
struct PostHandshakeAuthentication {
    enum Stage: String {
        case waitCertificate = "the client's Certificate"
        case waitCertificateVerify = "the client's CertificateVerify"
        case waitFinished = "the client's Finished"
    }
    var request: CertificateRequest
    var transcript: TranscriptHash
    var stage: Stage = .waitCertificate
    var clientLeafKey: CertificatePublicKey?
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
        if !isHandshakeComplete || isClosed { return "the connection is not open after its handshake" }
        // §4.2.6: "Servers MUST NOT send a post-handshake CertificateRequest to clients which do
        // not offer this extension."
        if !clientAuthentication.clientOffersPostHandshakeAuth {
            return "the client did not offer post_handshake_auth (it has no certificate), and RFC 8446 §4.2.6 forbids asking it"
        }
        if clientAuthentication.postHandshake != nil { return "the last request is still waiting for its answer" }
        return nil
    }

    /// Server: a post-handshake CertificateRequest of ours still waits for the client's answer.
    public var isAwaitingClientCertificate: Bool { clientAuthentication.postHandshake != nil }

    /// Server: asks the client for a certificate now (RFC 8446 §4.6.2). Throws, leaving the
    /// connection as it was, when `clientCertificateRequestRefusal` names a reason.
    public func requestClientCertificate() throws {
        if let reason = clientCertificateRequestRefusal {
            throw TLSError(.internalError, "cannot ask for a client certificate: \(reason)")
        }
        try guarded {
            guard let transcript else { preconditionFailure("no transcript after the handshake") }
            // §4.3.2: the context "MUST be unique within the scope of this connection" and
            // "SHOULD" be unpredictable: 8 random bytes.
            let request = try makeCertificateRequest(context: configuration.random.bytes(8))
            events(.note("post-handshake authentication (RFC 8446 §4.6.2): asking the client for a certificate"))
            var exchange = PostHandshakeAuthentication(request: request, transcript: transcript)
            exchange.transcript.append(try queue(.certificateRequest(request)))
            clientAuthentication.postHandshake = exchange
            try flushFlight()
        }
    }

    /// Server: the client's answer to our post-handshake CertificateRequest, one message at a time.
    func readPostHandshakeAuthentication(_ message: HandshakeMessage, bytes: [UInt8]) throws {
        guard side == .server, var exchange = clientAuthentication.postHandshake else {
            throw TLSError(.unexpectedMessage, "\(message.name) arrived after the handshake, and no CertificateRequest asked for it")
        }
        switch (exchange.stage, message) {
        case (.waitCertificate, .certificate(let certificate)):
            exchange.clientLeafKey = try checkClientCertificate(certificate, answering: exchange.request)
            exchange.transcript.append(bytes)
            exchange.stage = exchange.clientLeafKey == nil ? .waitFinished : .waitCertificateVerify
            clientAuthentication.postHandshake = exchange
        case (.waitCertificateVerify, .certificateVerify(let verify)):
            guard let key = exchange.clientLeafKey else { preconditionFailure("CertificateVerify stage without a key") }
            try checkClientCertificateVerify(verify, key: key, answering: exchange.request, transcriptHash: exchange.transcript.current)
            exchange.transcript.append(bytes)
            exchange.stage = .waitFinished
            clientAuthentication.postHandshake = exchange
        case (.waitFinished, .finished(let finished)):
            guard let readApplicationSecret else { preconditionFailure("post-handshake Finished without application secrets") }
            let matched = readApplicationSecret.verifyFinished(of: .client, transcriptHash: exchange.transcript.current,
                                                               received: finished.verifyData)
            events(.check("client's post-handshake Finished (keyed by client_application_traffic_secret_\(readApplicationSecret.generation)) matches", passed: matched))
            // §4.4.4: a wrong Finished is a decrypt_error.
            guard matched else {
                throw TLSError(.decryptError, "the client's post-handshake Finished verify_data is wrong")
            }
            clientAuthentication.postHandshake = nil
            events(.note(exchange.clientLeafKey == nil ? "post-handshake authentication done: the client declined (empty Certificate)"
                                                       : "post-handshake authentication done: the client proved it holds its certificate's key"))
        default:
            // §4.6.2: "All of the client's messages for a given response MUST appear consecutively
            // on the wire with no intervening messages of other types."
            throw TLSError(.unexpectedMessage, "\(message.name) arrived while waiting for \(exchange.stage.rawValue) of post-handshake authentication")
        }
    }

    /// Server: §4.6.2 forbids anything between the client's Certificate and its Finished.
    func checkNothingInterruptsPostHandshakeAuthentication(_ what: String) throws {
        if let exchange = clientAuthentication.postHandshake, exchange.stage != .waitCertificate {
            throw TLSError(.unexpectedMessage, "\(what) arrived between the client's post-handshake Certificate and \(exchange.stage.rawValue)")
        }
    }

    /// Client: a CertificateRequest after the handshake, answered at once.
    func answerPostHandshakeCertificateRequest(_ request: CertificateRequest, bytes: [UInt8]) throws {
        // §4.6.2: "A client that receives a CertificateRequest message without having sent the
        // "post_handshake_auth" extension MUST send an "unexpected_message" fatal alert."
        guard clientHello?.extensions.first(.postHandshakeAuth) != nil else {
            throw TLSError(.unexpectedMessage, "CertificateRequest after the handshake, but we did not offer post_handshake_auth")
        }
        try checkCertificateRequest(request)
        guard var exchange = transcript, let writeApplicationSecret else {
            preconditionFailure("post-handshake CertificateRequest before the application secrets")
        }
        events(.note("post-handshake authentication (RFC 8446 §4.6.2): the server asks for our certificate; Certificate, CertificateVerify and Finished go out together"))
        exchange.append(bytes)
        try sendClientCertificate(answering: request, transcript: &exchange)
        // §4.4: the post-handshake Finished is keyed by client_application_traffic_secret_N.
        let verifyData = writeApplicationSecret.finishedVerifyData(of: .client, transcriptHash: exchange.current)
        try queue(.finished(Finished(verifyData: verifyData)))
        try flushFlight()
    }
}
