import Foundation
import Testing
import TLSCrypto

/// RFC 8439's own vectors: the short ones of §2.1.1 and §2.2.1 inline, the rest (§2.3.2-§2.8.2,
/// Appendix A) from Tests/Vectors/rfc/rfc8439-vectors.json.
@Suite("ChaCha20-Poly1305 (RFC 8439)")
struct ChaCha20Poly1305Tests {
    struct File: Decodable {
        struct Block: Decodable { let section, key, nonce: String; let counter: UInt32; let keystream: String }
        struct Encryption: Decodable {
            let section, key, nonce: String; let counter: UInt32; let plaintext, ciphertext: String
        }
        struct MAC: Decodable { let section, key, message, tag: String }
        struct KeyGeneration: Decodable { let section, key, nonce, oneTimeKey: String }
        struct Sealed: Decodable { let section, key, nonce, aad, plaintext, ciphertext, tag: String }

        let chacha20Block: [Block]
        let chacha20Encryption: [Encryption]
        let poly1305: [MAC]
        let poly1305KeyGeneration: [KeyGeneration]
        let aead: [Sealed]
    }

    static let vectors: File = {
        do {
            return try JSONDecoder().decode(File.self, from: Vectors.data("rfc/rfc8439-vectors.json"))
        } catch {
            fatalError("cannot read rfc8439-vectors.json: \(error)")
        }
    }()

    private func bytes(_ hex: String) throws -> [UInt8] {
        try #require([UInt8](hex: hex), "bad hex in vector file")
    }

    @Test("RFC 8439 §2.1.1: quarter round")
    func quarterRound() {
        var (a, b, c, d): (UInt32, UInt32, UInt32, UInt32) = (0x1111_1111, 0x0102_0304, 0x9b8d_6f43, 0x0123_4567)
        ChaCha20.quarterRound(&a, &b, &c, &d)
        #expect([a, b, c, d] == [0xea2a_92f4, 0xcb1c_f8ce, 0x4581_472e, 0x5881_c4bb])
    }

