import Foundation
import Testing
import TLSCrypto

/// Project Wycheproof RSA signature verification vectors (Tests/Vectors/wycheproof).
@Suite("Wycheproof RSA signatures")
struct WycheproofRSATests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }

    struct Group: Decodable {
        let sha: String
        let mgfSha: String?
        let sLen: Int?
        let publicKey: Key
        let publicKeyDer: String
        let tests: [Case]
    }

    struct Key: Decodable {
        let modulus: String
        let publicExponent: String
    }

    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let msg: String
        let sig: String
        let result: String
    }

    static func load(_ name: String) throws -> File {
        try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/\(name)"))
    }

    /// The group's key, read both from its hex fields and from its SubjectPublicKeyInfo DER
    /// (which exercises the DER reader); the two must agree.
    static func key(of group: Group) throws -> RSAPublicKey {
        let fromHex = try RSAPublicKey(modulus: [UInt8](hex: group.publicKey.modulus) ?? [],
                                       exponent: [UInt8](hex: group.publicKey.publicExponent) ?? [])
        let fromDER = try RSAPublicKey(subjectPublicKeyInfoDER: [UInt8](hex: group.publicKeyDer) ?? [])
        #expect(fromHex == fromDER)
        return fromHex
    }

    /// PSS verification with the group's hashes, or nil when we do not implement one of them.
    static func verifyPSS(_ key: RSAPublicKey, _ signature: [UInt8], _ message: [UInt8],
                          hash: String, mgfHash: String, saltLength: Int) -> Bool? {
        func withMGF<H: HashFunction>(_ h: H.Type) -> Bool? {
            switch mgfHash {
            case "SHA-256": key.isValidPSSSignature(signature, for: message, hash: h, mgfHash: SHA256.self, saltLength: saltLength)
            case "SHA-384": key.isValidPSSSignature(signature, for: message, hash: h, mgfHash: SHA384.self, saltLength: saltLength)
            case "SHA-512": key.isValidPSSSignature(signature, for: message, hash: h, mgfHash: SHA512.self, saltLength: saltLength)
            default: nil
            }
        }
        switch hash {
        case "SHA-256": return withMGF(SHA256.self)
        case "SHA-384": return withMGF(SHA384.self)
        case "SHA-512": return withMGF(SHA512.self)
        default: return nil
        }
    }

    @Test("RSASSA-PSS: every valid signature verifies, every invalid one is rejected", arguments: [
        "rsa_pss_2048_sha256_mgf1_0_test.json",
        "rsa_pss_2048_sha256_mgf1_32_test.json",
        "rsa_pss_2048_sha384_mgf1_48_test.json",
        "rsa_pss_3072_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha256_mgf1_32_test.json",
        "rsa_pss_misc_test.json",
    ])
    func pss(_ name: String) throws {
        let file = try Self.load(name)
        var tally = WycheproofTally()
        for group in file.testGroups {
            let key = try Self.key(of: group)
            let mgfHash = group.mgfSha ?? group.sha
            for test in group.tests {
                let message = [UInt8](hex: test.msg) ?? []
                let signature = [UInt8](hex: test.sig) ?? []
                guard let verified = Self.verifyPSS(key, signature, message, hash: group.sha, mgfHash: mgfHash,
                                                    saltLength: group.sLen ?? 0) else {
                    tally.skipped += 1
                    tally.skipReasons.insert("\(group.sha) with MGF1-\(mgfHash) not implemented")
                    continue
                }
                switch test.result {
                case "valid":
                    tally.valid += 1
                    #expect(verified, "\(name) tcId \(test.tcId): \(test.comment)")
                case "invalid":
                    tally.invalid += 1
                    #expect(!verified, "\(name) tcId \(test.tcId): \(test.comment)")
                default:
                    tally.acceptable += 1
                }
            }
        }
        print("Wycheproof \(name): \(tally)")
        #expect(tally.total == file.numberOfTests)
        #expect(tally.valid + tally.invalid > 0)
    }

    @Test("RSASSA-PKCS1-v1_5 SHA-256: valid verifies, invalid and 'acceptable' (missing NULL) are rejected")
    func pkcs1() throws {
        let name = "rsa_signature_2048_sha256_test.json"
        let file = try Self.load(name)
        var tally = WycheproofTally()
        for group in file.testGroups {
            #expect(group.sha == "SHA-256")
            let key = try Self.key(of: group)
            for test in group.tests {
                let verified = key.isValidPKCS1v15Signature([UInt8](hex: test.sig) ?? [], for: [UInt8](hex: test.msg) ?? [],
                                                            hash: SHA256.self)
                switch test.result {
                case "valid":
                    tally.valid += 1
                    #expect(verified, "tcId \(test.tcId): \(test.comment)")
                default:
                    // "acceptable" here is a DigestInfo without the NULL parameters; we compare
                    // against the one DER encoding RFC 8017 §9.2 writes, so we reject it too.
                    if test.result == "acceptable" { tally.acceptable += 1 } else { tally.invalid += 1 }
                    #expect(!verified, "tcId \(test.tcId): \(test.comment)")
                }
            }
        }
        print("Wycheproof \(name): \(tally)")
        #expect(tally.total == file.numberOfTests)
    }
}
