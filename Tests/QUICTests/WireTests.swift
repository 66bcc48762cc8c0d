import Testing
import TLS13
import QUIC

@Suite("RFC 9000 wire encodings")
struct WireTests {
    /// RFC 9000 §A.1's examples.
    @Test("§A.1: variable-length integers decode, and re-encode in the same length",
          arguments: [("c2197c5eff14e88c", UInt64(151_288_809_941_952_652)), ("9d7f3e7d", 494_878_333),
                      ("7bbd", 15_293), ("25", 37), ("4025", 37)])
    func varints(hex: String, value: UInt64) throws {
        let bytes = [UInt8](hex: hex)!
        var r = ByteReader(bytes)
        #expect(try r.varint("v") == value)
        #expect(r.isAtEnd)
        #expect(encodedVarint(value, length: bytes.count) == bytes)
    }

    @Test("a truncated variable-length integer throws, it does not trap")
    func truncatedVarint() {
        for bytes: [UInt8] in [[], [0x40], [0x80, 1, 2], [0xc0, 1, 2, 3, 4, 5, 6]] {
            var r = ByteReader(bytes)
            #expect(throws: TLSError.self) { try r.varint("v") }
        }
    }

    @Test("§A.2 and §A.3: packet number length and decoding")
    func packetNumbers() {
        #expect(PacketNumberEncoding.length(of: 0xac5c02, largestAcknowledged: 0xabe8b3) == 2)
        #expect(PacketNumberEncoding.length(of: 0xace8fe, largestAcknowledged: 0xabe8b3) == 3)
        #expect(PacketNumberEncoding.decode(truncated: 0x9b32, length: 2, largestReceived: 0xa82f30ea) == 0xa82f9b32)
        #expect(PacketNumberEncoding.decode(truncated: 0, length: 1, largestReceived: nil) == 0)
        #expect(PacketNumberEncoding.decode(truncated: 0xff, length: 1, largestReceived: 0x100) == 0xff)
    }
}
