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

    /// RFC 8446 §5.1: legacy_record_version "MUST be ignored for all purposes".
    @Test("RFC 8446 §5.1: a record version of 03 00 around a TLS 1.2-style ClientHello is no sign of SSL 3.0")
    func recordVersionIgnored() throws {
        let hello: [UInt8] = [0x16, 0x03, 0x00, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x03] + [UInt8](repeating: 0xaa, count: 32)
        for alert in [AlertDescription.decodeError, .protocolVersion] {
            let lines = FailureDiagnosis.lines(for: .tls(TLSError(alert, "")), side: .server, configuration: configuration,
                                               peerFirstBytes: hello, peerFirstMessageParsed: false, handshakeComplete: false)
            #expect(lines.first?.hasPrefix("the client's first 43 bytes") == true)
            #expect(!lines.contains { $0.contains("SSL 3.0") }, "\(alert)")
            #expect(lines.count == 1 + 3)
        }
        // The same through a server: the record decodes, and the real ClientHello inside is refused
        // for what it is, not for its record version.
        var (clientHello, server) = try Self.clientHelloAndServer()
        clientHello[2] = 0x00
        let (_, lines) = serverDiagnosis(of: clientHello + [0x16, 0x03, 0x03, 0x00, 0x04, 0x14, 0xff, 0xff, 0xff], server: server)
        #expect(server.decodedPeerHandshakeMessage)
        #expect(!lines.contains { $0.contains("SSL 3.0") })
    }

    /// RFC 8446 Appendix D.5: "Any endpoint receiving a Hello message with
    /// ClientHello.legacy_version ... set to 0x0300 MUST abort the handshake with a
    /// "protocol_version" alert."
    @Test("RFC 8446 Appendix D.5: a ClientHello with legacy_version 03 00 is named as SSL 3.0, without a hexdump")
    func sslThreeClientHello() throws {
        var (clientHello, server) = try Self.clientHelloAndServer()
        #expect(Array(clientHello[9...10]) == [0x03, 0x03])
        clientHello[10] = 0x00
        let (error, lines) = serverDiagnosis(of: clientHello, server: server)
        #expect(error?.alert == .protocolVersion)
        #expect(server.decodedPeerHandshakeMessage)
        #expect(lines == ["the client's ClientHello has legacy_version 03 00 (SSL 3.0), which RFC 8446 Appendix D.5 refuses "
                          + "with protocol_version: a TLS 1.3 client sends 03 03 there and lists 03 04 in supported_versions (§4.2.1)"])
    }

    @Test("Short or fragmented first bytes never crash the SSL 3.0 check, and never name SSL 3.0 before legacy_version is there")
    func shortInput() {
        let hello: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03, 0x00]
        for count in 0...hello.count {
            let lines = FailureDiagnosis.lines(for: .tls(TLSError(.protocolVersion, "")), side: .server, configuration: configuration,
                                               peerFirstBytes: Array(hello.prefix(count)), peerFirstMessageParsed: true, handshakeComplete: false)
            #expect(lines.count == (count == hello.count ? 1 : 0), "\(count) bytes")
        }
        // A first record too short to hold legacy_version: its bytes 9-10 belong to another record.
        var fragmented = hello
        fragmented[4] = 0x05
        #expect(FailureDiagnosis.lines(for: .tls(TLSError(.protocolVersion, "")), side: .server, configuration: configuration,
                                       peerFirstBytes: fragmented, peerFirstMessageParsed: true, handshakeComplete: false).isEmpty)
    }
}