    @Test("RFC 8439 §2.2.1: quarter round on the ChaCha state, QUARTERROUND(2, 7, 8, 13)")
    func quarterRoundOnState() {
        var state: [UInt32] = [
            0x8795_31e0, 0xc5ec_f37d, 0x5164_61b1, 0xc9a6_2f8a,
            0x44c2_0ef3, 0x3390_af7f, 0xd9fc_690b, 0x2a5f_714c,
            0x5337_2767, 0xb00a_5631, 0x974c_541a, 0x359e_9963,
            0x5c97_1061, 0x3d63_1689, 0x2098_d9d6, 0x91db_d320,
        ]
        var (a, b, c, d) = (state[2], state[7], state[8], state[13])
        ChaCha20.quarterRound(&a, &b, &c, &d)
        (state[2], state[7], state[8], state[13]) = (a, b, c, d)
        #expect(state == [
            0x8795_31e0, 0xc5ec_f37d, 0xbdb8_86dc, 0xc9a6_2f8a,
            0x44c2_0ef3, 0x3390_af7f, 0xd9fc_690b, 0xcfac_afd2,
            0xe46b_ea80, 0xb00a_5631, 0x974c_541a, 0x359e_9963,
            0x5c97_1061, 0xccc0_7c79, 0x2098_d9d6, 0x91db_d320,
        ])
    }

    @Test("RFC 8439 §2.3.2 and A.1: block function")
    func blockFunction() throws {
        #expect(Self.vectors.chacha20Block.count == 6)
        for v in Self.vectors.chacha20Block {
            let cipher = try ChaCha20(key: bytes(v.key), nonce: bytes(v.nonce))
            #expect(try cipher.keystreamBlock(counter: v.counter) == bytes(v.keystream), "\(v.section)")
        }
    }

    @Test("RFC 8439 §2.4.2 and A.2: encryption")
    func encryption() throws {
        #expect(Self.vectors.chacha20Encryption.count == 4)
        for v in Self.vectors.chacha20Encryption {
            let cipher = try ChaCha20(key: bytes(v.key), nonce: bytes(v.nonce))
            #expect(try cipher.encrypt(bytes(v.plaintext), counter: v.counter) == bytes(v.ciphertext), "\(v.section)")
            #expect(try cipher.encrypt(bytes(v.ciphertext), counter: v.counter) == bytes(v.plaintext), "\(v.section)")
        }
    }

    @Test("RFC 8439 §2.5.2 and A.3: Poly1305, in one piece and fed in uneven pieces")
    func poly1305() throws {
        #expect(Self.vectors.poly1305.count == 12)
        for v in Self.vectors.poly1305 {
            let key = try bytes(v.key), message = try bytes(v.message), tag = try bytes(v.tag)
            #expect(try Poly1305.authenticationCode(key: key, message: message) == tag, "\(v.section)")
            for pieceLength in [1, 7, 15, 16, 17, 33] {
                var mac = try Poly1305(key: key)
                var start = 0
                while start < message.count {
                    let end = min(start + pieceLength, message.count)
                    mac.update(Array(message[start..<end]))
                    start = end
                }
                #expect(mac.finalize() == tag, "\(v.section), pieces of \(pieceLength)")
            }
        }
    }

    @Test("RFC 8439 §2.6.2 and A.4: Poly1305 key generation is the first half of block 0")
    func keyGeneration() throws {
        #expect(Self.vectors.poly1305KeyGeneration.count == 4)
        for v in Self.vectors.poly1305KeyGeneration {
            let cipher = try ChaCha20(key: bytes(v.key), nonce: bytes(v.nonce))
            #expect(try Array(cipher.keystreamBlock(counter: 0).prefix(32)) == bytes(v.oneTimeKey), "\(v.section)")
        }
    }

    @Test("RFC 8439 §2.8.2 and A.5: AEAD seal and open")
    func aead() throws {
        #expect(Self.vectors.aead.count == 2)
        for v in Self.vectors.aead {
            let aead = try ChaCha20Poly1305(key: bytes(v.key))
            let sealed = try bytes(v.ciphertext) + bytes(v.tag)
            #expect(try aead.seal(nonce: bytes(v.nonce), plaintext: bytes(v.plaintext), additionalData: bytes(v.aad)) == sealed,
                    "\(v.section)")
            #expect(try aead.open(nonce: bytes(v.nonce), ciphertextAndTag: sealed, additionalData: bytes(v.aad)) == bytes(v.plaintext),
                    "\(v.section)")
        }
    }

    @Test("open refuses a flipped bit in the ciphertext, the tag or the additional data")
    func tampering() throws {
        let v = try #require(Self.vectors.aead.first)
        let aead = try ChaCha20Poly1305(key: bytes(v.key))
        let nonce = try bytes(v.nonce), aad = try bytes(v.aad)
        let sealed = try bytes(v.ciphertext) + bytes(v.tag)
        func isRefused(_ sealed: [UInt8], _ aad: [UInt8]) -> Bool {
            do {
                _ = try aead.open(nonce: nonce, ciphertextAndTag: sealed, additionalData: aad)
                return false
            } catch {
                return (error as? CryptoError)?.kind == .authenticationFailure
            }
        }
        #expect(!isRefused(sealed, aad))
        for (position, bit) in [(0, 0), (57, 3), (sealed.count - 17, 7), (sealed.count - 16, 0), (sealed.count - 1, 7)] {
            var damaged = sealed
            damaged[position] ^= 1 << bit
            #expect(isRefused(damaged, aad), "bit \(bit) of byte \(position)")
        }
        for position in aad.indices {
            var damaged = aad
            damaged[position] ^= 0x80
            #expect(isRefused(sealed, damaged), "AAD byte \(position)")
        }
        #expect(isRefused(sealed, aad + [0]))
        #expect(isRefused(Array(sealed.dropLast()), aad))
        #expect(isRefused(Array(sealed.prefix(15)), aad))
    }

    /// Long inputs are encrypted 16, 8 or 4 blocks at a time with SIMD vectors, short ones and
    /// tails block by block with scalar code; `keystreamBlock` always takes the scalar path.
    @Test("SIMD and scalar ChaCha20 agree for every length 0...600 and for long inputs")
    func simdMatchesScalar() throws {
        let cipher = try ChaCha20(key: Array(0..<32), nonce: Array(100..<112))
        let startCounter: UInt32 = 7
        let longest = 16384 + 600
        var expected: [UInt8] = []
        var counter = startCounter
        while expected.count < longest {
            expected += cipher.keystreamBlock(counter: counter)
            counter += 1
        }
        for length in Array(0...600) + [1023, 1024, 1025, 1600, 16384, 16384 + 17, longest] {
            let keystream = cipher.encrypt([UInt8](repeating: 0, count: length), counter: startCounter)
            let firstDifference = keystream.indices.first { keystream[$0] != expected[$0] }
            #expect(keystream.count == length && firstDifference == nil,
                    "length \(length): first difference at byte \(firstDifference ?? -1)")
        }
        // Plaintext really is XORed in (not just overwritten), on both paths.
        let message = (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let encrypted = cipher.encrypt(message, counter: startCounter)
        #expect(encrypted == zip(message, expected).map { $0 ^ $1 }, "keystream XORed into a message")
    }

    /// Long runs of full blocks take the 8-lane parallel path; a message fed 15 bytes at a time
    /// never has a run of full blocks and goes block by block through the scalar loop. Extreme
    /// keys and messages (all ones: the largest clamped r, every limb full) stress the carries.
    @Test("Poly1305: parallel and block-by-block paths give the same tag")
    func poly1305ParallelMatchesScalar() throws {
        let keys: [[UInt8]] = [
            [UInt8](repeating: 0xff, count: 32),
            (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) },
            [UInt8](repeating: 0, count: 16) + [UInt8](repeating: 0xff, count: 16),
        ]
        let fills: [(Int) -> UInt8] = [{ _ in 0xff }, { _ in 0 }, { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }]
        let lengths = [511, 512, 513, 527, 528, 640, 1000, 1024, 1039, 4096 + 48, 16384, 16384 + 15]
        for key in keys {
            for fill in fills {
                for length in lengths {
                    let message = (0..<length).map(fill)
                    var byPieces = try Poly1305(key: key)
                    var start = 0
                    while start < length {
                        byPieces.update(Array(message[start..<min(start + 15, length)]))
                        start += 15
                    }
                    #expect(try Poly1305.authenticationCode(key: key, message: message) == byPieces.finalize(),
                            "key \(key.prefix(2)), length \(length)")
                }
            }
        }
    }

    @Test("AEAD round trip for lengths around the block and SIMD boundaries")
    func roundTrips() throws {
        let aead = try ChaCha20Poly1305(key: Array(32..<64))
        let nonce = Array<UInt8>(0..<12)
        for length in [0, 1, 15, 16, 17, 63, 64, 65, 511, 512, 513, 1023, 1024, 1025, 16384] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0) }
            for aad in [[], [1], Array<UInt8>(0..<16), Array<UInt8>(0..<13)] {
                let sealed = try aead.seal(nonce: nonce, plaintext: message, additionalData: aad)
                #expect(sealed.count == length + 16)
                #expect(try aead.open(nonce: nonce, ciphertextAndTag: sealed, additionalData: aad) == message)
            }
        }
    }

    @Test("wrong key and nonce sizes are refused")
    func sizes() {
        #expect { try ChaCha20Poly1305(key: [UInt8](repeating: 0, count: 31)) } throws: {
            ($0 as? CryptoError)?.kind == .invalidKeySize
        }
        #expect { try ChaCha20(key: [UInt8](repeating: 0, count: 32), nonce: [UInt8](repeating: 0, count: 8)) } throws: {
            ($0 as? CryptoError)?.kind == .invalidNonceSize
        }
        #expect { try Poly1305(key: [UInt8](repeating: 0, count: 16)) } throws: {
            ($0 as? CryptoError)?.kind == .invalidKeySize
        }
    }
}
