import TLS13
import TLSCrypto

/// The example traces of RFC 8448 this tool replays (`--rfc8448 N`).
public enum RFC8448Section: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// §3 "Simple 1-RTT Handshake".
    case simple1RTT = 3
    /// §4 "Resumed 0-RTT Handshake": §3's ticket, a PSK binder, 0-RTT data, EndOfEarlyData.
    case resumed0RTT = 4
    /// §5 "HelloRetryRequest": the client shares x25519, the server prefers P-256 and asks again.
    case helloRetryRequest = 5
    /// §6 "Client Authentication": the server (ECDSA P-256) asks for the client's (RSA) certificate.
    case clientAuthentication = 6
    /// §7 "Compatibility Mode": §3 with a legacy_session_id and a change_cipher_spec each way.
    case compatibilityMode = 7

    /// The heading of the section in the RFC, as tls13-compare finds it.
    public var title: String {
        switch self {
        case .simple1RTT: "Simple 1-RTT Handshake"
        case .resumed0RTT: "Resumed 0-RTT Handshake"
        case .helloRetryRequest: "HelloRetryRequest"
        case .clientAuthentication: "Client Authentication"
        case .compatibilityMode: "Compatibility Mode"
        }
    }

    public var description: String { "RFC 8448 §\(rawValue)" }

    /// The section numbers the tools accept, for usage texts ("3, 5").
    public static var numbers: String { allCases.map { "\($0.rawValue)" }.joined(separator: ", ") }
}

/// An RFC 8448 example trace as a client and a server configuration (`--rfc8448 N`): with
/// them, our two sides exchange exactly the RFC's messages and records.
///
/// Everything comes from the RFC's own values (`RFC8448Inputs`, copied from its text):
///
/// - each side's hello random and key share private keys (x25519 in §3; in §5 the client's
///   x25519 and, after the HelloRetryRequest, P-256 keys, and the server's P-256 key);
/// - the client's ClientHello as the RFC prints it: its cipher suites, its empty
///   legacy_session_id (no middlebox compatibility mode) and its extensions, in order (in §5 the
///   second ClientHello's too, with the cookie and padding where the RFC has them);
/// - in §5, the server's preference for P-256 and the cookie of its HelloRetryRequest;
/// - the server's RSA-1024 key (§2) and the certificate inside the RFC's Certificate message;
/// - the server's EncryptedExtensions;
/// - the PSS salt of the RFC's CertificateVerify, recovered from its signature
///   (`PSSSaltRecovery`), so our signature is the RFC's;
/// - in §3, the NewSessionTicket the server sends after the handshake and the 50 bytes of
///   application data each side sends (§5 closes right after the handshake).
///
/// The RFC's certificate is self-signed and expired on 2026-07-30, so the client pins it
/// (`CertificateVerification.pinned`) instead of checking a chain and dates.
public struct RFC8448Profile: Sendable {
    public let section: RFC8448Section
    public let clientHello: ClientHello
    public let clientPrivateKey: [UInt8]
    /// §5: what the HelloRetryRequest changes.
    public let retry: Retry?
    public let serverGroups: [NamedGroup]
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
    /// The salt recovered from an RSA-PSS signature (§3, §5, §7); empty when the signature is
    /// replayed because the RFC withholds the key (§6's ECDSA server certificate).
    public let signatureSalt: [UInt8]
    /// §6: the server's CertificateVerify, replayed (its private key is not in the RFC).
    public let replayedServerCertificateVerify: CertificateVerify?
    /// §6: the CertificateRequest's extensions, and the client's certificate and its
    /// CertificateVerify, replayed (the client's private key is not in the RFC either).
    public let certificateRequestExtensions: [Extension]?
    public let clientCertificate: [UInt8]?
    public let replayedClientCertificateVerify: CertificateVerify?
    public let newSessionTicket: NewSessionTicket?
    public let clientApplicationData: [UInt8]
    public let serverApplicationData: [UInt8]
    /// §4: the client's 0-RTT data, the session it resumes (§3's ticket and PSK), and how the
    /// server takes that ticket.
    public var earlyData: [UInt8] = []
    public var session: ResumptionSession?
    public var replayedTicket: ReplayedTicket?

    /// RFC 8448 §5: the server's HelloRetryRequest and the client's answer to it.
    public struct Retry: Sendable {
        public let cookie: [UInt8]
        public let clientPrivateKey: [UInt8]
        public let clientHello: ClientHello
    }

