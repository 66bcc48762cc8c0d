import Foundation
import Testing
import TLS13
import TLSCrypto

/// RFC 8701 (GREASE): clients put reserved values 0x?A?A into every list a server must tolerate,
/// so that servers keep ignoring what they do not know. Browsers do this on every connection;
/// a server that chokes on one value breaks for everybody. Issue 16's audit: a ClientHello with
/// GREASE in cipher suites, groups, key shares, extensions, versions, signature algorithms, ALPN
/// and PSK modes is answered as if they were absent, and the answer never echoes a GREASE value.
@Suite("GREASE (RFC 8701) audit")
struct GREASETests {
    static let grease16: [UInt16] = (0..<16).map { UInt16($0) << 12 | 0x0a0a | UInt16($0) << 4 }

    static func isGREASE(_ value: UInt16) -> Bool { value & 0x0f0f == 0x0a0a && value >> 8 == value & 0xff }

    /// A ClientHello as a browser sends it: GREASE first in every list that takes it.
    static func greasyHello() throws -> ClientHello {
        let share = try X25519.publicKey(privateKey: [UInt8](repeating: 0x42, count: 32))
        let extensions: [Extension] = [
            Extension(type: ExtensionType(rawValue: 0x0a0a), data: []),
            try Extension(.serverName, ServerNameList(hostName: "localhost")),
            try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [ProtocolVersion(rawValue: 0x3a3a), .tls13])),
            try Extension(.supportedGroups, NamedGroupList([NamedGroup(rawValue: 0x5a5a), .x25519])),
            try Extension(.keyShare, KeyShareClientHello(clientShares: [KeyShareEntry(group: NamedGroup(rawValue: 0x5a5a), keyExchange: [0]),
                                                                         KeyShareEntry(group: .x25519, keyExchange: share)])),
            try Extension(.signatureAlgorithms, SignatureSchemeList([SignatureScheme(rawValue: 0x7a7a), .rsaPSSRSAESHA256])),
            try Extension(.applicationLayerProtocolNegotiation, ProtocolNameList(protocolNameList: [[0x8a, 0x8a], Array("http/1.1".utf8)])),
            try Extension(.pskKeyExchangeModes, PSKKeyExchangeModes(keModes: [PSKKeyExchangeMode(rawValue: 0x2a), .pskDHEKE])),
            Extension(type: ExtensionType(rawValue: 0xfafa), data: [0]),
        ]
        return ClientHello(random: [UInt8](repeating: 0xab, count: 32), legacySessionID: [],
                           cipherSuites: [CipherSuite(rawValue: 0x1a1a), .aes128GCMSHA256], extensions: extensions)
    }

    @Test("a server answers a ClientHello full of GREASE with a ServerHello that picks only real values")
    func serverIgnoresGREASE() throws {
        let pair = try ConnectionPair(server: { $0.applicationProtocols = ["http/1.1"] })
        try pair.server.start()
        try pair.server.receive(try plaintextRecord(.clientHello(try Self.greasyHello()), version: 0x0301))
        #expect(pair.serverLog.sentAlerts.isEmpty)
        let records = splitRecords(pair.server.takeOutgoing())
        guard case .serverHello(let hello) = try HandshakeMessage(decoding: Array(records[0][5...]), finishedLength: 32) else {
            Issue.record("no ServerHello")
            return
        }
        #expect(hello.cipherSuite == .aes128GCMSHA256)
        #expect(try hello.extensions.decode(.keyShare, as: KeyShareServerHello.self)?.serverShare.group == .x25519)
        #expect(try hello.extensions.decode(.supportedVersions, as: SupportedVersionsServerHello.self)?.selectedVersion == .tls13)
        for extensionType in hello.extensions.map(\.type.rawValue) { #expect(!Self.isGREASE(extensionType)) }
        // EncryptedExtensions answers ALPN with the real protocol, never the GREASE one.
        let events = pair.serverLog.events
        let sent = events.compactMap { if case .handshakeMessage(.sent, .encryptedExtensions, let bytes, _) = $0 { bytes } else { nil } }
        let encrypted = try #require(sent.first)
        #expect(!encrypted.windowsContain([0x8a, 0x8a]), "the GREASE ALPN protocol is not selected")
        #expect(encrypted.windowsContain(Array("http/1.1".utf8)))
    }

    @Test("GREASE values have IANA-style names in the trace: GREASE, never an error")
    func greaseNamed() {
        #expect(CipherSuite(rawValue: 0x1a1a).description.contains("GREASE"))
        #expect(NamedGroup(rawValue: 0x5a5a).description.contains("GREASE"))
        #expect(ExtensionType(rawValue: 0xfafa).description.contains("GREASE"))
        for value in Self.grease16 { #expect(Self.isGREASE(value)) }
    }
}

extension Array where Element == UInt8 {
    func windowsContain(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        return (0...(count - needle.count)).contains { Array(self[$0..<$0 + needle.count]) == needle }
    }
}
