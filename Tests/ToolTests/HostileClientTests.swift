import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// One hostile answer to the ClientHello of tls13-client: the records a broken or malicious
/// server writes, and the alert RFC 8446 says the client must send.
struct HostileServerHello: Sendable, CustomTestStringConvertible {
    let name: String
    let alert: AlertDescription
    let reply: @Sendable (ClientHello) throws -> [UInt8]

    var testDescription: String { name }
}

/// Issue 5, "Proof", client side: a small server socket in the test plays the hostile server
/// against the built tls13-client, which must send the exact alert and exit with status 1.
@Suite("Hostile servers against tls13-client over sockets")
struct HostileClientTests {
    /// A ServerHello that would be fine but for what `edit` does to it.
    static func serverHello(_ hello: ClientHello, _ edit: (inout ServerHello) throws -> Void = { _ in }) throws -> [UInt8] {
        let publicKey = try X25519.publicKey(privateKey: [UInt8](repeating: 0x24, count: 32))
        var reply = ServerHello(random: [UInt8](repeating: 0x5e, count: 32), legacySessionIDEcho: hello.legacySessionID,
                                cipherSuite: .chacha20Poly1305SHA256, extensions: [
            try Extension(.keyShare, KeyShareServerHello(serverShare: KeyShareEntry(group: .x25519, keyExchange: publicKey))),
            try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
        ])
        try edit(&reply)
        return try Wire.handshakeRecord(.serverHello(reply))
    }

