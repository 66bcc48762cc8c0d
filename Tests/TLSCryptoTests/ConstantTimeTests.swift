import Testing
import TLSCrypto

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    @Test("equal, differing in first/last byte, different lengths, empty")
    func cases() {
        let tag: [UInt8] = Array(0..<16)
        #expect(constantTimeEquals(tag, tag))
        #expect(!constantTimeEquals(tag, [0xff] + tag.dropFirst()))
        #expect(!constantTimeEquals(tag, tag.dropLast() + [0xff]))
        #expect(!constantTimeEquals(tag, Array(tag.prefix(15))))
        #expect(constantTimeEquals([], []))
    }
}
