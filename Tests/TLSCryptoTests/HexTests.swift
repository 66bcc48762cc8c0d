import Testing
import TLSCrypto

@Suite("Hex text")
struct HexTests {
    @Test("RFC 8448 spacing and OpenSSL colons both parse")
    func separators() {
        #expect([UInt8](hex: "49 af 42\nba") == [0x49, 0xaf, 0x42, 0xba])
        #expect([UInt8](hex: "49:AF:42:ba") == [0x49, 0xaf, 0x42, 0xba])
        #expect([0x00, 0x0f, 0xf0, 0xff].hexString == "000ff0ff")
    }

    @Test("odd digit count and stray characters are rejected")
    func rejects() {
        #expect([UInt8](hex: "abc") == nil)
        #expect([UInt8](hex: "zz") == nil)
    }
}
