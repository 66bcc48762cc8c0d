import TLSCrypto

/// Where a handshake stands, as a value (typestate, in the manner of rustls's `ExpectFinished`):
/// each case names the message awaited next and carries exactly the secrets and transcript that
/// exist at that point, so a step cannot run before what it needs exists. Each step consumes
/// the state it was given and returns the next (ClientHandshake.swift, ServerHandshake.swift):
///
///     client: start → expectServerHello → expectEncryptedExtensions → expectCertificateOrRequest
///             → expectCertificate → expectCertificateVerify → expectServerFinished → connected
///     server: expectClientHello (→ expectSecondClientHello after a HelloRetryRequest)
///             → expectEndOfEarlyData / expectClientCertificate → expectClientCertificateVerify
///             → expectClientFinished → connected
///
/// RFC 8446 §4: "A peer which receives a handshake message in an unexpected order MUST abort the
/// handshake with an "unexpected_message" alert": a message no step of the current state takes
/// is exactly that.
enum HandshakeState {
    case start
    case expectServerHello(ClientHelloSent)
    case expectEncryptedExtensions(ClientKeysEstablished)
    /// A full handshake: the server may ask for our certificate before sending its own.
    case expectCertificateOrRequest(ClientKeysEstablished)
    case expectCertificate(ClientKeysEstablished, request: CertificateRequest)
    case expectCertificateVerify(ClientKeysEstablished, request: CertificateRequest?, serverKey: CertificatePublicKey)
    case expectServerFinished(ClientKeysEstablished, request: CertificateRequest?)

    case expectClientHello
    case expectSecondClientHello(ServerRetrySent)
    case expectEndOfEarlyData(ServerFlightSent)
    case expectClientCertificate(ServerFlightSent, request: CertificateRequest)
    case expectClientCertificateVerify(ServerFlightSent, request: CertificateRequest, clientKey: CertificatePublicKey)
    case expectClientFinished(ServerFlightSent)

    case connected(Established)

    /// For the unexpected_message alert's text.
    var awaiting: String {
        switch self {
        case .start: "before the first message"
        case .expectServerHello: "while waiting for ServerHello"
        case .expectEncryptedExtensions: "while waiting for EncryptedExtensions"
        case .expectCertificateOrRequest, .expectCertificate: "while waiting for the server's Certificate"
        case .expectCertificateVerify: "while waiting for CertificateVerify"
        case .expectServerFinished: "while waiting for the server's Finished"
        case .expectClientHello, .expectSecondClientHello: "while waiting for ClientHello"
        case .expectEndOfEarlyData: "while waiting for the client's early data and EndOfEarlyData"
        case .expectClientCertificate: "while waiting for the client's Certificate"
        case .expectClientCertificateVerify: "while waiting for the client's CertificateVerify"
        case .expectClientFinished: "while waiting for the client's Finished"
        case .connected: "after the handshake"
        }
    }

    /// The negotiated suite, once ServerHello fixed it (it sizes Finished, RFC 8446 §4.4.4).
    var suite: CipherSuiteParameters? {
        switch self {
        case .start, .expectServerHello, .expectClientHello, .expectSecondClientHello: nil
        case .expectEncryptedExtensions(let s), .expectCertificateOrRequest(let s), .expectCertificate(let s, _),
             .expectCertificateVerify(let s, _, _), .expectServerFinished(let s, _): s.keys.suite
        case .expectEndOfEarlyData(let s), .expectClientCertificate(let s, _),
             .expectClientCertificateVerify(let s, _, _), .expectClientFinished(let s): s.keys.suite
        case .connected(let s): s.suite
        }
    }
}

/// RFC 8446 §7.1: what both sides hold from ServerHello on: the suite, the transcript, the two
/// handshake traffic secrets and the master secret.
struct HandshakeKeys {
    var suite: CipherSuiteParameters
    var transcript: TranscriptHash
    var client: TrafficSecret
    var server: TrafficSecret
    var master: MasterSecret
}

/// RFC 8446 §7.1: the application traffic secrets (from the transcript through the server's
/// Finished), ours and the peer's; KeyUpdate (§4.6.3) moves each to its next generation.
struct ApplicationSecrets {
    var read: TrafficSecret
    var write: TrafficSecret
}

// MARK: Client states

/// The client's ClientHello is out (RFC 8446 §4.1.2).
struct ClientHelloSent {
    var hello: ClientHello
    /// Our key shares, private keys included (§4.2.8).
    var keyShares: [KeyShare]
    /// Before a HelloRetryRequest the suite (and so the hash) is unknown, and the transcript is
    /// ClientHello1's bytes; after one it is message_hash, the HelloRetryRequest and ClientHello2.
    var transcript: Transcript
    /// The ticket offered in pre_shared_key, with its Early Secret (§4.2.11).
    var offeredPSK: OfferedPSK?
    /// The 0-RTT data sent, with its key (§2.3).
    var earlyData: TrafficSecret?

    enum Transcript {
        case firstHello(bytes: [UInt8])
        case afterRetry(HelloRetryRequest, TranscriptHash)
    }

    struct OfferedPSK {
        var session: ResumptionSession
        var earlySecret: EarlySecret
    }

    var retryRequest: HelloRetryRequest? {
        if case .afterRetry(let request, _) = transcript { return request }
        return nil
    }
}

/// The client from ServerHello to its Finished: the handshake keys, and the ClientHello whose
/// extensions decide which answers are allowed (§4.2).
struct ClientKeysEstablished {
    var keys: HandshakeKeys
    var hello: ClientHello
    /// The 0-RTT key while our early data is in flight; after EncryptedExtensions, whether the
    /// server took it (then EndOfEarlyData closes it, §4.5).
    var earlyData: TrafficSecret?
    var earlyDataAccepted = false
}

// MARK: Server states

/// A HelloRetryRequest is out (§4.1.4). A stateful server remembers the retry and its
/// transcript; a stateless one (§4.2.2) remembers nothing: the cookie brings it back.
enum ServerRetrySent {
    /// The retry and the transcript through the HelloRetryRequest (§4.4.1).
    case stateful(HelloRetry, transcript: TranscriptHash)
    /// Only the key that authenticates the cookie.
    case stateless(cookieKey: [UInt8])
}

/// The server's flight is out through its Finished; it reads under the client's handshake (or
/// early) key until the client's Finished.
struct ServerFlightSent {
    var keys: HandshakeKeys
    var application: ApplicationSecrets
    /// The client sent post_handshake_auth (§4.2.6): it may be asked after the handshake.
    var clientOffersPostHandshakeAuth: Bool
}

// MARK: Both

/// The handshake is over (RFC 8446 §4.4.4): application data flows; post-handshake messages
/// (§4.6) still use the transcript through the client's Finished and the application secrets.
struct Established {
    var suite: CipherSuiteParameters
    var transcript: TranscriptHash
    var application: ApplicationSecrets
    var resumptionMaster: ResumptionMasterSecret
    /// Client: we offered post_handshake_auth. Server: the client did.
    var postHandshakeAuthOffered: Bool
    /// Server: the post-handshake request in progress (one at a time, PostHandshake.swift).
    var postHandshake: PostHandshakeAuthentication?
}