    /// The messages and keys every section has: the two hellos, their private keys, and
    /// EncryptedExtensions.
    private struct Hellos {
        let clientHello: ClientHello
        let clientPrivateKey: [UInt8]
        let serverHello: ServerHello
        let serverPrivateKey: [UInt8]
        let encryptedExtensions: [Extension]

        init<Inputs: RFC8448HelloInputs>(_: Inputs.Type) throws {
            guard case .clientHello(let hello) = try RFC8448Profile.message(Inputs.clientHello),
                  case .serverHello(let serverHello) = try RFC8448Profile.message(Inputs.serverHello),
                  case .encryptedExtensions(let encryptedExtensions) = try RFC8448Profile.message(Inputs.encryptedExtensions) else {
                throw RFC8448ProfileError("an RFC 8448 hello or EncryptedExtensions is not the message it should be")
            }
            clientHello = hello
            clientPrivateKey = try RFC8448Profile.bytes(Inputs.clientPrivateKey)
            self.serverHello = serverHello
            serverPrivateKey = try RFC8448Profile.bytes(Inputs.serverPrivateKey)
            self.encryptedExtensions = encryptedExtensions.extensions
        }

        var fields: (ClientHello, [UInt8], [UInt8], CipherSuite, [UInt8], [Extension]) {
            (clientHello, clientPrivateKey, serverHello.random, serverHello.cipherSuite, serverPrivateKey, encryptedExtensions)
        }
    }

