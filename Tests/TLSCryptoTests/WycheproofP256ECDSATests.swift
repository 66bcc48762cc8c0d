import Foundation
import Testing
import TLSCrypto

/// Project Wycheproof ECDSA verification on secp256r1 with SHA-256: DER signatures (as X.509
/// and TLS carry them) and IEEE P1363 r || s. Both files hold only "valid" and "invalid" cases.
@Suite("Wycheproof P-256 ECDSA")
struct WycheproofP256ECDSATests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }
    struct Group: Decodable {
        let sha: String
        let publicKey: Key
        let publicKeyDer: String
        let tests: [Case]
    }
    struct Key: Decodable {
        let curve: String
        let uncompressed: String
    }
    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let msg: String
        let sig: String
        let result: String
        let flags: [String]
    }

    static func run(_ name: String, verify: (P256.Signing.PublicKey, [UInt8], [UInt8]) -> Bool) throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/\(name)"))
        var tally = ECWycheproofTally()
        for group in file.testGroups {
            #expect(group.sha == "SHA-256" && group.publicKey.curve == "secp256r1")
            // The key both as a raw point and as SubjectPublicKeyInfo DER; the two must agree.
            let key = try P256.Signing.PublicKey(x963Representation: [UInt8](hex: group.publicKey.uncompressed) ?? [])
            #expect(try P256.Signing.PublicKey(subjectPublicKeyInfoDER: [UInt8](hex: group.publicKeyDer) ?? []) == key)
            for test in group.tests {
                let context = Comment(rawValue: "\(name) tcId \(test.tcId) \(test.comment) \(test.flags)")
                let verified = verify(key, [UInt8](hex: test.sig) ?? [], [UInt8](hex: test.msg) ?? [])
                switch test.result {
                case "valid": #expect(verified, context)
                case "invalid": #expect(!verified, context)
                default:
                    let policy = ECWycheproofTally.acceptablePolicy(test.flags)
                    #expect(verified == policy.accept, context)
                    tally.noteAcceptable(policy)
                }
                tally.count(test.result)
            }
        }
        print("Wycheproof \(name): \(tally)")
        #expect(tally.total == file.numberOfTests)
        #expect(tally.valid > 0 && tally.invalid > 0)
    }

    @Test("ecdsa_secp256r1_sha256_test.json: DER Ecdsa-Sig-Value, strictly parsed")
    func der() throws {
        try Self.run("ecdsa_secp256r1_sha256_test.json") { key, signature, message in
            key.isValidSignature(derRepresentation: signature, for: message)
        }
    }

    @Test("ecdsa_secp256r1_sha256_p1363_test.json: raw r || s")
    func p1363() throws {
        try Self.run("ecdsa_secp256r1_sha256_p1363_test.json") { key, signature, message in
            guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(signature, for: message)
        }
    }
}
