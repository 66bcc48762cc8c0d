import Testing
import TLS13

@Suite("RFC 8446 §3 presentation language: ByteReader / ByteWriter")
struct ByteReaderTests {
    @Test("a length-prefixed vector round-trips")
    func roundTrip() throws {
        var w = ByteWriter()
        try w.lengthPrefixed(.u16) { w in
            w.u8(7)
            try w.lengthPrefixed(.u8) { $0.bytes([1, 2, 3]) }
        }
        #expect(w.bytes == [0x00, 0x05, 7, 3, 1, 2, 3])
        var r = ByteReader(w.bytes)
        let inner: [UInt8] = try r.lengthPrefixed(.u16, "outer") { r in
            #expect(try r.u8("tag") == 7)
            return try r.vector(.u8, "inner")
        }
        #expect(inner == [1, 2, 3])
        try r.expectEnd("test")
    }

    @Test("a vector that is not consumed exactly is a decode_error")
    func trailing() {
        var r = ByteReader([0x00, 0x02, 1, 2])
        #expect(throws: TLSError(.decodeError, "1 unexpected trailing byte(s) after outer")) {
            try r.lengthPrefixed(.u16, "outer") { try $0.u8("one") }
        }
    }

    @Test("a length that overruns the input is a decode_error, not a trap")
    func overrun() {
        var r = ByteReader([0x00, 0x09, 1])
        #expect(throws: TLSError.self) { try r.vector(.u16, "body") }
        var s = ByteReader([0x05])
        #expect(throws: TLSError.self) { try s.vector(.u8, "short", within: 1...4) }
    }
}