    public init(section: RFC8448Section = .simple1RTT) throws {
        self.section = section
        let key = try Self.rsaKey()
        switch section {
        case .simple1RTT:
            typealias Inputs = RFC8448Inputs
            let hellos = try Hellos(Inputs.self)
            guard case .newSessionTicket(let ticket) = try Self.message(Inputs.newSessionTicket) else {
                throw RFC8448ProfileError("an RFC 8448 §3 message is not the message it should be")
            }
            (clientHello, clientPrivateKey, serverRandom, serverCipherSuite, serverPrivateKey, encryptedExtensions) = hellos.fields
            retry = nil
            serverGroups = [.x25519]
            (certificate, signature, signatureSalt) = try Self.authentication(Inputs.certificate, Inputs.certificateVerify, key: key)
            newSessionTicket = ticket
            (replayedServerCertificateVerify, certificateRequestExtensions, clientCertificate, replayedClientCertificateVerify) = (nil, nil, nil, nil)
            clientApplicationData = try Self.bytes(Inputs.clientApplicationData)
            serverApplicationData = try Self.bytes(Inputs.serverApplicationData)
        case .helloRetryRequest:
            typealias Inputs = RFC8448Section5Inputs
            let hellos = try Hellos(Inputs.self)
            guard case .helloRetryRequest(let request) = try Self.message(Inputs.helloRetryRequest),
                  case .clientHello(let retryHello) = try Self.message(Inputs.retryClientHello),
                  let cookie = try request.extensions.decode(.cookie, as: Cookie.self),
                  let selected = try request.extensions.decode(.keyShare, as: KeyShareHelloRetryRequest.self) else {
                throw RFC8448ProfileError("an RFC 8448 §5 message is not the message it should be")
            }
            guard KeyExchangeGroups.named(selected.selectedGroup) != nil else {
                throw RFC8448ProfileError("§5 needs \(selected.selectedGroup), which this build does not implement")
            }
            (clientHello, clientPrivateKey, serverRandom, serverCipherSuite, serverPrivateKey, encryptedExtensions) = hellos.fields
            retry = Retry(cookie: cookie.cookie, clientPrivateKey: try Self.bytes(Inputs.clientRetryPrivateKey), clientHello: retryHello)
            // The server prefers the group its HelloRetryRequest asks for.
            let offered = try hellos.clientHello.extensions.decode(.supportedGroups, as: NamedGroupList.self)?.namedGroupList ?? []
            serverGroups = [selected.selectedGroup] + offered.filter { $0 != selected.selectedGroup }
            (certificate, signature, signatureSalt) = try Self.authentication(Inputs.certificate, Inputs.certificateVerify, key: key)
            newSessionTicket = nil
            (replayedServerCertificateVerify, certificateRequestExtensions, clientCertificate, replayedClientCertificateVerify) = (nil, nil, nil, nil)
            clientApplicationData = []
            serverApplicationData = []
        case .clientAuthentication:
            typealias Inputs = RFC8448Section6Inputs
            let hellos = try Hellos(Inputs.self)
            guard case .certificateRequest(let request) = try Self.message(Inputs.certificateRequest),
                  case .certificate(let serverCertificate) = try Self.message(Inputs.certificate),
                  let serverLeaf = serverCertificate.certificateList.first,
                  case .certificateVerify(let serverVerify) = try Self.message(Inputs.certificateVerify),
                  case .certificate(let clientCertificateMessage) = try Self.message(Inputs.clientCertificate),
                  let clientLeaf = clientCertificateMessage.certificateList.first,
                  case .certificateVerify(let clientVerify) = try Self.message(Inputs.clientCertificateVerify) else {
                throw RFC8448ProfileError("an RFC 8448 §6 message is not the message it should be")
            }
            (clientHello, clientPrivateKey, serverRandom, serverCipherSuite, serverPrivateKey, encryptedExtensions) = hellos.fields
            retry = nil
            serverGroups = [.x25519]
            certificate = serverLeaf.certData
            signature = serverVerify.signature
            signatureSalt = []
            replayedServerCertificateVerify = serverVerify
            certificateRequestExtensions = request.extensions
            clientCertificate = clientLeaf.certData
            replayedClientCertificateVerify = clientVerify
            newSessionTicket = nil
            clientApplicationData = []
            serverApplicationData = []
        case .resumed0RTT:
            typealias Inputs = RFC8448Section4Inputs
            let hellos = try Hellos(Inputs.self)
            guard case .newSessionTicket(let ticket) = try Self.message(RFC8448Inputs.newSessionTicket),
                  let offered = try hellos.clientHello.extensions.decode(.preSharedKey, as: PreSharedKeyClientHello.self),
                  let identity = offered.identities.first else {
                throw RFC8448ProfileError("an RFC 8448 §4 message is not the message it should be")
            }
            (clientHello, clientPrivateKey, serverRandom, serverCipherSuite, serverPrivateKey, encryptedExtensions) = hellos.fields
            retry = nil
            serverGroups = [.x25519]
            // §3's server authenticated §3; here the PSK does, so no certificate is sent. The
            // §3 certificate stays pinned for a server that would not resume.
            (certificate, signature, signatureSalt) = try Self.authentication(RFC8448Inputs.certificate, RFC8448Inputs.certificateVerify, key: key)
            (replayedServerCertificateVerify, certificateRequestExtensions, clientCertificate, replayedClientCertificateVerify) = (nil, nil, nil, nil)
            newSessionTicket = nil
            clientApplicationData = try Self.bytes(Inputs.clientApplicationData)
            serverApplicationData = try Self.bytes(Inputs.serverApplicationData)
            earlyData = try Self.bytes(Inputs.earlyData)
            // The ticket's PSK is §3's resumption secret; its age, as the RFC's client reports
            // it, is what our clock says (the RFC does not say when §3 ran).
            let psk = try Self.bytes(Inputs.psk)
            let maxEarly = try ticket.extensions.decode(.earlyData, as: EarlyDataIndication.self)?.maxEarlyDataSize ?? 0
            let age = UInt64(identity.obfuscatedTicketAge &- ticket.ticketAgeAdd)
            session = ResumptionSession(cipherSuite: hellos.serverHello.cipherSuite, psk: psk, ticket: ticket.ticket,
                                        ticketAgeAdd: ticket.ticketAgeAdd, ticketLifetime: ticket.ticketLifetime,
                                        receivedAtMilliseconds: Self.ticketIssuedAt, maxEarlyDataSize: maxEarly,
                                        serverName: "server", applicationProtocol: nil)
            replayedTicket = ReplayedTicket(ticket: ticket.ticket, contents: TicketContents(
                cipherSuite: hellos.serverHello.cipherSuite, issuedAtMilliseconds: Self.ticketIssuedAt, ticketAgeAdd: ticket.ticketAgeAdd,
                ticketLifetime: ticket.ticketLifetime, maxEarlyDataSize: maxEarly, psk: psk))
            resumedAt = Self.ticketIssuedAt + age
        case .compatibilityMode:
            typealias Inputs = RFC8448Section7Inputs
            let hellos = try Hellos(Inputs.self)
            (clientHello, clientPrivateKey, serverRandom, serverCipherSuite, serverPrivateKey, encryptedExtensions) = hellos.fields
            retry = nil
            serverGroups = [.x25519]
            (certificate, signature, signatureSalt) = try Self.authentication(Inputs.certificate, Inputs.certificateVerify, key: key)
            (replayedServerCertificateVerify, certificateRequestExtensions, clientCertificate, replayedClientCertificateVerify) = (nil, nil, nil, nil)
            newSessionTicket = nil
            clientApplicationData = []
            serverApplicationData = []
        }
        serverKey = key
    }

