import Testing
import TLS13
import TLSCrypto

@Suite("Server name matching (RFC 6125 §6.4, RFC 5280 §4.2.1.6)")
struct ServerIdentityTests {
    @Test("IP literals are told apart from host names (RFC 6066 §3: never sent as server_name)")
    func literals() {
        #expect(ServerIdentity("127.0.0.1") == .ip([127, 0, 0, 1]))
        #expect(ServerIdentity("::1") == .ip([UInt8](repeating: 0, count: 15) + [1]))
        #expect(ServerIdentity("[::1]") == .ip([UInt8](repeating: 0, count: 15) + [1]))
        #expect(ServerIdentity("localhost.") == .dns("localhost"))
        #expect(ServerIdentity("1.2.3") == .dns("1.2.3"))
    }

    @Test("DNS names compare case-insensitively; a wildcard covers exactly one left-most label")
    func dnsNames() {
        let www = ServerIdentity("WWW.Example.com")
        #expect(www.isNamed(by: .dns("www.example.COM")))
        #expect(www.isNamed(by: .dns("*.example.com")))
        #expect(!ServerIdentity("example.com").isNamed(by: .dns("*.example.com")))
        #expect(!ServerIdentity("a.b.example.com").isNamed(by: .dns("*.example.com")))
        #expect(!ServerIdentity("www.example.com").isNamed(by: .dns("www.*.com")))
        #expect(!ServerIdentity("example.com").isNamed(by: .dns("*.com")))
        #expect(!ServerIdentity("www.example.com").isNamed(by: .dns("w*.example.com")))
        #expect(!www.isNamed(by: .ip([127, 0, 0, 1])))
    }

    @Test("IP addresses compare byte for byte, never against DNS entries")
    func ipAddresses() {
        #expect(ServerIdentity("127.0.0.1").isNamed(by: .ip([127, 0, 0, 1])))
        #expect(!ServerIdentity("127.0.0.2").isNamed(by: .ip([127, 0, 0, 1])))
        #expect(!ServerIdentity("127.0.0.1").isNamed(by: .dns("127.0.0.1")))
    }
}
