import TLS13
import TLSCrypto

/// RFC 8448 §3 "Simple 1-RTT Handshake" as a client and a server configuration (`--rfc8448`):
/// with them, our two sides exchange exactly the RFC's messages and records.
///
/// Everything comes from the RFC's own values (`RFC8448Inputs`, copied from its text):
///
/// - each side's hello random and x25519 private key;
/// - the client's ClientHello as the RFC prints it: its cipher suites, its empty
///   legacy_session_id (no middlebox compatibility mode) and its ten extensions, in order;
/// - the server's RSA-1024 key (§2) and the certificate inside the RFC's Certificate message;
/// - the server's EncryptedExtensions (supported_groups, record_size_limit, server_name);
/// - the PSS salt of the RFC's CertificateVerify, recovered from its signature
///   (`PSSSaltRecovery`), so our signature is the RFC's;
/// - the NewSessionTicket the server sends after the handshake;
/// - the 50 bytes of application data each side sends.
///
/// The RFC's certificate is self-signed and expired on 2026-07-30, so the client pins it
/// (`CertificateVerification.pinned`) instead of checking a chain and dates.
public struct RFC8448Profile: Sendable {
    public let clientHello: ClientHello
    public let clientPrivateKey: [UInt8]
    public let serverRandom: [UInt8]
    public let serverCipherSuite: CipherSuite
    public let serverPrivateKey: [UInt8]
    public let encryptedExtensions: [Extension]
    /// The DER certificate of the RFC's Certificate message.
    public let certificate: [UInt8]
    /// RFC 8448 §2's RSA key, the certificate's.
    public let serverKey: RSAPrivateKey
    /// The RFC's CertificateVerify signature, and the salt recovered from it.
    public let signature: [UInt8]
    public let signatureSalt: [UInt8]
    public let newSessionTicket: NewSessionTicket
    public let clientApplicationData: [UInt8]
    public let serverApplicationData: [UInt8]

    public init() throws {
        typealias Inputs = RFC8448Inputs
        guard case .clientHello(let hello) = try Self.message(Inputs.clientHello),
              case .serverHello(let serverHello) = try Self.message(Inputs.serverHello),
              case .encryptedExtensions(let encryptedExtensions) = try Self.message(Inputs.encryptedExtensions),
              case .certificate(let certificateMessage) = try Self.message(Inputs.certificate),
              let leaf = certificateMessage.certificateList.first,
              case .certificateVerify(let certificateVerify) = try Self.message(Inputs.certificateVerify),
              case .newSessionTicket(let ticket) = try Self.message(Inputs.newSessionTicket) else {
            throw RFC8448ProfileError("an RFC 8448 message is not the message it should be")
        }
        let key = try RSAPrivateKey(
            modulus: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaModulus)),
            publicExponent: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaPublicExponent)),
            privateExponent: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaPrivateExponent)),
            prime1: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaPrime1)),
            prime2: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaPrime2)),
            exponent1: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaExponent1)),
            exponent2: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaExponent2)),
            coefficient: BigUInt(bigEndianBytes: try Self.bytes(Inputs.rsaCoefficient)))
        guard certificateVerify.algorithm == .rsaPSSRSAESHA256 else {
            throw RFC8448ProfileError("the RFC's CertificateVerify is not rsa_pss_rsae_sha256")
        }
        clientHello = hello
        clientPrivateKey = try Self.bytes(Inputs.clientPrivateKey)
        serverRandom = serverHello.random
        serverCipherSuite = serverHello.cipherSuite
        serverPrivateKey = try Self.bytes(Inputs.serverPrivateKey)
        self.encryptedExtensions = encryptedExtensions.extensions
        certificate = leaf.certData
        serverKey = key
        signature = certificateVerify.signature
        signatureSalt = try PSSSaltRecovery.salt(of: certificateVerify.signature, key: key.publicKey,
                                                 hash: SHA256.self, saltLength: SHA256.digestByteCount)
        newSessionTicket = ticket
        clientApplicationData = try Self.bytes(Inputs.clientApplicationData)
        serverApplicationData = try Self.bytes(Inputs.serverApplicationData)
    }

    /// The RFC's client: its random, key share and ClientHello; it pins the RFC's certificate.
    public func clientConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = clientHello.cipherSuites
        configuration.helloRandom = clientHello.random
        configuration.keySharePrivateKey = clientPrivateKey
        configuration.middleboxCompatibility = !clientHello.legacySessionID.isEmpty
        configuration.clientHelloExtensions = clientHello.extensions
        configuration.certificateVerification = .pinned(der: certificate)
        return configuration
    }

    /// The RFC's server: its random, key share, certificate and key, EncryptedExtensions, PSS
    /// salt and NewSessionTicket. It prefers the suite the RFC's server chose.
    public func serverConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = [serverCipherSuite] + configuration.cipherSuites.filter { $0 != serverCipherSuite }
        configuration.helloRandom = serverRandom
        configuration.keySharePrivateKey = serverPrivateKey
        configuration.certificateChain = [certificate]
        configuration.privateKey = serverKey
        configuration.encryptedExtensions = encryptedExtensions
        configuration.signatureSalt = signatureSalt
        configuration.newSessionTicket = newSessionTicket
        return configuration
    }

    /// The whole of §3 in memory: handshake, ticket, 50 bytes each way, close_notify each way.
    public func reproduce(traces: [TracedExchange.Trace], style: TextStyle = .plain,
                          capture: TCPCapture = TCPCapture()) throws -> TracedExchange.Output {
        try TracedExchange.run(client: clientConfiguration(), server: serverConfiguration(),
                               clientData: clientApplicationData, serverData: serverApplicationData,
                               traces: traces, style: style, capture: capture)
    }

    /// What the tools print when they start in this mode.
    public static let clientNotice = "--rfc8448: replaying RFC 8448 §3 with the RFC's inputs; the server's certificate is pinned to the RFC's (self-signed, expired 2026-07-30), so no chain or date is checked"
    public static let serverNotice = "--rfc8448: replaying RFC 8448 §3 with the RFC's inputs (random, key share, RSA key, certificate, PSS salt, ticket); expects the RFC's client"

    private static func bytes(_ hex: String) throws -> [UInt8] {
        guard let bytes = [UInt8](hex: hex) else { throw RFC8448ProfileError("not hex: \(hex.prefix(20))…") }
        return bytes
    }

    private static func message(_ hex: String) throws -> HandshakeMessage {
        try HandshakeMessage(decoding: try bytes(hex), finishedLength: SHA256.digestByteCount)
    }
}

/// The embedded RFC values do not make a profile (only a damaged build can cause this).
public struct RFC8448ProfileError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
