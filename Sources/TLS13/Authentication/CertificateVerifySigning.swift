import TLSCrypto

/// CertificateVerify (RFC 8446 §4.4.3), for the server and for the client alike: making ours
/// (choosing the scheme from the peer's list, and signing, or, when reproducing a published
/// trace whose private key is withheld, RFC 8448 §6, replaying the published signature), and
/// checking the peer's.
extension TLSConnection {
    /// The check a replayed signature passes before it goes out; the RFC 8448 view marks the
    /// CertificateVerify it belongs to as replayed.
    public static let replayedSignatureCheck = "the replayed signature (the private key is withheld) verifies with our certificate's public key"

    /// The first scheme of `offered` (the peer's order of preference, §4.2.3) that we are
    /// configured for and can make: with our key, or the replayed signature's own scheme.
    func signingScheme(from offered: [SignatureScheme]) -> SignatureScheme? {
        if let replayed = configuration.replayedCertificateVerify {
            return offered.contains(replayed.algorithm) ? replayed.algorithm : nil
        }
        guard let key = configuration.privateKey else { return nil }
        return offered.first { configuration.signatureSchemes.contains($0) && CertificateVerifySignature.canSign($0, with: key) }
    }

    /// What our key is called in checks and errors ("RSA-2048", "P-256", or the replayed signature).
    var signingKeyDescription: String {
        if let replayed = configuration.replayedCertificateVerify { return "replayed \(replayed.algorithm)" }
        return configuration.privateKey.map { "\($0.publicKey)" } ?? "missing"
    }

    /// Whether we can authenticate at all: a certificate, and a key or a signature to replay.
    var hasSigningCredentials: Bool {
        !configuration.certificateChain.isEmpty && (configuration.privateKey != nil || configuration.replayedCertificateVerify != nil)
    }

    /// The signature over `content` with `scheme`.
    func certificateVerifySignature(_ content: [UInt8], scheme: SignatureScheme) throws -> [UInt8] {
        guard let replayed = configuration.replayedCertificateVerify else {
            // hasSigningCredentials was checked when the scheme was chosen; a configuration that
            // changed since is the caller's error, not the peer's.
            guard let key = configuration.privateKey else { throw TLSError(.internalError, "signing without a private key") }
            return try CertificateVerifySignature.sign(content, scheme: scheme, key: key, saltSource: configuration.random,
                                                       fixedSalt: configuration.signatureSalt)
        }
        // A replayed signature is only as good as the check that it signs this very content:
        // the peer will verify it against the same transcript, so a wrong replay fails here first.
        guard let leaf = try? Certificate(der: configuration.certificateChain[0]),
              let key = leaf.subjectPublicKeyInfo.publicKey else {
            throw TLSError(.internalError, "the replayed CertificateVerify has no certificate key to be checked with")
        }
        let valid = CertificateVerifySignature.isValid(replayed.signature, for: content, scheme: scheme, key: key)
        events(.check(Self.replayedSignatureCheck, passed: valid))
        guard valid else {
            throw TLSError(.internalError, "the replayed CertificateVerify signature does not sign this transcript")
        }
        return replayed.signature
    }

    /// The peer's CertificateVerify: the server's in the handshake, the client's in or after it.
    /// `offered` is what we offered it: our signature_algorithms (client) or our
    /// CertificateRequest's (server).
    func checkPeerCertificateVerify(_ verify: CertificateVerify, key: CertificatePublicKey,
                                    offered: [SignatureScheme], transcriptHash: [UInt8]) throws {
        let peer = side.peer
        let (offeredBy, message, certificate) = peer == .server
            ? ("we", "CertificateVerify", "the certificate")
            : ("our CertificateRequest", "the client's CertificateVerify", "its certificate")
        // §4.4.3: "If the CertificateVerify message is sent by a server, the signature algorithm
        // MUST be one offered in the client's "signature_algorithms" extension"; "If sent by a
        // client, the signature algorithm used in the signature MUST be one of those present in
        // the supported_signature_algorithms field of the "signature_algorithms" extension in the
        // CertificateRequest message" (illegal_parameter, as §4.4.2.2 names for a signature we
        // cannot accept).
        guard offered.contains(verify.algorithm) else {
            events(.check("CertificateVerify uses a scheme \(offeredBy) offered (\(verify.algorithm))", passed: false,
                          rule: peer == .server
                              ? "RFC 8446 §4.4.3: \"If the CertificateVerify message is sent by a server, the signature algorithm MUST be one offered in the client's \"signature_algorithms\" extension\""
                              : "RFC 8446 §4.4.3: \"If sent by a client, the signature algorithm used in the signature MUST be one of those present in the supported_signature_algorithms field of the \"signature_algorithms\" extension in the CertificateRequest message.\""))
            throw TLSError(.illegalParameter, "\(message) uses \(verify.algorithm), which \(offeredBy) did not offer")
        }
        // §4.4.3: "the signature algorithm MUST be compatible with the key in the sender's
        // end-entity certificate"; Go's crypto/tls answers a mismatch with illegal_parameter.
        guard CertificateVerifySignature.fits(verify.algorithm, key) else {
            events(.check("CertificateVerify's scheme \(verify.algorithm) fits the certificate's \(key) key", passed: false,
                          rule: "RFC 8446 §4.4.3: \"the signature algorithm MUST be compatible with the key in the sender's end-entity certificate\""))
            throw TLSError(.illegalParameter, "\(message) uses \(verify.algorithm) but \(certificate) holds an \(key) key")
        }
        let content = CertificateVerifySignature.content(signedBy: peer, transcriptHash: transcriptHash)
        let valid = CertificateVerifySignature.isValid(verify.signature, for: content, scheme: verify.algorithm, key: key)
        events(.certificateVerify(scheme: verify.algorithm, content: content, signature: verify.signature, verified: valid))
        // §4.4.3: "If the verification fails, the receiver MUST terminate the handshake with a
        // "decrypt_error" alert."
        events(.check("\(peer)'s CertificateVerify signature (\(verify.algorithm)) verifies with the certificate's key", passed: valid,
                      rule: "RFC 8446 §4.4.3: \"If the verification fails, the receiver MUST terminate the handshake with a \"decrypt_error\" alert.\""))
        guard valid else {
            throw TLSError(.decryptError, "the \(peer)'s CertificateVerify signature does not verify")
        }
    }
}
