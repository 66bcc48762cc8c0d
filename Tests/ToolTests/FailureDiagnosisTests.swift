import Foundation
import Testing
import TLS13
import TLSTool

/// Issue 12, "Diagnosable failures".
@Suite("Failure diagnosis")
struct FailureDiagnosisTests {
    let configuration: TLSConfiguration = {
        var configuration = TLSConfiguration()
        configuration.cipherSuites = [.aes256GCMSHA384]
        return configuration
    }()

    @Test("An HTTP request where a ClientHello belongs: its bytes, what was expected, and the guess")
    func httpToTLSServer() {
        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/8\r\nAccept: */*\r\n\r\n".utf8)
        let lines = FailureDiagnosis.lines(for: .tls(TLSError(.unexpectedMessage, "record of unknown content type 71")),
                                           side: .server, configuration: configuration,
                                           peerFirstBytes: Array(request.prefix(64)), peerFirstMessageParsed: false,
                                           handshakeComplete: false)
        #expect(lines.first?.hasPrefix("the client's first 64 bytes (expected a ClientHello") == true)
        #expect(lines.contains("  0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|"))
        #expect(lines.count == 1 + 4 + 1)
        #expect(lines.last?.hasPrefix("this looks like HTTP: is the peer speaking TLS?") == true)
    }

    @Test("handshake_failure: the offer is listed; a peer's alert says the peer refused it")
    func handshakeFailure() {
        let received = FailureDiagnosis.lines(for: .tls(TLSError(.handshakeFailure, "", origin: .peer)), side: .client,
                                              configuration: configuration, peerFirstBytes: [0x15, 0x03, 0x03],
                                              peerFirstMessageParsed: false, handshakeComplete: false)
        #expect(received.first == "we offered cipher suites: TLS_AES_256_GCM_SHA384 (0x1302)")
        #expect(received.last?.hasPrefix("the server found nothing it accepts") == true)
        let sent = FailureDiagnosis.lines(for: .tls(TLSError(.handshakeFailure, "no cipher suite in common")), side: .server,
                                          configuration: configuration, peerFirstBytes: [0x16],
                                          peerFirstMessageParsed: false, handshakeComplete: false)
        #expect(sent.first == "we support cipher suites: TLS_AES_256_GCM_SHA384 (0x1302)")
        #expect(sent.count == 2)
    }

    @Test("Nothing to add once the handshake is complete, or for a lost connection")
    func nothingToAdd() {
        #expect(FailureDiagnosis.lines(for: .tls(TLSError(.decodeError, "x")), side: .client, configuration: configuration,
                                       peerFirstBytes: [1, 2, 3], peerFirstMessageParsed: false, handshakeComplete: true).isEmpty)
        #expect(FailureDiagnosis.lines(for: .connectionLost("gone"), side: .client, configuration: configuration,
                                       peerFirstBytes: [1, 2, 3], peerFirstMessageParsed: false, handshakeComplete: false).isEmpty)
    }

    /// The client's real first flight (a ClientHello record, 16 03 01 ...), and a server to feed.
    static func clientHelloAndServer() throws -> (clientHello: [UInt8], server: TLSConnection) {
        let (client, server) = try Transcripts.deterministicConfigurations(locate: { ToolProcess.repositoryRoot.appendingPathComponent($0).path })
        let connection = TLSConnection(side: .client, configuration: client)
        try connection.start()
        return (connection.takeOutgoing(), TLSConnection(side: .server, configuration: server))
    }

    /// What the server says about the error `bytes` make it throw, as `TLSSession.diagnosis` does.
    func serverDiagnosis(of bytes: [UInt8], server: TLSConnection) -> (TLSError?, [String]) {
        do {
            try server.receive(bytes)
            return (nil, [])
        } catch {
            let failure = SessionFailure.tls(error as? TLSError ?? TLSError(.internalError, "\(error)"))
            return (error as? TLSError, FailureDiagnosis.lines(for: failure, side: .server, configuration: configuration,
                                                              peerFirstBytes: Array(bytes.prefix(FailureDiagnosis.shownByteCount)),
                                                              peerFirstMessageParsed: server.decodedPeerHandshakeMessage,
                                                              handshakeComplete: server.isHandshakeComplete))
        }
    }

    @Test("A local decode_error after the peer's first message parsed: no first bytes, no 'expected a ServerHello'")
    func failureAfterFirstMessage() {
        let serverHello: [UInt8] = [0x16, 0x03, 0x03, 0x00, 0x5a, 0x02, 0x00, 0x00, 0x56, 0x03, 0x03]
        let error = SessionFailure.tls(TLSError(.decodeError, "Finished of 16777215 bytes exceeds the limit of 65536 bytes"))
        #expect(FailureDiagnosis.lines(for: error, side: .client, configuration: configuration, peerFirstBytes: serverHello,
                                       peerFirstMessageParsed: true, handshakeComplete: false).isEmpty)
        let unparsed = FailureDiagnosis.lines(for: error, side: .client, configuration: configuration, peerFirstBytes: serverHello,
                                              peerFirstMessageParsed: false, handshakeComplete: false)
        #expect(unparsed.first == "the server's first 11 bytes (expected a ServerHello in a handshake record: 16 03 03, a 2-byte length, then 02):")
    }

    @Test("A server fed a real ClientHello, then a Finished announcing 2^24 - 1 bytes: the ClientHello parsed, no first bytes")
    func connectionAfterClientHello() throws {
        let (clientHello, server) = try Self.clientHelloAndServer()
        let (error, lines) = serverDiagnosis(of: clientHello + [0x16, 0x03, 0x03, 0x00, 0x04, 0x14, 0xff, 0xff, 0xff], server: server)
        #expect(server.decodedPeerHandshakeMessage)
        #expect(error?.origin == .local)
        #expect(error?.alert == .decodeError || error?.alert == .unexpectedMessage)
        #expect(lines.isEmpty)
    }

    @Test("A server fed an HTTP request: nothing parsed, so the first bytes and the HTTP guess")
    func connectionFedHTTP() throws {
        let (_, server) = try Self.clientHelloAndServer()
        let (error, lines) = serverDiagnosis(of: Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8), server: server)
        #expect(!server.decodedPeerHandshakeMessage)
        #expect(error?.alert == .unexpectedMessage)
        #expect(lines.first?.hasPrefix("the client's first 35 bytes (expected a ClientHello") == true)
        #expect(lines.last?.hasPrefix("this looks like HTTP: is the peer speaking TLS?") == true)
    }
}
