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

/// Everything a `TLSConnection` needs to know before it starts.
public struct TLSConfiguration {
    /// Offer order (client) or preference order (server).
    public var cipherSuites: [CipherSuite] = CipherSuiteParameters.implemented
    /// The signature schemes a client offers and accepts in CertificateVerify, and those a server
    /// may sign with.
    public var signatureSchemes: [SignatureScheme] = [.rsaPSSRSAESHA256, .rsaPSSRSAESHA384, .rsaPSSRSAESHA512]
    /// Randoms, key shares, session IDs and PSS salts all come from here.
    public var random: any RandomSource = SystemRandom()
    public var observer: TLSObserver?
    /// The current time, for certificate validity.
    public var now: @Sendable () -> Date = { Date() }
    /// The largest handshake message accepted from the peer (body length, header excluded).
    /// A longer one is refused with decode_error as soon as its header arrives.
    public var handshakeMessageSizeLimit: Int = 64 * 1024

    // MARK: Client

    /// Sent as server_name (RFC 6066) unless it is an IP literal, and checked against the
    /// certificate's subjectAltName (DNS name or IP address).
    public var serverName: String?
    public var trustAnchors: [Certificate] = []
    public var certificateVerification: CertificateVerification = .full

    // MARK: Server

    /// DER certificates, leaf first.
    public var certificateChain: [[UInt8]] = []
    public var privateKey: RSAPrivateKey?

    public init() {}
}
