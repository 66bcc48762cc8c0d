import Foundation
import TLSCrypto

/// How a client judges the server's certificate.
public enum CertificateVerification: Sendable, Hashable {
    /// The chain must lead to one of `trustAnchors`, every certificate must be valid now, issuers
    /// must be CAs, and the leaf must name `serverName`. Then CertificateVerify and Finished.
    case full
    /// Skips the chain and the name (for a learner's self-made server); CertificateVerify and
    /// Finished are still checked, so the peer still proves it holds the leaf's key.
    case insecure
    /// Accepts exactly this leaf certificate (DER), nothing else: how RFC 8448's self-signed
    /// "rsa" certificate is trusted when its trace is replayed.
    case pinned(der: [UInt8])
}

/// Whether a server asks for a client certificate in the handshake (RFC 8446 §4.3.2). The
/// client's chain must then lead to `TLSConfiguration.trustAnchors`.
public enum ClientAuthentication: Sendable, Hashable {
    /// No CertificateRequest (the server may still ask after the handshake, §4.6.2).
    case none
    /// Ask, but accept an empty Certificate: the client stays anonymous.
    case request
    /// Ask, and refuse an empty Certificate with certificate_required (§4.4.2.4).
    case require
}

/// Everything a `TLSConnection` needs to know before it starts.
public struct TLSConfiguration {
    /// Offer order (client) or preference order (server).
    public var cipherSuites: [CipherSuite] = CipherSuiteParameters.implemented
    /// The signature schemes a client offers and accepts in CertificateVerify, and those a server
    /// may sign with.
    /// RFC 8446 §9.1's mandatory ecdsa_secp256r1_sha256 and rsa_pss_rsae_sha256 first.
    public var signatureSchemes: [SignatureScheme] = [.ecdsaSecp256r1SHA256, .rsaPSSRSAESHA256, .rsaPSSRSAESHA384, .rsaPSSRSAESHA512]
    /// Key exchange groups (RFC 8446 §4.2.7): the client offers them all in supported_groups, in
    /// this order; the server picks the first of these the client supports.
    /// The default is what browsers offer in 2026: the post-quantum hybrid first.
    public var groups: [NamedGroup] = [.x25519MLKEM768, .x25519, .secp256r1]
    /// Client: the groups the first ClientHello sends key shares for (each must be in `groups`).
    /// nil: a share for the first of `groups`, and, when that is the hybrid X25519MLKEM768, one for
    /// x25519 too (as Chrome does), so a server without post-quantum support needs no retry.
    public var keyShareGroups: [NamedGroup]?
    /// Randoms, key shares, session IDs and PSS salts all come from here.
    public var random: any RandomSource = SystemRandom()
    public var observer: TLSObserver?
    /// The current time, for certificate validity.
    public var now: @Sendable () -> Date = { Date() }
    /// The largest handshake message accepted from the peer (body length, header excluded),
    /// except a ClientHello, which may be as long as its syntax allows (131,396 bytes,
    /// `ClientHello.maximumBodyLength`). A longer one is refused with decode_error as soon as
    /// its header arrives.
    public var handshakeMessageSizeLimit: Int = 64 * 1024
    /// RFC 7301 ALPN. Client: the protocols offered, in order of preference (none: no extension).
    /// Server: the protocols it speaks, in order of preference; empty: ALPN is ignored.
    public var applicationProtocols: [String] = []

    // MARK: Client

    /// Sent as server_name (RFC 6066) unless it is an IP literal, and checked against the
    /// certificate's subjectAltName (DNS name or IP address).
    public var serverName: String?
    /// The CAs the peer's chain must lead to: the server's, on a client; on a server that asks
    /// for client certificates, the client's (and their names go in certificate_authorities).
    public var trustAnchors: [Certificate] = []
    public var certificateVerification: CertificateVerification = .full

    // MARK: Server (and a client that holds a certificate)

    /// DER certificates, leaf first. A server always sends them; a client only when the server
    /// asks (CertificateRequest, RFC 8446 §4.3.2), and then it also offers post_handshake_auth.
    public var certificateChain: [[UInt8]] = []
    /// The leaf certificate's private key: RSA (rsa_pss_rsae_*) or P-256 (ecdsa_secp256r1_sha256).
    public var privateKey: CertificatePrivateKey?
    /// Server: whether the handshake asks the client for a certificate (RFC 8446 §4.3.2).
    public var clientAuthentication: ClientAuthentication = .none
    /// When set, every first ClientHello is answered with a HelloRetryRequest carrying a cookie
    /// authenticated with this HMAC-SHA256 key, and the server keeps nothing of ClientHello1:
    /// the second ClientHello's cookie brings it back (stateless retry, RFC 8446 §4.2.2).
    /// Use a fresh random key per server process (32 bytes).
    public var statelessRetryKey: [UInt8]?
    /// A NewSessionTicket (RFC 8446 §4.6.1) sent as soon as the client's Finished is checked.
    /// This library does not resume sessions, so the ticket is whatever the caller gives; the
    /// server still derives the ticket's resumption secret, as a resuming server would.
    public var newSessionTicket: NewSessionTicket?

    // MARK: Resumption and 0-RTT (RFC 8446 §2.2, §2.3, §4.2.10, §4.2.11, §4.6.1)

