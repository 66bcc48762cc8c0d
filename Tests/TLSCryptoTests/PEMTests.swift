import Testing
import TLSCrypto

@Suite("PEM (RFC 7468)")
struct PEMTests {
    @Test("blocks decode in order and text around them is ignored")
    func blocks() throws {
        let text = """
        Certificate: some dump OpenSSL writes
        -----BEGIN FIRST-----
        AAEC
        AwQ=
        -----END FIRST-----
        between
        -----BEGIN SECOND THING-----
        /w==
        -----END SECOND THING-----
        """
        let blocks = try PEM.decode(text)
        #expect(blocks.map(\.label) == ["FIRST", "SECOND THING"])
        #expect(blocks.map(\.der) == [[0, 1, 2, 3, 4], [0xff]])
    }

    @Test("strict base64 and block structure", arguments: [
        "-----BEGIN X-----\nAAE\n-----END X-----",            // length not a multiple of 4
        "-----BEGIN X-----\nA=AA\n-----END X-----",           // padding in the middle
        "-----BEGIN X-----\nAAE*\n-----END X-----",           // not in the alphabet
        "-----BEGIN X-----\n/x==\n-----END X-----",           // nonzero discarded bits
        "-----BEGIN X-----\nAAEC\n-----END Y-----",           // END label differs
        "-----BEGIN X-----\nAAEC\n",                          // no END line
        "-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\nAAEC\n-----END X-----",  // headers
    ])
    func rejects(_ text: String) {
        #expect(throws: CryptoError.self) { try PEM.decode(text) }
    }
}
