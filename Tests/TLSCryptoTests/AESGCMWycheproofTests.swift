import Foundation
import Testing
import TLSCrypto

/// Runs every test of Wycheproof's aes_gcm_test.json (AES-128, -192 and -256; IVs from 0 to
/// 2056 bits; counter wrap-around; modified tags): a "valid" test must seal to exactly its
/// ciphertext and tag and open back; an "invalid" one must be refused, by the constructor, by
/// seal (an IV GCM does not allow) or by open.
@Suite("AES-GCM Wycheproof")
struct AESGCMWycheproofTests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }
    struct Group: Decodable {
        let keySize, ivSize, tagSize: Int
        let tests: [Case]
    }
    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let flags: [String]
        let key, iv, aad, msg, ct, tag, result: String
    }

    @Test("wycheproof/aes_gcm_test.json: every valid test passes, every invalid test is rejected")
    func allTests() throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/aes_gcm_test.json"))
        var valid = 0, invalid = 0
        for group in file.testGroups {
            for test in group.tests {
                let label = "tcId \(test.tcId) \(test.comment) \(test.flags)"
                let key = try #require([UInt8](hex: test.key)), iv = try #require([UInt8](hex: test.iv))
                let aad = try #require([UInt8](hex: test.aad)), message = try #require([UInt8](hex: test.msg))
                let sealed = try #require([UInt8](hex: test.ct + test.tag))
                let tagLength = group.tagSize / 8
                if test.result == "valid" {
                    valid += 1
                    let core = try AESGCM.Core(key: key)
                    let ours = try core.seal(iv: iv, plaintext: message, additionalData: aad, tagLength: tagLength)
                    #expect(ours == sealed, "\(label)")
                    let opened = try core.open(iv: iv, ciphertextAndTag: sealed, additionalData: aad, tagLength: tagLength)
                    #expect(opened == message, "\(label)")
                } else {
                    invalid += 1
                    #expect(throws: CryptoError.self, "\(label)") {
                        let core = try AESGCM.Core(key: key)
                        _ = try core.open(iv: iv, ciphertextAndTag: sealed, additionalData: aad, tagLength: tagLength)
                    }
                }
            }
        }
        #expect(valid + invalid == file.numberOfTests)
        #expect(valid == 229 && invalid == 87)
    }
}

@Suite("AES-GCM counter wrap-around")
struct AESGCMCounterWrapTests {
    struct File: Decodable { let tests: [Case] }
    struct Case: Decodable { let j0, key, iv, aad, msg, ct, tag: String }

    /// inc32 (SP 800-38D §6.2) wraps the low 32 bits only; doing it in the middle of a
    /// 32-block vector batch is where a carry into the IV part would show.
    @Test("1111-byte messages whose 32-bit counter wraps mid-batch match OpenSSL")
    func longMessages() throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("openssl-aes-gcm/counter-wrap-long.json"))
        #expect(file.tests.count == 6)
        for test in file.tests {
            let core = try AESGCM.Core(key: try #require([UInt8](hex: test.key)))
            let iv = try #require([UInt8](hex: test.iv)), aad = try #require([UInt8](hex: test.aad))
            let message = try #require([UInt8](hex: test.msg))
            let sealed = try core.seal(iv: iv, plaintext: message, additionalData: aad)
            #expect(sealed.hexString == test.ct + test.tag, "J0 \(test.j0)")
            #expect(try core.open(iv: iv, ciphertextAndTag: sealed, additionalData: aad) == message, "J0 \(test.j0)")
        }
    }
}
