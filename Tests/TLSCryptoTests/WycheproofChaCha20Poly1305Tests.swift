import Foundation
import Testing
import TLSCrypto

/// Runs every case of Wycheproof's chacha20_poly1305_test.json (schema aead_test_schema_v1).
/// A valid case must seal to exactly ct | tag and open back to msg; an invalid one (modified
/// tag, a nonce that is not 96 bits) must be refused by open, and by seal too when the
/// parameters themselves are wrong.
@Suite("Wycheproof ChaCha20-Poly1305")
struct WycheproofChaCha20Poly1305Tests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }
    struct Group: Decodable {
        let ivSize: Int
        let keySize: Int
        let tagSize: Int
        let tests: [Case]
    }
    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let key: String
        let iv: String
        let aad: String
        let msg: String
        let ct: String
        let tag: String
        let result: String
        let flags: [String]
    }

    @Test("every case of chacha20_poly1305_test.json")
    func allCases() throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/chacha20_poly1305_test.json"))
        var valid = 0, invalid = 0
        for group in file.testGroups {
            #expect(group.keySize == 256 && group.tagSize == 128)
            for test in group.tests {
                let context = Comment(rawValue: "tcId \(test.tcId) \(test.comment) \(test.flags)")
                let key = try #require([UInt8](hex: test.key), context)
                let nonce = try #require([UInt8](hex: test.iv), context)
                let aad = try #require([UInt8](hex: test.aad), context)
                let message = try #require([UInt8](hex: test.msg), context)
                let sealed = try #require([UInt8](hex: test.ct + test.tag), context)
                let aead = try ChaCha20Poly1305(key: key)

                switch test.result {
                case "valid":
                    valid += 1
                    #expect(try aead.seal(nonce: nonce, plaintext: message, additionalData: aad) == sealed, context)
                    #expect(try aead.open(nonce: nonce, ciphertextAndTag: sealed, additionalData: aad) == message, context)
                case "invalid":
                    invalid += 1
                    #expect(context) {
                        try aead.open(nonce: nonce, ciphertextAndTag: sealed, additionalData: aad)
                    } throws: { error in
                        let kind = (error as? CryptoError)?.kind
                        return nonce.count == 12 ? kind == .authenticationFailure : kind == .invalidNonceSize
                    }
                    if nonce.count != 12 {
                        #expect(context) {
                            try aead.seal(nonce: nonce, plaintext: message, additionalData: aad)
                        } throws: { ($0 as? CryptoError)?.kind == .invalidNonceSize }
                    }
                default:
                    Issue.record(Comment(rawValue: "unexpected result \(test.result) in tcId \(test.tcId)"))
                }
            }
        }
        #expect(valid + invalid == file.numberOfTests)
        #expect(valid == 256 && invalid == 69)
    }
}
