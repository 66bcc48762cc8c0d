import Foundation
import Testing
import TLSCrypto

@Suite("P-256 ECDH and ECDSA (SEC 1, RFC 6979)")
struct P256Tests {
    struct RFC6979File: Decodable {
        let privateKey: String
        let publicKeyX: String
        let publicKeyY: String
        let signatures: [RFC6979Signature]
    }
    struct RFC6979Signature: Decodable {
        let message: String
        let k: String
        let r: String
        let s: String
    }

    static let n = BigUInt(bigEndianBytes: [UInt8](hex: "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")!)

    private func bytes(_ hex: String) -> [UInt8] {
        guard let b = [UInt8](hex: hex) else { fatalError("bad hex in test: \(hex)") }
        return b
    }

    @Test("RFC 6979 §A.2.5: the P-256 key, and k, r, s for \"sample\" and \"test\" with SHA-256")
    func rfc6979() throws {
        let file = try JSONDecoder().decode(RFC6979File.self, from: Vectors.data("rfc/rfc6979-p256-sha256.json"))
        let key = try P256.Signing.PrivateKey(rawRepresentation: bytes(file.privateKey))
        #expect(key.publicKey.x963Representation == [0x04] + bytes(file.publicKeyX) + bytes(file.publicKeyY))
        #expect(file.signatures.count == 2)
        for vector in file.signatures {
            let message = Array(vector.message.utf8)
            let signature = key.signature(for: message)
            #expect(signature.r == bytes(vector.r), "\(vector.message)")
            #expect(signature.s == bytes(vector.s), "\(vector.message)")
            #expect(key.publicKey.isValidSignature(signature, for: message))
            // The nonce itself, recovered with BigUInt (not the P-256 code): k = s⁻¹·(e + r·d) mod n.
            let n = Self.n
            let e = BigUInt(bigEndianBytes: SHA256.hash(message)).remainder(dividingBy: n)
            let d = BigUInt(bigEndianBytes: bytes(file.privateKey))
            let sInverse = try MontgomeryContext(modulus: n).power(BigUInt(bigEndianBytes: signature.s), n - BigUInt(2), exponentIsSecret: false)
            let k = (sInverse * (e + BigUInt(bigEndianBytes: signature.r) * d).remainder(dividingBy: n)).remainder(dividingBy: n)
            #expect(try k.bigEndianBytes(count: 32) == bytes(vector.k), "\(vector.message)")
        }
    }

    @Test("ECDH: both sides compute the same 32-byte secret; keys round-trip through their bytes")
    func keyAgreement() throws {
        let random = DeterministicRandom(seed: 256)
        let alice = try P256.KeyAgreement.PrivateKey(generatingWith: random)
        let bob = try P256.KeyAgreement.PrivateKey(generatingWith: random)
        let bobsView = try P256.KeyAgreement.PublicKey(x963Representation: alice.publicKey.x963Representation)
        let secret = try bob.sharedSecret(with: bobsView)
        #expect(secret.count == 32)
        #expect(try alice.sharedSecret(with: bob.publicKey) == secret)
        #expect(alice.publicKey.x963Representation == [0x04] + alice.publicKey.x + alice.publicKey.y)
        let restored = try P256.KeyAgreement.PrivateKey(rawRepresentation: alice.rawRepresentation)
        #expect(restored.publicKey == alice.publicKey)
        // The same seed gives the same key: --deterministic runs repeat.
        #expect(try P256.KeyAgreement.PrivateKey(generatingWith: DeterministicRandom(seed: 256)).rawRepresentation == alice.rawRepresentation)
    }

    @Test("private keys must be 32 bytes naming a number in [1, n - 1]")
    func privateKeyRange() throws {
        let n = bytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        var nMinusOne = n
        nMinusOne[31] -= 1
        #expect(throws: CryptoError.self) { try P256.KeyAgreement.PrivateKey(rawRepresentation: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: CryptoError.self) { try P256.KeyAgreement.PrivateKey(rawRepresentation: n) }
        #expect(throws: CryptoError.self) { try P256.KeyAgreement.PrivateKey(rawRepresentation: [1]) }
        #expect(try P256.Signing.PrivateKey(rawRepresentation: nMinusOne).rawRepresentation == nMinusOne)
    }