    static let answers: [HostileServerHello] = [
        HostileServerHello(name: "§4.1.3: a cipher suite the client did not offer", alert: .illegalParameter) { hello in
            try serverHello(hello) { $0.cipherSuite = .aes128CCMSHA256 }
        },
        HostileServerHello(name: "§4.2.1: supported_versions selects TLS 1.2", alert: .illegalParameter) { hello in
            try serverHello(hello) { $0.extensions[1] = try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls12)) }
        },
        HostileServerHello(name: "§4.2.1: no supported_versions (a TLS 1.2 server)", alert: .protocolVersion) { hello in
            try serverHello(hello) { $0.extensions.removeLast() }
        },
        HostileServerHello(name: "§4.1.3: legacy_session_id_echo is not what the client sent", alert: .illegalParameter) { hello in
            try serverHello(hello) { $0.legacySessionIDEcho[0] ^= 1 }
        },
        HostileServerHello(name: "§7.4.2: an x25519 share giving the all-zero secret", alert: .illegalParameter) { hello in
            try serverHello(hello) {
                $0.extensions[0] = try Extension(.keyShare, KeyShareServerHello(serverShare: KeyShareEntry(group: .x25519, keyExchange: [UInt8](repeating: 0, count: 32))))
            }
        },
        HostileServerHello(name: "§4: EncryptedExtensions instead of ServerHello", alert: .unexpectedMessage) { _ in
            try Wire.handshakeRecord(.encryptedExtensions(EncryptedExtensions(extensions: [])))
        },
        HostileServerHello(name: "§4.2.8: a HelloRetryRequest asking for x25519, whose share was sent", alert: .illegalParameter) { hello in
            try Wire.handshakeRecord(.helloRetryRequest(HelloRetryRequest(legacySessionIDEcho: hello.legacySessionID,
                                                                      cipherSuite: .chacha20Poly1305SHA256, extensions: [
                try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
                try Extension(.keyShare, KeyShareHelloRetryRequest(selectedGroup: .x25519)),
            ])))
        },
        HostileServerHello(name: "§5.1: a record of 2^14 + 1 bytes", alert: .recordOverflow) { _ in
            [22, 3, 3, 0x40, 0x01] + [UInt8](repeating: 0, count: 16)
        },
    ]

    /// Accepts tls13-client's connection and reads its ClientHello (one record).
    static func acceptClientHello(_ listener: TCPListener) throws -> (TCPSocket, record: [UInt8], ClientHello) {
        let socket = try listener.accept()
        var bytes: [UInt8] = []
        let deadline = ContinuousClock.now + .seconds(5)
        while bytes.count < 5 || bytes.count < 5 + (Int(bytes[3]) << 8 | Int(bytes[4])) {
            guard Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor) else {
                throw ProcessFailure("no ClientHello")
            }
            let chunk = try socket.read()
            guard !chunk.isEmpty else { throw ProcessFailure("the client hung up before its ClientHello") }
            bytes += chunk
        }
        guard case .clientHello(let hello) = try HandshakeMessage(decoding: Array(bytes[5...]), finishedLength: 32) else {
            throw ProcessFailure("the first record is no ClientHello")
        }
        return (socket, bytes, hello)
    }

    static func startClient(port: UInt16) throws -> ToolProcess {
        try ToolProcess.ours("tls13-client", ["--host", "127.0.0.1", "--port", "\(port)", "--quiet"])
    }

    @Test("a hostile ServerHello: the client sends the exact alert and exits 1", arguments: answers)
    func hostileServerHello(_ answer: HostileServerHello) throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let client = try Self.startClient(port: listener.port)
        let (socket, _, hello) = try Self.acceptClientHello(listener)
        defer { socket.close() }
        try socket.write(try answer.reply(hello))
        let (sent, _) = socket.readUntilClosed()
        #expect(Array(sent.suffix(7)) == Wire.plaintextAlert(answer.alert), "client sent: \(sent.hexString)")
        #expect(try client.waitForExit() == 1)
        #expect(client.stderrText.contains("alert sent"), "\(client.stderrText)")
    }

    @Test("""
        issue 11: a HelloRetryRequest whose 65,452-byte cookie fits the 64 KiB message cap but not \
        the second ClientHello (with server_name its extensions would be 65,545 bytes, over \
        <8..2^16-1>) → illegal_parameter (RFC 8446 §6.2: "inconsistent with other fields"), exit 1, no crash
        """)
    func cookieTooLongToEcho() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let client = try ToolProcess.ours("tls13-client", ["--host", "127.0.0.1", "--port", "\(listener.port)",
                                                            "--server-name", "localhost", "--quiet"])
        let (socket, _, hello) = try Self.acceptClientHello(listener)
        defer { socket.close() }
        let retry = HandshakeMessage.helloRetryRequest(HelloRetryRequest(legacySessionIDEcho: hello.legacySessionID,
                                                                         cipherSuite: .chacha20Poly1305SHA256, extensions: [
            try Extension(.supportedVersions, SupportedVersionsServerHello(selectedVersion: .tls13)),
            try Extension(.cookie, Cookie([UInt8](repeating: 0xc0, count: 65_452))),
        ]))
        var records = RecordLayer(events: EventSink(observer: nil), handshakeMessageSizeLimit: 1 << 16)
        try socket.write(try records.writeHandshake(try retry.encoded))
        let (sent, _) = socket.readUntilClosed()
        #expect(Array(sent.suffix(7)) == Wire.plaintextAlert(.illegalParameter), "client sent: \(sent.suffix(16).hexString)")
        #expect(try client.waitForExit() == 1)
        #expect(client.stderrText.contains("cookie"), "\(client.stderrText)")
    }

    /// Our own server engine, in this process, answering tls13-client: the test may rewrite
    /// the plaintext of its encrypted flight (it knows the keys from the server's events).
    final class TamperingServer {
        let listener: TCPListener
        let recorder = EventRecorder()
        let connection: TLSConnection
        var socket: TCPSocket?

        /// `ecdsa`: with cert/server-ecdsa.crt and its P-256 key instead of the RSA pair.
        init(ecdsa: Bool = false) throws {
            listener = try TCPListener(host: "127.0.0.1", port: 0)
            var configuration = TLSConfiguration()
            if ecdsa {
                let credentials = try ServerCredentials.load(
                    certificatePath: ToolProcess.repositoryRoot.appendingPathComponent("cert/server-ecdsa.crt").path,
                    keyPath: ToolProcess.repositoryRoot.appendingPathComponent("cert/server-ecdsa.key").path)
                configuration.certificateChain = credentials.certificateChain
                configuration.privateKey = credentials.privateKey
            } else {
                let (chain, key) = try Wire.serverCredentials()
                configuration.certificateChain = chain
                configuration.privateKey = .rsa(key)
            }
            configuration.observer = recorder.observer
            connection = TLSConnection(side: .server, configuration: configuration)
            try connection.start()
        }

        /// Reads the ClientHello and writes the server's flight, its encrypted content edited.
        func answerClientHello(editing edit: ([UInt8]) -> [UInt8]) throws {
            let (socket, record, _) = try HostileClientTests.acceptClientHello(listener)
            self.socket = socket
            try connection.receive(record)
            var flight = connection.takeOutgoing()
            guard let (suite, keys) = recorder.trafficKeys(.write, epoch: .handshake),
                  let parameters = CipherSuiteParameters(suite) else { throw ProcessFailure("no server handshake key") }
            var opener = try RecordProtection(parameters: parameters, keys: keys, epoch: .handshake)
            var sealer = try RecordProtection(parameters: parameters, keys: keys, epoch: .handshake)
            flight = try Wire.records(flight).flatMap { record -> [UInt8] in
                guard record[0] == ContentType.applicationData.rawValue else { return record }
                let opened = try opener.open(header: Array(record[0..<5]), encryptedRecord: Array(record[5...]))
                return try sealer.seal(opened.innerContentType, edit(opened.content)).bytes
            }
            try socket.write(flight)
        }

        /// Everything the client sends until it hangs up, opened by the server engine: the
        /// alert it carried.
        func clientAlert() throws -> AlertDescription? {
            guard let socket else { return nil }
            let (sent, _) = socket.readUntilClosed()
            do {
                try connection.receive(sent)
            } catch let error as TLSError where error.origin == .peer {
                return error.alert
            }
            return nil
        }

        deinit { socket?.close() }
    }

    @Test("§4.4.4: a Finished with wrong verify_data → decrypt_error (under the client's handshake key), exit 1")
    func badFinished() throws {
        let server = try TamperingServer()
        let client = try Self.startClient(port: server.listener.port)
        try server.answerClientHello { content in
            var content = content
            content[content.count - 1] ^= 1
            return content
        }
        #expect(try server.clientAlert() == .decryptError)
        #expect(try client.waitForExit() == 1)
    }

    @Test("§4.4.3: a CertificateVerify that does not verify → decrypt_error, exit 1")
    func badCertificateVerify() throws {
        let server = try TamperingServer()
        let client = try Self.startClient(port: server.listener.port)
        try server.answerClientHello { content in
            // Finished (4 + 32 bytes with the SHA-256 suites) ends the flight; the signature's
            // last byte sits just before it.
            var content = content
            content[content.count - 37] ^= 1
            return content
        }
        #expect(try server.clientAlert() == .decryptError)
        #expect(try client.waitForExit() == 1)
    }

    @Test("§4.4.3: an ECDSA P-256 CertificateVerify whose s was altered → decrypt_error, exit 1")
    func badECDSACertificateVerify() throws {
        let server = try TamperingServer(ecdsa: true)
        let client = try Self.startClient(port: server.listener.port)
        try server.answerClientHello { content in
            // The DER signature ends with s; its last byte sits just before Finished (36 bytes).
            var content = content
            content[content.count - 37] ^= 1
            return content
        }
        #expect(try server.clientAlert() == .decryptError)
        #expect(try client.waitForExit() == 1)
        #expect(client.stderrText.contains("CertificateVerify"), "\(client.stderrText)")
    }

    /// Completes a real handshake with tls13-client, then returns a sealer for the server's
    /// first application key (sequence number 0: the engine has sent no application record).
    func handshake(_ server: TamperingServer) throws -> RecordProtection {
        try server.answerClientHello { $0 }
        guard let socket = server.socket else { throw ProcessFailure("no connection") }
        let deadline = ContinuousClock.now + .seconds(5)
        while !server.connection.isHandshakeComplete {
            guard Polling.readable([socket.fileDescriptor], until: deadline).contains(socket.fileDescriptor) else {
                throw ProcessFailure("the client's Finished did not come")
            }
            try server.connection.receive(try socket.read())
        }
        guard let (suite, keys) = server.recorder.trafficKeys(.write, epoch: .application(generation: 0)),
              let parameters = CipherSuiteParameters(suite) else { throw ProcessFailure("no server application key") }
        return try RecordProtection(parameters: parameters, keys: keys, epoch: .application(generation: 0))
    }

    @Test("§4.6.1: a NewSessionTicket is accepted and ignored; the data after it arrives; clean close, exit 0")
    func newSessionTicketIgnored() throws {
        let server = try TamperingServer()
        let client = try Self.startClient(port: server.listener.port)
        var sealer = try handshake(server)
        let ticket = NewSessionTicket(ticketLifetime: 7200, ticketAgeAdd: 42, ticketNonce: [0], ticket: Array("opaque ticket".utf8))
        try server.socket?.write(try sealer.seal(.handshake, HandshakeMessage.newSessionTicket(ticket).encoded).bytes
                                 + sealer.seal(.applicationData, Array("after the ticket\n".utf8)).bytes)
        try client.waitFor("the data after the ticket") { $0.stdoutText == "after the ticket\n" }
        try client.closeInput()
        try server.socket?.write(try sealer.seal(.alert, Alert(level: .warning, description: .closeNotify).bytes).bytes)
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
    }

    @Test("§4: a ServerHello after the handshake → unexpected_message under the client's application key, exit 1")
    func unexpectedPostHandshakeMessage() throws {
        let server = try TamperingServer()
        let client = try Self.startClient(port: server.listener.port)
        var sealer = try handshake(server)
        let stray = try Self.serverHello(ClientHello(random: [UInt8](repeating: 1, count: 32), legacySessionID: [],
                                                     cipherSuites: [.chacha20Poly1305SHA256], extensions: []))
        try server.socket?.write(try sealer.seal(.handshake, Array(stray[5...])).bytes)
        #expect(try server.clientAlert() == .unexpectedMessage)
        #expect(try client.waitForExit() == 1)
    }
}
