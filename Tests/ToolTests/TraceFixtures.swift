import TLSCrypto
import TLS13

/// Synthetic events and field trees shaped like the engine's, for golden tests of the layout.
enum TraceFixtures {
    static let counting = (0..<32).map { UInt8($0) }

    static let clientHelloFields: [TraceField] = [
        TraceField("legacy_version", "TLS 1.2 (0x0303)", bytes: [0x03, 0x03]),
        TraceField("random", counting.hexString, bytes: counting),
        TraceField("cipher_suites", "2 suites", bytes: [0x00, 0x04], children: [
            TraceField("cipher_suite", "TLS_CHACHA20_POLY1305_SHA256 (0x1303)", bytes: [0x13, 0x03]),
            TraceField("cipher_suite", "TLS_AES_128_GCM_SHA256 (0x1301)", bytes: [0x13, 0x01]),
        ]),
        TraceField("extensions", "1 extension", bytes: [0x00, 0x06], children: [
            TraceField("extension", "supported_versions (0x002b)", children: [
                TraceField("extension_type", "supported_versions (0x002b)", bytes: [0x00, 0x2b]),
                TraceField("extension_data", "TLS 1.3", bytes: [0x00, 0x02, 0x03, 0x04]),
            ]),
        ]),
    ]

    /// "\x16\x03\x01\x00\x0f" + "Hello, TLS 1.3!"
    static let helloRecord: [UInt8] = [0x16, 0x03, 0x01, 0x00, 0x0f] + Array("Hello, TLS 1.3!".utf8)

    static let protectedRecord = RecordTrace(
        contentType: .applicationData,
        bytes: [0x17, 0x03, 0x03, 0x00, 0x13] + Array(repeating: 0xaa, count: 3) + Array(repeating: 0xbb, count: 16),
        protection: .init(epoch: .handshake, sequenceNumber: 0, key: Array(repeating: 1, count: 16),
                          iv: Array(repeating: 2, count: 12), nonce: Array(repeating: 2, count: 12),
                          additionalData: [0x17, 0x03, 0x03, 0x00, 0x13], innerContentType: .handshake,
                          content: [0xca, 0xfe], paddingLength: 0, tag: Array(repeating: 0xbb, count: 16)))
}



extension TraceFixtures {
    /// A client's view of a tiny connection: key pair, ClientHello out, a protected Finished in,
    /// a checked Finished, an alert out.
    static let shortConnection: [TLSEvent] = [
        .keyPair(group: .x25519, privateKey: counting, publicKey: counting.reversed()),
        .handshakeMessage(.sent, .clientHello, bytes: [0x01, 0x00, 0x00, 0x2e] + Array(repeating: 0, count: 46),
                          fields: clientHelloFields),
        .record(.sent, RecordTrace(contentType: .handshake, bytes: helloRecord)),
        .keyLog(label: "CLIENT_HANDSHAKE_TRAFFIC_SECRET", clientRandom: [1], secret: [2]),
        .deriveSecret(label: "tls13 c hs traffic", purpose: nil, prk: counting, hash: counting,
                      info: Array(repeating: 0x41, count: 20), secret: counting),
        .record(.received, protectedRecord),
        .handshakeMessage(.received, .finished, bytes: [0x14, 0x00, 0x00, 0x02, 0xca, 0xfe],
                          fields: [TraceField("verify_data", "cafe", bytes: [0xca, 0xfe])]),
        .finished(of: .server, baseKey: [1, 2], hash: [3, 4], info: [0, 2], finishedKey: [5, 6],
                  verifyData: [0xca, 0xfe], matched: true),
        .check("server name localhost matches subjectAltName DNS:localhost", passed: true),
        .alert(.sent, level: .warning, description: .closeNotify),
    ]
}

extension String {
    /// The trace with lines wrapped at the terminal's width joined again: each line break
    /// followed by indentation becomes one space, so a test can look for a whole sentence.
    var unwrapped: String {
        replacingOccurrences(of: "\n +", with: " ", options: .regularExpression)
    }
}
