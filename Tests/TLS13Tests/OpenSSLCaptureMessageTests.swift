import Foundation
import Testing
import TLS13
import TLSCrypto

/// The handshake of a real OpenSSL 3.0 s_client/s_server connection (Tests/Vectors/openssl-chacha,
/// TLS_CHACHA20_POLY1305_SHA256): every handshake message, decoded from the record plaintexts
/// the capture's trace gives, re-encodes to the same bytes.
@Suite("OpenSSL 3.0 capture: handshake messages decode and re-encode")
struct OpenSSLCaptureMessageTests {
    struct Trace: Decodable {
        struct Record: Decodable {
            let from: String
            let outer_type: UInt8
            let record: String
            let inner_content_type: UInt8?
            let plaintext: String?
        }
        let client_random: String
        let records: [Record]
    }

    /// (sender, content type, content) of every record, decrypted content for protected ones.
    func contents() throws -> [(from: String, type: ContentType, content: [UInt8])] {
        let trace = try JSONDecoder().decode(Trace.self, from: try Vectors.data("openssl-chacha/openssl-chacha-trace.json"))
        return try trace.records.map { record in
            if let inner = record.inner_content_type, let plaintext = record.plaintext {
                return (record.from, ContentType(rawValue: inner), try #require([UInt8](hex: plaintext)))
            }
            let bytes = try #require([UInt8](hex: record.record))
            return (record.from, ContentType(rawValue: record.outer_type), Array(bytes.dropFirst(5)))
        }
    }

    /// Splits a handshake record's content into whole messages (none spans records here).
    func split(_ content: [UInt8]) throws -> [[UInt8]] {
        var messages: [[UInt8]] = []
        var rest = content[...]
        while !rest.isEmpty {
            let header = try #require(HandshakeMessage.Header(peeking: rest))
            let end = rest.startIndex + HandshakeMessage.Header.byteCount + header.length
            try #require(end <= rest.endIndex)
            messages.append(Array(rest[..<end]))
            rest = rest[end...]
        }
        return messages
    }

    @Test("every handshake message, change_cipher_spec and alert of the capture round-trips")
    func roundTrip() throws {
        var decoded: [HandshakeMessage] = []
        for (from, type, content) in try contents() {
            switch type {
            case .handshake:
                for bytes in try split(content) {
                    let message = try HandshakeMessage(decoding: bytes, finishedLength: 32)
                    #expect(try message.encoded == bytes, "\(from) \(message.name)")
                    #expect(message.traceFields.flatMap(\.encodedBytes) == bytes, "\(from) \(message.name) trace")
                    decoded.append(message)
                }
            case .changeCipherSpec:
                #expect(try ChangeCipherSpec(decoding: content) == ChangeCipherSpec())
            case .alert:
                #expect(try Alert(decoding: content) == Alert(level: .warning, description: .closeNotify))
            default:
                continue
            }
        }
        #expect(decoded.map(\.name) == ["ClientHello", "Finished", "ServerHello", "EncryptedExtensions",
                                        "Certificate", "CertificateVerify", "Finished", "NewSessionTicket", "NewSessionTicket"])
    }

    @Test("OpenSSL's ClientHello and the server's answers pass the RFC 8446 §4.2 placement checks")
    func fields() throws {
        let messages = try contents().filter { $0.type == .handshake }.flatMap { try split($0.content) }
            .map { try HandshakeMessage(decoding: $0, finishedLength: 32) }
        guard case .clientHello(let hello)? = messages.first,
              case .serverHello(let serverHello)? = messages.first(where: { $0.type == .serverHello }),
              case .encryptedExtensions(let ee)? = messages.first(where: { $0.type == .encryptedExtensions }),
              case .certificateVerify(let verify)? = messages.first(where: { $0.type == .certificateVerify })
        else { Issue.record("messages missing"); return }

        let trace = try JSONDecoder().decode(Trace.self, from: try Vectors.data("openssl-chacha/openssl-chacha-trace.json"))
        #expect(hello.random.hexString == trace.client_random)
        #expect(hello.cipherSuites == [.chacha20Poly1305SHA256, .emptyRenegotiationInfoSCSV])
        #expect(try hello.extensions.decode(.serverName, as: ServerNameList.self)?.hostName == "localhost")
        #expect(hello.legacySessionID.count == 32)
        try hello.requireTLS13LegacyFields()
        try checkExtensions(hello.extensions, in: .clientHello, requested: nil)

        #expect(serverHello.cipherSuite == .chacha20Poly1305SHA256)
        #expect(serverHello.legacySessionIDEcho == hello.legacySessionID)
        try serverHello.requireTLS13LegacyFields()
        try checkExtensions(serverHello.extensions, in: .serverHello, requested: hello.extensions.types)
        try checkExtensions(ee.extensions, in: .encryptedExtensions, requested: hello.extensions.types)
        #expect(verify.algorithm == .rsaPSSRSAESHA256)
    }
}
