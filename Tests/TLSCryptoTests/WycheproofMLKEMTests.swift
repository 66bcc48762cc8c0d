import Foundation
import Testing
import TLSCrypto

/// Project Wycheproof ML-KEM-768 vectors (Tests/Vectors/wycheproof/mlkem_768_*.json).
///
/// Every "valid" case must give exactly the expected keys, ciphertext or shared secret (for
/// ciphertexts that do not belong to the key, the implicit-rejection secret); every "invalid"
/// case must be refused with a `CryptoError` by the check FIPS 203 §7 names for it.
@Suite("Wycheproof ML-KEM-768")
struct WycheproofMLKEMTests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }
    struct Group: Decodable {
        let parameterSet: String
        let tests: [Case]
    }
    /// The union of the four schemas' fields (mlkem_keygen_seed, mlkem_encaps, mlkem,
    /// mlkem_semi_expanded_decaps); each file fills the ones its schema has.
    struct Case: Decodable {
        let tcId: Int
        let comment: String?
        let flags: [String]?
        let seed: String?
        let ek: String?
        let dk: String?
        let m: String?
        let c: String?
        let K: String?
        let result: String

        func bytes(_ field: String?) throws -> [UInt8] {
            try #require(field.flatMap { [UInt8](hex: $0) }, "tcId \(tcId): missing or bad hex")
        }
        var context: Comment { Comment(rawValue: "tcId \(tcId) \(comment ?? "") \(flags ?? [])") }
    }

    /// Runs `check` on every case of the file: it returns the outcome (values for a valid case;
    /// throwing means the implementation refused the input). Prints and returns the tally.
    static func run(_ name: String, _ check: (Case) throws -> Void) throws -> WycheproofTally {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/\(name)"))
        var tally = WycheproofTally()
        for group in file.testGroups {
            #expect(group.parameterSet == "ML-KEM-768")
            for test in group.tests {
                switch test.result {
                case "valid":
                    tally.valid += 1
                    #expect(throws: Never.self, test.context) { try check(test) }
                case "invalid":
                    tally.invalid += 1
                    #expect(test.context) { try check(test) } throws: { $0 is CryptoError }
                default:
                    tally.acceptable += 1
                    Issue.record(Comment(rawValue: "unexpected result \(test.result) in tcId \(test.tcId)"))
                }
            }
        }
        print("Wycheproof \(name): \(tally)")
        #expect(tally.total == file.numberOfTests)
        return tally
    }

    @Test("mlkem_768_keygen_seed_test.json: ML-KEM.KeyGen_internal from d ‖ z")
    func keyGenFromSeed() throws {
        let tally = try Self.run("mlkem_768_keygen_seed_test.json") { test in
            let pair = try MLKEM768.generateKeyPair(seed: test.bytes(test.seed))
            #expect(try pair.encapsulationKey.bytes == test.bytes(test.ek), test.context)
            #expect(try pair.decapsulationKey.bytes == test.bytes(test.dk), test.context)
        }
        #expect(tally.valid == 100 && tally.invalid == 0)
    }

    @Test("mlkem_768_encaps_test.json: Encaps_internal with m; §7.2 length and modulus checks")
    func encapsulate() throws {
        let tally = try Self.run("mlkem_768_encaps_test.json") { test in
            let key = try MLKEM768.EncapsulationKey(bytes: test.bytes(test.ek))
            let encapsulation = try MLKEM768.encapsulate(to: key, message: test.bytes(test.m))
            #expect(try encapsulation.ciphertext == test.bytes(test.c), test.context)
            #expect(try encapsulation.sharedSecret == test.bytes(test.K), test.context)
        }
        #expect(tally.valid == 133 && tally.invalid == 132)
    }

    @Test("mlkem_768_test.json: key pair from seed, then Decaps (implicit rejection, strcmp, lengths)")
    func decapsulateFromSeed() throws {
        let tally = try Self.run("mlkem_768_test.json") { test in
            let pair = try MLKEM768.generateKeyPair(seed: test.bytes(test.seed))
            if test.ek != nil {
                #expect(try pair.encapsulationKey.bytes == test.bytes(test.ek), test.context)
            }
            let secret = try MLKEM768.decapsulate(test.bytes(test.c), with: pair.decapsulationKey)
            #expect(try secret == test.bytes(test.K), test.context)
        }
        #expect(tally.valid == 153 && tally.invalid == 40)
    }

    @Test("mlkem_768_semi_expanded_decaps_test.json: §7.3 checks of dk and c, then Decaps")
    func decapsulateExpandedKey() throws {
        let tally = try Self.run("mlkem_768_semi_expanded_decaps_test.json") { test in
            let key = try MLKEM768.DecapsulationKey(bytes: test.bytes(test.dk))
            #expect(try key.encapsulationKey.bytes == test.bytes(test.ek), test.context)
            let secret = try MLKEM768.decapsulate(test.bytes(test.c), with: key)
            #expect(try secret == test.bytes(test.K), test.context)
        }
        #expect(tally.valid == 3 && tally.invalid == 6)
    }
}
