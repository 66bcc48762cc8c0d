import Testing
import TLSCrypto

@Suite("DER reader (X.690)")
struct DERTests {
    /// SEQUENCE { INTEGER 5, OCTET STRING 'ab' }
    static let good: [UInt8] = [0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, 0x61, 0x62]

    static func parse(_ bytes: [UInt8]) throws -> (Int, [UInt8]) {
        try DERReader.parse(bytes, "test") { reader in
            try reader.sequence("pair") { pair in
                (try pair.smallInteger("number"), Array(try pair.octetString("text")))
            }
        }
    }

    @Test("a well-formed SEQUENCE parses")
    func wellFormed() throws {
        let (number, text) = try Self.parse(Self.good)
        #expect(number == 5 && text == [0x61, 0x62])
    }

    @Test("malformed encodings throw malformedEncoding", arguments: [
        ("truncated", Array(good.dropLast())),
        ("trailing bytes", good + [0x00]),
        ("long-form length where short form fits", [0x30, 0x81, 0x07] + Array(good.dropFirst(2))),
        ("length with a leading zero byte", [0x30, 0x82, 0x00, 0x07] + Array(good.dropFirst(2))),
        ("indefinite length", [0x30, 0x80] + Array(good.dropFirst(2)) + [0x00, 0x00]),
        ("length beyond the input", [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff] + Array(good.dropFirst(2))),
        ("inner element overruns its SEQUENCE", [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x02, 0x61, 0x62]),
        ("leftover bytes inside the SEQUENCE", [0x30, 0x08, 0x02, 0x01, 0x05, 0x04, 0x02, 0x61, 0x62, 0x00]),
        ("non-minimal INTEGER", [0x30, 0x08, 0x02, 0x02, 0x00, 0x05, 0x04, 0x02, 0x61, 0x62]),
        ("negative INTEGER", [0x30, 0x07, 0x02, 0x01, 0xfb, 0x04, 0x02, 0x61, 0x62]),
        ("wrong tag", [0x30, 0x07, 0x04, 0x01, 0x05, 0x04, 0x02, 0x61, 0x62]),
        ("empty input", []),
    ] as [(String, [UInt8])])
    func malformed(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: CryptoError.self, "\(name)") {
            do { _ = try Self.parse(bytes) } catch let error as CryptoError {
                #expect(error.kind == .malformedEncoding, "\(name): \(error)")
                throw error
            }
        }
    }

    @Test("errors name what was read and where")
    func errorText() {
        do {
            _ = try Self.parse(Array(Self.good.dropLast()))
            Issue.record("truncated input parsed")
        } catch {
            #expect("\(error)".contains("pair"))
            #expect("\(error)".contains("byte"))
        }
    }

    @Test("X.690 §8.19: OBJECT IDENTIFIER 1.2.840.113549.1.1.11 decodes and prints its name")
    func objectIdentifier() throws {
        let der: [UInt8] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]
        let oid = try DERReader.parse(der, "oid") { try $0.objectIdentifier("algorithm") }
        #expect(oid == .sha256WithRSAEncryption)
        #expect(oid.dotted == "1.2.840.113549.1.1.11")
        #expect(oid.description == "sha256WithRSAEncryption (1.2.840.113549.1.1.11)")
        #expect(throws: CryptoError.self) {
            try DERReader.parse([0x06, 0x02, 0x80, 0x01], "oid") { try $0.objectIdentifier("padded") }
        }
    }
}
