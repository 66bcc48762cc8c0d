import Foundation
import Testing
import TLSCrypto

@Suite("HKDF (RFC 5869)")
struct HKDFTests {
    struct RFC5869Case: Sendable, CustomTestStringConvertible {
        let name: String
        let ikm: [UInt8]
        let salt: [UInt8]
        let info: [UInt8]
        let length: Int
        let prk: String
        let okm: String
        var testDescription: String { name }
    }

    static let rfc5869: [RFC5869Case] = [
        RFC5869Case(name: "RFC 5869 A.1: basic SHA-256",
                    ikm: [UInt8](repeating: 0x0b, count: 22), salt: Array(0x00...0x0c), info: Array(0xf0...0xf9), length: 42,
                    prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                    okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"),
        RFC5869Case(name: "RFC 5869 A.2: SHA-256 with longer inputs/outputs",
                    ikm: Array(0x00...0x4f), salt: Array(0x60...0xaf), info: Array(0xb0...0xff), length: 82,
                    prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                    okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"),
        RFC5869Case(name: "RFC 5869 A.3: SHA-256 with zero-length salt/info",
                    ikm: [UInt8](repeating: 0x0b, count: 22), salt: [], info: [], length: 42,
                    prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                    okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
    ]

    @Test("RFC 5869 Appendix A", arguments: rfc5869)
    func rfc5869Case(_ c: RFC5869Case) throws {
        let prk = HKDF<SHA256>.extract(salt: c.salt, ikm: c.ikm)
        #expect(prk.hexString == c.prk)
        #expect(try HKDF<SHA256>.expand(prk: prk, info: c.info, length: c.length).hexString == c.okm)
    }

    @Test("RFC 5869 §2.3: L above 255*HashLen throws invalidParameter; exactly 255*HashLen works")
    func lengthLimit() throws {
        let prk = [UInt8](repeating: 1, count: 32)
        #expect(try HKDF<SHA256>.expand(prk: prk, info: [], length: 255 * 32).count == 255 * 32)
        #expect(throws: CryptoError.self) { try HKDF<SHA256>.expand(prk: prk, info: [], length: 255 * 32 + 1) }
        do {
            _ = try HKDF<SHA384>.expand(prk: prk, info: [], length: 255 * 48 + 1)
            Issue.record("expected a throw")
        } catch let error as CryptoError {
            #expect(error.kind == .invalidParameter)
        }
    }

    // MARK: Wycheproof

    /// Wycheproof hkdf_test_schema_v1.json, the fields this runner reads.
    struct HkdfTestFile: Decodable {
        struct Group: Decodable { let tests: [Test] }
        struct Test: Decodable {
            let tcId: Int
            let comment: String
            let ikm: String
            let salt: String
            let info: String
            let size: Int
            let okm: String
            let result: String
        }
        let algorithm: String
        let numberOfTests: Int
        let testGroups: [Group]
    }

    /// "valid" cases must produce okm exactly; "invalid" ones (sizes above 255*HashLen) must be
    /// refused by expand, never answered with some output. Returns the number of cases run.
    private static func runWycheproof<H: HashFunction>(_ file: String, _: H.Type) throws -> Int {
        let vectors = try JSONDecoder().decode(HkdfTestFile.self, from: Vectors.data("wycheproof/\(file)"))
        var count = 0
        for group in vectors.testGroups {
            for test in group.tests {
                let label = "\(vectors.algorithm) tcId \(test.tcId) (\(test.comment))"
                let ikm = try #require([UInt8](hex: test.ikm))
                let salt = try #require([UInt8](hex: test.salt))
                let info = try #require([UInt8](hex: test.info))
                let prk = HKDF<H>.extract(salt: salt, ikm: ikm)
                let okm = try? HKDF<H>.expand(prk: prk, info: info, length: test.size)
                if test.result == "valid" {
                    #expect(okm?.hexString == test.okm, "\(label)")
                } else {
                    #expect(okm == nil, "\(label): expected a refusal")
                }
                count += 1
            }
        }
        #expect(count == vectors.numberOfTests)
        return count
    }

    @Test("Wycheproof hkdf_sha256_test.json: every case")
    func wycheproofSHA256() throws {
        #expect(try Self.runWycheproof("hkdf_sha256_test.json", SHA256.self) > 0)
    }

    @Test("Wycheproof hkdf_sha384_test.json: every case")
    func wycheproofSHA384() throws {
        #expect(try Self.runWycheproof("hkdf_sha384_test.json", SHA384.self) > 0)
    }
}
