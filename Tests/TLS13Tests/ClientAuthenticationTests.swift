import Foundation
import Testing
import TLS13
import TLSCrypto

extension TestPKI {
    static func clientCertificateDER() throws -> [UInt8] { try der("client.crt") }
    static func clientKey() throws -> CertificatePrivateKey { try CertificatePrivateKey(pem: try pem("client.key")) }
}

/// RFC 8446 §4.3.2, §4.4.2, §4.4.3 and §4.6.2: client certificates, in memory.
@Suite("Client authentication in memory")
struct ClientAuthenticationTests {
    /// A client holding cert/client.crt, a server asking with `policy` and trusting cert/ca.crt.
    static func pair(policy: ClientAuthentication, clientHasCertificate: Bool = true,
                     client: (inout TLSConfiguration) throws -> Void = { _ in }) throws -> ConnectionPair {
        try ConnectionPair(chunkSize: 7, client: {
            if clientHasCertificate {
                $0.certificateChain = [try TestPKI.clientCertificateDER()]
                $0.privateKey = try TestPKI.clientKey()
            }
            try client(&$0)
        }, server: {
            $0.clientAuthentication = policy
            $0.trustAnchors = [try TestPKI.caCertificate()]
        })
    }

    static func handshakeMessages(_ log: EventLog, _ direction: Direction) -> [HandshakeType] {
        log.events.compactMap { if case .handshakeMessage(direction, let type, _, _) = $0 { return type } else { return nil } }
    }

    @Test("--verify-client: CertificateRequest, the client's Certificate and CertificateVerify (client context string), both Finished")
    func requiredAndSent() throws {
        let pair = try Self.pair(policy: .require)
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        #expect(Self.handshakeMessages(pair.serverLog, .sent) == [.serverHello, .encryptedExtensions, .certificateRequest, .certificate, .certificateVerify, .finished])
        #expect(Self.handshakeMessages(pair.clientLog, .sent) == [.clientHello, .certificate, .certificateVerify, .finished])
        let verified = pair.serverLog.events.compactMap { event -> ([UInt8], Bool?)? in
            if case .certificateVerify(_, let content, _, let verified?) = event { return (content, verified) } else { return nil }
        }
        #expect(verified.count == 1)
        #expect(verified.first?.1 == true)
        #expect(verified.first.map { Array($0.0[64..<97]) } == Array("TLS 1.3, client CertificateVerify".utf8))
        #expect(pair.serverLog.checks.allSatisfy { $0.1 }, "\(pair.serverLog.checks.filter { !$0.1 })")
        #expect(pair.serverLog.checks.contains { $0.0 == "the certificate is for TLS clients (extKeyUsage clientAuth)" })
        try pair.client.send([1, 2, 3])
        try pair.pump()
        #expect(pair.server.takeApplicationData() == [1, 2, 3])
    }

