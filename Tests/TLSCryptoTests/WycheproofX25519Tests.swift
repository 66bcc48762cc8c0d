import Foundation
import Testing
import TLSCrypto

/// Runs every case of Wycheproof's x25519_test.json (schema xdh_comp_schema_v1).
///
/// The file has "valid" and "acceptable" cases and no "invalid" ones. For TLS the rule is
/// RFC 8446 §7.4.2: a shared secret of all zeros (a low-order peer point) aborts the
/// handshake, so those cases must throw `.zeroSharedSecret` from `sharedSecret`, while the raw
/// `scalarMultiply` still returns the zeros. Every other case, "acceptable" ones included
/// (non-canonical public keys, points on the twist), must give exactly the expected secret.
@Suite("Wycheproof X25519")
struct WycheproofX25519Tests {
    struct File: Decodable {
        let numberOfTests: Int
        let testGroups: [Group]
    }
    struct Group: Decodable {
        let curve: String
        let tests: [Case]
    }
    struct Case: Decodable {
        let tcId: Int
        let comment: String
        let `public`: String
        let `private`: String
        let shared: String
        let result: String
        let flags: [String]
    }

    @Test("every case of x25519_test.json")
    func allCases() throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/x25519_test.json"))
        var checked = 0, zeroSecrets = 0
        for group in file.testGroups {
            #expect(group.curve == "curve25519")
            for test in group.tests {
                let context = Comment(rawValue: "tcId \(test.tcId) \(test.comment) \(test.flags)")
                let privateKey = try #require([UInt8](hex: test.private), context)
                let publicKey = try #require([UInt8](hex: test.public), context)
                let shared = try #require([UInt8](hex: test.shared), context)
                #expect(["valid", "acceptable"].contains(test.result), context)

                #expect(try X25519.scalarMultiply(scalar: privateKey, uCoordinate: publicKey) == shared, context)
                if shared.allSatisfy({ $0 == 0 }) {
                    zeroSecrets += 1
                    #expect(context) {
                        try X25519.sharedSecret(privateKey: privateKey, peerPublicKey: publicKey)
                    } throws: { ($0 as? CryptoError)?.kind == .zeroSharedSecret }
                } else {
                    #expect(try X25519.sharedSecret(privateKey: privateKey, peerPublicKey: publicKey) == shared, context)
                }
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests)
        #expect(checked == 518)
        #expect(zeroSecrets == 31)
    }
}