    @Test("peer points: wrong length, compressed, infinity, coordinate ≥ p and off-curve are invalidPublicKey")
    func pointValidation() throws {
        let valid = try P256.KeyAgreement.PrivateKey(generatingWith: DeterministicRandom(seed: 1)).publicKey.x963Representation
        let p = bytes("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
        var offCurve = valid
        offCurve[64] ^= 1
        var xEqualsP = valid  // not below p, though it stands for 0 mod p
        xEqualsP.replaceSubrange(1...32, with: p)
        let cases: [(String, [UInt8])] = [
            ("empty", []), ("infinity", [0x00]), ("compressed", [0x02] + valid[1...32]),
            ("hybrid prefix", [0x06] + valid[1...]), ("truncated", Array(valid.dropLast())),
            ("one byte too many", valid + [0]), ("x = p", xEqualsP), ("off the curve", offCurve),
        ]
        for (name, encoding) in cases {
            #expect(Comment(rawValue: name)) { try P256.KeyAgreement.PublicKey(x963Representation: encoding) } throws: {
                ($0 as? CryptoError)?.kind == .invalidPublicKey
            }
        }
        #expect(throws: Never.self) { try P256.KeyAgreement.PublicKey(x963Representation: valid) }
    }

    @Test("ECDSA: a signature verifies for its message and key only; s and n - s both verify")
    func signatureChecks() throws {
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 6979))
        let other = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 6980))
        let message = Array("TLS 1.3, server CertificateVerify".utf8)
        let signature = key.signature(for: message)
        #expect(key.signature(for: message) == signature)  // deterministic
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!other.publicKey.isValidSignature(signature, for: message))
        #expect(key.publicKey.isValidSignature(derRepresentation: signature.derRepresentation, for: message))

        let highS = try (Self.n - BigUInt(bigEndianBytes: signature.s)).bigEndianBytes(count: 32)
        let mirrored = try P256.Signing.ECDSASignature(r: signature.r, s: highS)
        #expect(key.publicKey.isValidSignature(mirrored, for: message))
        #expect(!key.publicKey.isValidSignature(try P256.Signing.ECDSASignature(r: signature.s, s: signature.r), for: message))
    }

    @Test("Ecdsa-Sig-Value: DER round trip; BER, trailing bytes, negative, zero and ≥ n are refused")
    func signatureEncoding() throws {
        let key = try P256.Signing.PrivateKey(generatingWith: DeterministicRandom(seed: 7))
        let signature = key.signature(for: [1, 2, 3])
        let der = signature.derRepresentation
        #expect(try P256.Signing.ECDSASignature(derRepresentation: der) == signature)
        #expect(try P256.Signing.ECDSASignature(rawRepresentation: signature.rawRepresentation) == signature)

        let one = [UInt8](repeating: 0, count: 31) + [1]
        let small = try P256.Signing.ECDSASignature(r: one, s: one)
        #expect(small.derRepresentation == [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01])
        let n = bytes("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
        let refused: [(String, [UInt8])] = [
            ("long-form length", [0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
            ("padded integer", [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01]),
            ("trailing byte", [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00]),
            ("extra element", [0x30, 0x09, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]),
            ("negative r", [0x30, 0x06, 0x02, 0x01, 0xff, 0x02, 0x01, 0x01]),
            ("zero s", [0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00]),
            ("r = n", [0x30, 0x26, 0x02, 0x21, 0x00] + n + [0x02, 0x01, 0x01]),
            ("indefinite length", [0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00, 0x00]),
        ]
        for (name, encoding) in refused {
            #expect(throws: CryptoError.self, "\(name)") { try P256.Signing.ECDSASignature(derRepresentation: encoding) }
        }
        #expect(throws: CryptoError.self) { try P256.Signing.ECDSASignature(rawRepresentation: n + one) }
        #expect(throws: CryptoError.self) { try P256.Signing.ECDSASignature(rawRepresentation: one) }
    }
}
