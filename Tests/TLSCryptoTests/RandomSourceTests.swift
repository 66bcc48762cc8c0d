import Testing
import TLSCrypto

@Suite("Random sources")
struct RandomSourceTests {
    @Test("DeterministicRandom: same seed, same stream, however the draws are split")
    func reproducible() throws {
        let whole = try DeterministicRandom(seed: 42).bytes(100)
        let split = DeterministicRandom(seed: 42)
        let pieces = try split.bytes(1) + split.bytes(31) + split.bytes(33) + split.bytes(35)
        #expect(whole == pieces)
        #expect(try DeterministicRandom(seed: 42).bytes(100) == whole)
    }

    @Test("DeterministicRandom: the documented stream SHA-256(seed ‖ counter)")
    func documentedStream() throws {
        let seed: UInt64 = 0x0102_0304_0506_0708
        let expected = SHA256.hash([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0])
            + SHA256.hash([1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try DeterministicRandom(seed: seed).bytes(64) == expected)
    }

    @Test("DeterministicRandom: different seeds give different streams")
    func seedsDiffer() throws {
        #expect(try DeterministicRandom(seed: 1).bytes(32) != DeterministicRandom(seed: 2).bytes(32))
    }

    @Test("SystemRandom returns the requested count, including more than one 256-byte chunk",
          arguments: [0, 1, 32, 256, 257, 1000])
    func systemCount(_ count: Int) throws {
        #expect(try SystemRandom().bytes(count).count == count)
    }

    @Test("SystemRandom: two 32-byte draws differ")
    func systemVaries() throws {
        let source = SystemRandom()
        #expect(try source.bytes(32) != source.bytes(32))
    }
}
