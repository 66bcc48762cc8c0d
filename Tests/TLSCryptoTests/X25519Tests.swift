import Foundation
import Testing
import TLSCrypto

@Suite("X25519 (RFC 7748)")
struct X25519Tests {
    private func bytes(_ hex: String) -> [UInt8] {
        guard let b = [UInt8](hex: hex) else { fatalError("bad hex in test: \(hex)") }
        return b
    }

    @Test("RFC 7748 §5.2: scalar multiplication vectors", arguments: [
        ("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
         "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
         "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"),
        // The top bit of this u-coordinate is set and must be ignored.
        ("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
         "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
         "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"),
    ])
    func rfcVectors(scalar: String, u: String, expected: String) throws {
        #expect(try X25519.scalarMultiply(scalar: bytes(scalar), uCoordinate: bytes(u)) == bytes(expected))
    }

    /// RFC 7748 §5.2: k = u = 9, then repeatedly (k, u) = (X25519(k, u), k).
    private func iterate(_ count: Int) throws -> [UInt8] {
        var k = [UInt8](repeating: 0, count: 32)
        k[0] = 9
        var u = k
        for _ in 0..<count {
            (k, u) = (try X25519.scalarMultiply(scalar: k, uCoordinate: u), k)
        }
        return k
    }

    @Test("RFC 7748 §5.2: iterated, 1 and 1,000 times")
    func iterated() throws {
        #expect(try iterate(1) == bytes("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079"))
        #expect(try iterate(1000) == bytes("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51"))
    }

    @Test("RFC 7748 §5.2: iterated 1,000,000 times (set X25519_MILLION=1; about a minute)",
          .enabled(if: ProcessInfo.processInfo.environment["X25519_MILLION"] != nil))
    func iteratedMillion() throws {
        #expect(try iterate(1_000_000) == bytes("7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424"))
    }

    @Test("RFC 7748 §6.1: Alice and Bob agree")
    func diffieHellman() throws {
        let alicePrivate = bytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
        let bobPrivate = bytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")
        let alicePublic = try X25519.publicKey(privateKey: alicePrivate)
        let bobPublic = try X25519.publicKey(privateKey: bobPrivate)
        #expect(alicePublic == bytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))
        #expect(bobPublic == bytes("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"))
        let shared = bytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        #expect(try X25519.sharedSecret(privateKey: alicePrivate, peerPublicKey: bobPublic) == shared)
        #expect(try X25519.sharedSecret(privateKey: bobPrivate, peerPublicKey: alicePublic) == shared)
    }

    /// A stand-in random source that hands out 0, 1, 2, ... so the test knows what it drew.
    private final class CountingRandom: RandomSource {
        var next: UInt8 = 0
        func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
            for i in buffer.indices {
                buffer[i] = next
                next &+= 1
            }
        }
    }

    @Test("generatePrivateKey draws 32 bytes from the source, and the two sides agree")
    func generatedKeys() throws {
        let random = CountingRandom()
        let a = try X25519.generatePrivateKey(using: random)
        let b = try X25519.generatePrivateKey(using: random)
        #expect(a == Array(0..<32))
        #expect(b == Array(32..<64))
        let ab = try X25519.sharedSecret(privateKey: a, peerPublicKey: X25519.publicKey(privateKey: b))
        let ba = try X25519.sharedSecret(privateKey: b, peerPublicKey: X25519.publicKey(privateKey: a))
        #expect(ab == ba)
    }

    @Test("keys that are not 32 bytes are refused")
    func wrongLengths() {
        let key = [UInt8](repeating: 1, count: 32)
        for bad in [[UInt8](), [UInt8](repeating: 1, count: 31), [UInt8](repeating: 1, count: 33)] {
            #expect { try X25519.publicKey(privateKey: bad) } throws: {
                ($0 as? CryptoError)?.kind == .invalidKeySize
            }
            #expect { try X25519.sharedSecret(privateKey: bad, peerPublicKey: key) } throws: {
                ($0 as? CryptoError)?.kind == .invalidKeySize
            }
            #expect { try X25519.sharedSecret(privateKey: key, peerPublicKey: bad) } throws: {
                ($0 as? CryptoError)?.kind == .invalidKeySize
            }
        }
    }
}
