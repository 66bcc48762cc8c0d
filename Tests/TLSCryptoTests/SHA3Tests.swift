import Foundation
import Testing
import TLSCrypto

/// FIPS 202 (SHA-3): the NIST examples and messages at the rate boundaries, from
/// Tests/Vectors/sha3/sha3-vectors.json. (Incremental updates of SHA3-256/512 are checked with
/// the SHA-2 functions in SHA2Tests.)
@Suite("SHA-3 and SHAKE (FIPS 202)")
struct SHA3Tests {
    struct File: Decodable {
        let cases: [Case]
    }
    struct Case: Decodable {
        let function: String
        let message: String
        let messageHex: String
        let output: String
    }

    @Test("every case of sha3-vectors.json")
    func knownAnswers() throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("sha3/sha3-vectors.json"))
        var checkedPerFunction: [String: Int] = [:]
        for test in file.cases {
            let context = Comment(rawValue: "\(test.function) of \(test.message)")
            let message = try #require([UInt8](hex: test.messageHex), context)
            let expected = try #require([UInt8](hex: test.output), context)
            let output: [UInt8] = switch test.function {
            case "SHA3-256": SHA3_256.hash(message)
            case "SHA3-512": SHA3_512.hash(message)
            case "SHAKE128": SHAKE128.hash(message, outputByteCount: expected.count)
            case "SHAKE256": SHAKE256.hash(message, outputByteCount: expected.count)
            default: []
            }
            #expect(output == expected, context)
            checkedPerFunction[test.function, default: 0] += 1
        }
        print("sha3-vectors.json:", checkedPerFunction.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(checkedPerFunction == ["SHA3-256": 13, "SHA3-512": 13, "SHAKE128": 17, "SHAKE256": 17])
    }

    /// Squeezing is one output stream: 1000 bytes taken in pieces of every size from 1 to 200
    /// (crossing the 168- and 136-byte block boundaries at every offset) equal one 1000-byte squeeze.
    @Test("squeezing in pieces equals one squeeze", arguments: [SHAKE128.self, SHAKE256.self] as [any ExtendableOutputFunction.Type])
    func squeezeInPieces(_ xof: any ExtendableOutputFunction.Type) {
        let agree = Self.piecesAgree(xof)
        #expect(agree)
    }

    private static func piecesAgree<X: ExtendableOutputFunction>(_: X.Type) -> Bool {
        let message = Array("FIPS 202 §6.2".utf8)
        let expected = X.hash(message, outputByteCount: 1000)
        for pieceSize in 1...200 {
            var xof = X()
            xof.update(message[..<5])
            xof.update(message[5...])
            var output: [UInt8] = []
            while output.count < 1000 {
                output += xof.squeeze(min(pieceSize, 1000 - output.count))
            }
            if output != expected { return false }
        }
        return true
    }

    @Test("sizes and names")
    func sizes() {
        #expect(SHA3_256.hash([]).count == 32)
        #expect(SHA3_512.hash([]).count == 64)
        let rates: [Int] = [SHA3_256.blockByteCount, SHA3_512.blockByteCount, SHAKE128.blockByteCount, SHAKE256.blockByteCount]
        #expect(rates == [136, 72, 168, 136])
        let names: [String] = [SHA3_256.name, SHA3_512.name, SHAKE128.name, SHAKE256.name]
        #expect(names == ["SHA3-256", "SHA3-512", "SHAKE128", "SHAKE256"])
    }
}