    /// Server: the keys that seal our tickets and open the ones clients bring back. Nil: no
    /// tickets are issued and every PSK is declined (a full handshake).
    public var ticketKeys: TicketKeys?
    /// Server: how many tickets follow each handshake (RFC 8446 §4.6.1 lets a server send several,
    /// so a client can open parallel connections without reusing one).
    public var ticketCount = 2
    /// Server: ticket_lifetime in seconds (at most 604800, §4.6.1).
    public var ticketLifetime: UInt32 = 7200
    /// Server: max_early_data_size of our tickets; 0 allows no 0-RTT (§4.2.10).
    public var maxEarlyDataSize: UInt32 = 0
    /// Server: the PSK key exchange modes we accept, in our order of preference (§4.2.9):
    /// psk_dhe_ke keeps forward secrecy; psk_ke (no key exchange) only when asked for.
    public var pskKeyExchangeModes: [PSKKeyExchangeMode] = [.pskDHEKE]
    /// Server: the anti-replay memory of accepted 0-RTT ClientHellos (§8.2); share one among
    /// all connections of a server. Nil: early data is never accepted.
    public var strikeRegister: StrikeRegister?
    /// Server: how far the client's idea of a ticket's age may differ from ours and still allow
    /// 0-RTT (§8.3), in milliseconds.
    public var ticketAgeWindowMilliseconds: UInt64 = 10_000
    /// Server: PSKs agreed out of band (RFC 8446 §2.2 "external"), as `openssl s_server -psk`;
    /// their binders use "ext binder". No 0-RTT with them.
    public var externalPSKs: [ExternalPSK] = []
    /// RFC 9001: set, the connection runs inside QUIC. These are our QUIC transport parameters
    /// (RFC 9000 §18, encoded), sent in quic_transport_parameters; the handshake messages come and
    /// go per encryption level (`receiveQUICHandshake`, `takeQUICHandshakeData`) instead of as
    /// TLS records, with no ChangeCipherSpec and no middlebox compatibility (RFC 9001 §8.4), and
    /// ALPN is required (§8.1).
    public var quicTransportParameters: [UInt8]?
    /// Client: the ticket to offer (`--sess-in`); ignored when expired or for another server.
    public var resumptionSession: ResumptionSession?
    /// Client: 0-RTT data to send with the ClientHello when the ticket allows it (`--early-data`).
    public var earlyData: [UInt8]?
    /// Both: the time in milliseconds since 1970, for ticket ages and lifetimes.
    public var clock: @Sendable () -> UInt64 = { UInt64(Date().timeIntervalSince1970 * 1000) }

    // MARK: Reproducing a published trace (RFC 8448)
    //
    // Each value below replaces one the library would choose by itself. They exist so that a
    // connection can be made byte for byte identical to a published example; with them set,
    // nothing about the connection is secret or fresh.

    /// RFC 8446 §D.4: a client in middlebox compatibility mode sends a 32-byte legacy_session_id
    /// and a dummy ChangeCipherSpec. Off, the session ID is empty and no ChangeCipherSpec is sent.
    public var middleboxCompatibility = true
    /// Our hello's Random (32 bytes), instead of one drawn from `random`.
    public var helloRandom: [UInt8]?
    /// The private key of our first key share (32 bytes for x25519), instead of one drawn from `random`.
    public var keySharePrivateKey: [UInt8]?
    /// Client: the private key of the share a HelloRetryRequest asks for, instead of one drawn from `random`.
    public var retryKeySharePrivateKey: [UInt8]?
    /// The RSA-PSS salt of our CertificateVerify (Hash.length bytes), instead of one drawn from `random`.
    public var signatureSalt: [UInt8]?
    /// A published CertificateVerify to send instead of signing, for a trace whose private key is
    /// withheld (RFC 8448 §6, both sides). It is checked with our certificate's public key first.
    public var replayedCertificateVerify: CertificateVerify?
    /// Client: this legacy_session_id (RFC 8448 §7's), instead of 32 bytes drawn from `random`.
    public var legacySessionID: [UInt8]?
    /// Server: a published ticket accepted as if we had sealed it, with what it stands for
    /// (RFC 8448 §4 resumes with §3's ticket, which NSS sealed).
    public var replayedTicket: ReplayedTicket?
    /// Server: exactly these CertificateRequest extensions (RFC 8448 §6's), instead of ours.
    public var certificateRequestExtensions: [Extension]?
    /// Client: exactly these ClientHello extensions, in this order, instead of the ones the client
    /// builds. Its key_share must hold exactly the shares made from our key share groups.
    public var clientHelloExtensions: [Extension]?
    /// Client: exactly these extensions in the ClientHello that answers a HelloRetryRequest (its
    /// key_share must hold exactly our new share; its cookie, the HelloRetryRequest's).
    public var retryClientHelloExtensions: [Extension]?
    /// Server (stateful): this cookie in every HelloRetryRequest; the second ClientHello must echo it.
    public var helloRetryCookie: [UInt8]?
    /// Server: exactly these EncryptedExtensions extensions, instead of the ones the server builds.
    public var encryptedExtensions: [Extension]?

    public init() {}
}