    @Test("the request names the CA (certificate_authorities, RFC 8446 §4.2.4) and our signature schemes")
    func requestContents() throws {
        let pair = try Self.pair(policy: .request)
        try pair.handshake()
        let request = try #require(pair.serverLog.events.compactMap { event -> [UInt8]? in
            if case .handshakeMessage(.sent, .certificateRequest, let bytes, _) = event { return bytes } else { return nil }
        }.first)
        guard case .certificateRequest(let decoded) = try HandshakeMessage(decoding: request, finishedLength: 32) else {
            Issue.record("not a CertificateRequest")
            return
        }
        #expect(decoded.certificateRequestContext.isEmpty)
        let names = try decoded.extensions.decode(.certificateAuthorities, as: CertificateAuthorities.self)?.authorities
        #expect(names == [try TestPKI.caCertificate().subject.der])
        #expect(try decoded.extensions.decode(.signatureAlgorithms, as: SignatureSchemeList.self) != nil)
    }

    @Test("--verify-client and a client without a certificate: an empty Certificate, answered with certificate_required (RFC 8446 §4.4.2.4)")
    func requiredAndMissing() throws {
        let pair = try Self.pair(policy: .require, clientHasCertificate: false)
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(pair.serverLog.sentAlerts == [.certificateRequired])
        #expect(Self.handshakeMessages(pair.clientLog, .sent) == [.clientHello, .certificate, .finished])
    }

    @Test("--request-client-cert and a client without a certificate: the handshake completes, anonymous")
    func requestedAndMissing() throws {
        let pair = try Self.pair(policy: .request, clientHasCertificate: false)
        try pair.handshake()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.serverLog.events.contains { if case .note(let text) = $0 { text.contains("stays anonymous") } else { false } })
    }

    @Test("a client certificate no trusted CA issued → unknown_ca")
    func untrusted() throws {
        let pair = try ConnectionPair(client: {
            $0.certificateChain = [try TestPKI.clientCertificateDER()]
            $0.privateKey = try TestPKI.clientKey()
        }, server: {
            $0.clientAuthentication = .require
            $0.trustAnchors = [try Certificate(der: try TestPKI.der("server-ecdsa.crt"))]
        })
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(pair.serverLog.sentAlerts == [.unknownCA])
    }

    @Test("a server certificate offered as a client certificate (extKeyUsage serverAuth only) → bad_certificate")
    func serverCertificateAsClient() throws {
        let pair = try Self.pair(policy: .require, client: {
            $0.certificateChain = [try TestPKI.der("server-ecdsa.crt")]
            $0.privateKey = try CertificatePrivateKey(pem: try TestPKI.pem("server-ecdsa.key"))
        })
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(pair.serverLog.sentAlerts == [.badCertificate])
        #expect(pair.serverLog.checks.contains { $0.0 == "the certificate is for TLS clients (extKeyUsage clientAuth)" && !$0.1 })
    }

    @Test("a client CertificateVerify made with another key → decrypt_error (RFC 8446 §4.4.3)")
    func wrongKey() throws {
        let pair = try Self.pair(policy: .require, client: { $0.privateKey = .rsa(try TestPKI.serverKey()) })
        #expect(throws: TLSError.self) { try pair.handshake() }
        #expect(pair.serverLog.sentAlerts == [.decryptError])
    }

    @Test("post-handshake authentication (RFC 8446 §4.6.2): offered with a certificate, asked, answered, checked")
    func postHandshake() throws {
        let pair = try Self.pair(policy: .none)
        try pair.handshake()
        #expect(pair.server.clientCertificateRequestRefusal == nil)
        try pair.server.requestClientCertificate()
        #expect(pair.server.clientCertificateRequestRefusal != nil, "one request at a time")
        try pair.pump()
        #expect(pair.server.clientCertificateRequestRefusal == nil)
        let afterHandshake = Array(Self.handshakeMessages(pair.clientLog, .sent).suffix(3))
        #expect(afterHandshake == [.certificate, .certificateVerify, .finished])
        #expect(pair.serverLog.checks.contains { $0.0.hasPrefix("client's post-handshake Finished") && $0.1 })
        #expect(pair.serverLog.sentAlerts.isEmpty)
        // Twice: each request has its own context and starts from the handshake's transcript.
        try pair.server.requestClientCertificate()
        try pair.pump()
        #expect(pair.serverLog.checks.filter { $0.0.hasPrefix("client's post-handshake Finished") && $0.1 }.count == 2)
        try pair.server.send([9])
        try pair.pump()
        #expect(pair.client.takeApplicationData() == [9])
    }

    @Test("a client without a certificate does not offer post_handshake_auth, and the server may not ask (RFC 8446 §4.2.6)")
    func postHandshakeNotOffered() throws {
        let pair = try Self.pair(policy: .none, clientHasCertificate: false)
        try pair.handshake()
        #expect(pair.server.clientCertificateRequestRefusal?.contains("post_handshake_auth") == true)
        #expect(throws: TLSError.self) { try pair.server.requestClientCertificate() }
        // The refusal leaves the connection working.
        try pair.server.send([1])
        try pair.pump()
        #expect(pair.client.takeApplicationData() == [1])
    }

    @Test("post-handshake authentication with an untrusted client certificate → unknown_ca")
    func postHandshakeUntrusted() throws {
        let pair = try ConnectionPair(client: {
            $0.certificateChain = [try TestPKI.clientCertificateDER()]
            $0.privateKey = try TestPKI.clientKey()
        }, server: { $0.trustAnchors = [try Certificate(der: try TestPKI.der("server-ecdsa.crt"))] })
        try pair.handshake()
        try pair.server.requestClientCertificate()
        #expect(throws: TLSError.self) { try pair.pump() }
        #expect(pair.serverLog.sentAlerts == [.unknownCA])
    }
}
