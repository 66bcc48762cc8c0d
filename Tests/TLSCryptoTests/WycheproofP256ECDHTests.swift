import Foundation
import Testing
import TLSCrypto

/// Project Wycheproof ECDH on secp256r1: every valid case gives the expected shared secret,
/// every invalid one is refused, and every "acceptable" one is handled as our policy says.
@Suite("Wycheproof P-256 ECDH")
struct WycheproofP256ECDHTests {
    /// ecdh_test_schema and ecdh_ecpoint_test_schema have the fields of X25519's xdh schema.
    typealias File = WycheproofX25519Tests.File

    /// Wycheproof writes private keys as DER INTEGER magnitudes (a leading 00, or fewer than 32
    /// bytes); SEC 1 §2.3.7 writes them as exactly 32 bytes.
    static func privateKey(_ hex: String) throws -> P256.KeyAgreement.PrivateKey {
        let magnitude = ([UInt8](hex: hex) ?? []).drop { $0 == 0 }
        return try P256.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 32 - magnitude.count) + magnitude)
    }

    /// Runs one file; `decode` turns the case's public key field into a key (or throws).
    static func run(_ name: String, decode: ([UInt8]) throws -> P256.KeyAgreement.PublicKey) throws {
        let file = try JSONDecoder().decode(File.self, from: Vectors.data("wycheproof/\(name)"))
        var tally = ECWycheproofTally()
        for group in file.testGroups {
            #expect(group.curve == "secp256r1")
            for test in group.tests {
                let context = Comment(rawValue: "\(name) tcId \(test.tcId) \(test.comment) \(test.flags)")
                let outcome = Result { try privateKey(test.private).sharedSecret(with: decode([UInt8](hex: test.public) ?? [])) }
                let accepted = (try? outcome.get()) != nil
                switch test.result {
                case "valid":
                    #expect(try outcome.get() == [UInt8](hex: test.shared), context)
                case "invalid":
                    #expect(!accepted, context)
                default:
                    let policy = ECWycheproofTally.acceptablePolicy(test.flags)
                    #expect(accepted == policy.accept, context)
                    tally.noteAcceptable(policy)
                }
                tally.count(test.result)
            }
        }
        print("Wycheproof \(name): \(tally)")
        #expect(tally.total == file.numberOfTests)
    }

    @Test("ecdh_secp256r1_ecpoint_test.json: peer keys as SEC 1 encoded points")
    func encodedPoints() throws {
        try Self.run("ecdh_secp256r1_ecpoint_test.json") { try P256.KeyAgreement.PublicKey(x963Representation: $0) }
    }
}

/// Outcome counts for one Wycheproof file, with the reason for each "acceptable" decision.
/// The tally of the EC files, whose "acceptable" cases follow a stated policy by their flags.
struct ECWycheproofTally: CustomStringConvertible {
    var valid = 0, invalid = 0, acceptable = 0
    var acceptableReasons: [String: Int] = [:]
    var total: Int { valid + invalid + acceptable }

    mutating func count(_ result: String) {
        switch result {
        case "valid": valid += 1
        case "invalid": invalid += 1
        default: acceptable += 1
        }
    }

    mutating func noteAcceptable(_ policy: (accept: Bool, reason: String)) {
        acceptableReasons["\(policy.accept ? "accepted" : "rejected"): \(policy.reason)", default: 0] += 1
    }

    /// What we do with an "acceptable" case, decided by its flags, and why.
    static func acceptablePolicy(_ flags: [String]) -> (accept: Bool, reason: String) {
        if flags.contains("CompressedPoint") {
            return (false, "compressed points are refused (only 0x04 || X || Y, as RFC 8446 §4.2.8.2 requires)")
        }
        if flags.contains("UnnamedCurve") {
            return (false, "explicit curve parameters are refused (RFC 5480 §2.1.1: namedCurve only)")
        }
        if flags.contains("InvalidAsn") {
            return (false, "BER is refused (strict DER, X.690 §10)")
        }
        return (false, "no policy for flags \(flags)")
    }

    var description: String {
        "valid \(valid), invalid \(invalid), acceptable \(acceptable)"
            + acceptableReasons.sorted { $0.key < $1.key }.map { " [\($0.value) \($0.key)]" }.joined()
    }
}

extension WycheproofP256ECDHTests {
    @Test("ecdh_secp256r1_test.json: peer keys as X.509 SubjectPublicKeyInfo")
    func subjectPublicKeyInfos() throws {
        try Self.run("ecdh_secp256r1_test.json") { der in
            let key = try P256.Signing.PublicKey(subjectPublicKeyInfoDER: der)
            return try P256.KeyAgreement.PublicKey(x963Representation: key.x963Representation)
        }
    }
}