    /// The RFC's client: its random, key shares and ClientHellos; it pins the RFC's certificate.
    public func clientConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = clientHello.cipherSuites
        configuration.helloRandom = clientHello.random
        let groups = (try? clientHello.extensions.decode(.supportedGroups, as: NamedGroupList.self))??.namedGroupList ?? []
        let shares = (try? clientHello.extensions.decode(.keyShare, as: KeyShareClientHello.self))??.clientShares ?? []
        configuration.groups = groups
        configuration.keyShareGroups = shares.map(\.group)
        configuration.keySharePrivateKey = clientPrivateKey
        configuration.middleboxCompatibility = !clientHello.legacySessionID.isEmpty
        configuration.legacySessionID = clientHello.legacySessionID
        configuration.clientHelloExtensions = clientHello.extensions
        configuration.retryKeySharePrivateKey = retry?.clientPrivateKey
        configuration.retryClientHelloExtensions = retry?.clientHello.extensions
        configuration.certificateVerification = .pinned(der: certificate)
        if let session {
            configuration.resumptionSession = session
            configuration.earlyData = earlyData
            let now = resumedAt
            configuration.clock = { now }
        }
        if let clientCertificate, let replayedClientCertificateVerify {
            configuration.certificateChain = [clientCertificate]
            configuration.replayedCertificateVerify = replayedClientCertificateVerify
        }
        return configuration
    }

    /// The RFC's server: its random, group preference, key share, cookie, certificate and key,
    /// EncryptedExtensions, PSS salt and NewSessionTicket. It prefers the suite the RFC's server chose.
    public func serverConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = [serverCipherSuite] + configuration.cipherSuites.filter { $0 != serverCipherSuite }
        configuration.groups = serverGroups
        configuration.helloRandom = serverRandom
        configuration.keySharePrivateKey = serverPrivateKey
        configuration.helloRetryCookie = retry?.cookie
        configuration.certificateChain = [certificate]
        if let replayedServerCertificateVerify {
            configuration.replayedCertificateVerify = replayedServerCertificateVerify
        } else {
            configuration.privateKey = .rsa(serverKey)
            configuration.signatureSalt = signatureSalt
        }
        configuration.encryptedExtensions = encryptedExtensions
        configuration.newSessionTicket = newSessionTicket
        if let replayedTicket {
            configuration.replayedTicket = replayedTicket
            configuration.maxEarlyDataSize = replayedTicket.contents.maxEarlyDataSize
            configuration.strikeRegister = StrikeRegister()
            let now = resumedAt
            configuration.clock = { now }
        }
        if let clientCertificate {
            // §6: the RFC's CertificateRequest, and its client's self-signed certificate pinned.
            configuration.clientAuthentication = .require
            configuration.certificateRequestExtensions = certificateRequestExtensions
            configuration.certificateVerification = .pinned(der: clientCertificate)
        }
        return configuration
    }

    /// The whole section in memory: handshake (§3: ticket and 50 bytes each way), close_notify each way.
    public func reproduce(traces: [TracedExchange.Trace], style: TextStyle = .plain,
                          capture: TCPCapture = TCPCapture(), observe: (@Sendable (Side, TLSEvent) -> Void)? = nil) throws -> TracedExchange.Output {
        try TracedExchange.run(client: clientConfiguration(), server: serverConfiguration(),
                               clientData: clientApplicationData, serverData: serverApplicationData,
                               traces: traces, style: style, capture: capture, observe: observe)
    }

    /// What the tools print when they start in this mode.
    public var clientNotice: String {
        if session != nil {
            return "--rfc8448: replaying \(section) with the RFC's inputs: §3's ticket and PSK, the RFC's ClientHello with its binder recomputed, and its 6 bytes of 0-RTT data"
        }
        let signature = clientCertificate == nil ? ""
            : "; our CertificateVerify is the RFC's, replayed, since the RFC withholds the client's RSA key (it is checked with the certificate's public key before it goes out)"
        return "--rfc8448: replaying \(section) with the RFC's inputs; the server's certificate is pinned to the RFC's (self-signed, expired 2026-07-30), so no chain or date is checked\(signature)"
    }
    public var serverNotice: String {
        if replayedTicket != nil {
            return "--rfc8448: replaying \(section) with the RFC's inputs (random, key share, §3's ticket taken as sealed by us, its PSK, 0-RTT allowed); expects the RFC's client"
        }
        let authentication = replayedServerCertificateVerify == nil ? "RSA key, certificate, PSS salt"
            : "ECDSA certificate, CertificateRequest; the CertificateVerify is the RFC's, replayed, since the RFC withholds the server's P-256 key (it is checked with the certificate's public key before it goes out), and the client's certificate is pinned"
        return "--rfc8448: replaying \(section) with the RFC's inputs (random, key share\(retry == nil ? "" : ", group preference, cookie"), \(authentication)\(newSessionTicket == nil ? "" : ", ticket")); expects the RFC's client"
    }

    /// §4: when §3's ticket was issued, on our clock, and when §4 resumes with it.
    static let ticketIssuedAt: UInt64 = 1_548_000_000_000
    public var resumedAt: UInt64 = 0

    /// RFC 8448 §2's RSA key, the certificate's.
    private static func rsaKey() throws -> RSAPrivateKey {
        typealias Inputs = RFC8448Inputs
        return try RSAPrivateKey(
            modulus: BigUInt(bigEndianBytes: try bytes(Inputs.rsaModulus)),
            publicExponent: BigUInt(bigEndianBytes: try bytes(Inputs.rsaPublicExponent)),
            privateExponent: BigUInt(bigEndianBytes: try bytes(Inputs.rsaPrivateExponent)),
            prime1: BigUInt(bigEndianBytes: try bytes(Inputs.rsaPrime1)),
            prime2: BigUInt(bigEndianBytes: try bytes(Inputs.rsaPrime2)),
            exponent1: BigUInt(bigEndianBytes: try bytes(Inputs.rsaExponent1)),
            exponent2: BigUInt(bigEndianBytes: try bytes(Inputs.rsaExponent2)),
            coefficient: BigUInt(bigEndianBytes: try bytes(Inputs.rsaCoefficient)))
    }

    /// The leaf of the RFC's Certificate message, and its CertificateVerify signature with the
    /// salt recovered from it.
    private static func authentication(_ certificateHex: String, _ certificateVerifyHex: String,
                                       key: RSAPrivateKey) throws -> (certificate: [UInt8], signature: [UInt8], salt: [UInt8]) {
        guard case .certificate(let certificateMessage) = try message(certificateHex),
              let leaf = certificateMessage.certificateList.first,
              case .certificateVerify(let certificateVerify) = try message(certificateVerifyHex) else {
            throw RFC8448ProfileError("an RFC 8448 Certificate or CertificateVerify is not the message it should be")
        }
        guard certificateVerify.algorithm == .rsaPSSRSAESHA256 else {
            throw RFC8448ProfileError("the RFC's CertificateVerify is not rsa_pss_rsae_sha256")
        }
        let salt = try PSSSaltRecovery.salt(of: certificateVerify.signature, key: key.publicKey,
                                            hash: SHA256.self, saltLength: SHA256.digestByteCount)
        return (leaf.certData, certificateVerify.signature, salt)
    }

    fileprivate static func bytes(_ hex: String) throws -> [UInt8] {
        guard let bytes = [UInt8](hex: hex) else { throw RFC8448ProfileError("not hex: \(hex.prefix(20))…") }
        return bytes
    }

    fileprivate static func message(_ hex: String) throws -> HandshakeMessage {
        try HandshakeMessage(decoding: try bytes(hex), finishedLength: SHA256.digestByteCount)
    }
}

/// The embedded RFC values do not make a profile (only a damaged build can cause this).
public struct RFC8448ProfileError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// What every RFC 8448 section's inputs provide (RFC8448Inputs*.swift): the hellos, their
/// private keys, and EncryptedExtensions, each in the RFC's hex.
protocol RFC8448HelloInputs {
    static var clientHello: String { get }
    static var clientPrivateKey: String { get }
    static var serverHello: String { get }
    static var serverPrivateKey: String { get }
    static var encryptedExtensions: String { get }
}

extension RFC8448Inputs: RFC8448HelloInputs {}
extension RFC8448Section4Inputs: RFC8448HelloInputs {}
extension RFC8448Section5Inputs: RFC8448HelloInputs {}
extension RFC8448Section6Inputs: RFC8448HelloInputs {}
extension RFC8448Section7Inputs: RFC8448HelloInputs {}
