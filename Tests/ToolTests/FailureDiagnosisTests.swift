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
                                           peerFirstBytes: Array(request.prefix(64)), handshakeComplete: false)
        #expect(lines.first?.hasPrefix("the client's first 64 bytes (expected a ClientHello") == true)
        #expect(lines.contains("  0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  |GET / HTTP/1.1..|"))
        #expect(lines.count == 1 + 4 + 1)
        #expect(lines.last?.hasPrefix("this looks like HTTP: is the peer speaking TLS?") == true)
    }

    @Test("handshake_failure: the offer is listed; a peer's alert says the peer refused it")
    func handshakeFailure() {
        let received = FailureDiagnosis.lines(for: .tls(TLSError(.handshakeFailure, "", origin: .peer)), side: .client,
                                              configuration: configuration, peerFirstBytes: [0x15, 0x03, 0x03], handshakeComplete: false)
        #expect(received.first == "we offered cipher suites: TLS_AES_256_GCM_SHA384 (0x1302)")
        #expect(received.last?.hasPrefix("the server found nothing it accepts") == true)
        let sent = FailureDiagnosis.lines(for: .tls(TLSError(.handshakeFailure, "no cipher suite in common")), side: .server,
                                          configuration: configuration, peerFirstBytes: [0x16], handshakeComplete: false)
        #expect(sent.first == "we support cipher suites: TLS_AES_256_GCM_SHA384 (0x1302)")
        #expect(sent.count == 2)
    }

    @Test("Nothing to add once the handshake is complete, or for a lost connection")
    func nothingToAdd() {
        #expect(FailureDiagnosis.lines(for: .tls(TLSError(.decodeError, "x")), side: .client, configuration: configuration,
                                       peerFirstBytes: [1, 2, 3], handshakeComplete: true).isEmpty)
        #expect(FailureDiagnosis.lines(for: .connectionLost("gone"), side: .client, configuration: configuration,
                                       peerFirstBytes: [1, 2, 3], handshakeComplete: false).isEmpty)
    }
}
