import Testing
import TLS13

/// Issue 12: every code point a real client sends has its IANA name in the trace; GREASE is
/// named as such and anything else is "unknown (0x....)", never a crash.
@Suite("Code point names")
struct CodePointNamesTests {
    @Test("TLS 1.2 cipher suites a browser offers are named")
    func tls12Suites() {
        #expect(CipherSuite(rawValue: 0xc02c).description == "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xc02c)")
        #expect(CipherSuite(rawValue: 0xcca9).name == "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
        #expect(CipherSuite(rawValue: 0x002f).name == "TLS_RSA_WITH_AES_128_CBC_SHA")
        #expect(CipherSuite(rawValue: 0x1303).name == "TLS_CHACHA20_POLY1305_SHA256")
    }

    @Test("Groups, signature schemes and extensions of browsers' ClientHellos are named")
    func browserCodePoints() {
        #expect(NamedGroup(rawValue: 0x6399).name == "X25519Kyber768Draft00")
        #expect(NamedGroup(rawValue: 0x11ec).name == "X25519MLKEM768")
        #expect(SignatureScheme(rawValue: 0x081a).name == "ecdsa_brainpoolP256r1tls13_sha256")
        #expect(ExtensionType(rawValue: 0xfe0d).name == "encrypted_client_hello")
        #expect(ExtensionType(rawValue: 27).name == "compress_certificate")
        #expect(ExtensionType(rawValue: 0x44cd).name == "application_settings")
    }

    @Test("GREASE (RFC 8701) is named GREASE in every 16-bit registry; other unknowns print their value")
    func greaseAndUnknown() {
        for value: UInt16 in [0x0a0a, 0x2a2a, 0xfafa] {
            #expect(CipherSuite(rawValue: value).name == "GREASE")
            #expect(NamedGroup(rawValue: value).name == "GREASE")
            #expect(SignatureScheme(rawValue: value).name == "GREASE")
            #expect(ExtensionType(rawValue: value).name == "GREASE")
        }
        #expect(CipherSuite(rawValue: 0x0a1a).description == "unknown (0x0a1a)")
        #expect(ExtensionType(rawValue: 0x1234).description == "unknown (0x1234)")
    }
}
