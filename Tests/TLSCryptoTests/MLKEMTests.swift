import Foundation
import Testing
import TLSCrypto

/// ML-KEM-768's public API: sizes, round trips from a RandomSource, implicit rejection of a
/// modified ciphertext, and the errors of FIPS 203 §7.2-7.3's input checks (which the TLS layer
/// turns into illegal_parameter).
@Suite("ML-KEM-768 (FIPS 203)")
struct MLKEMTests {
    @Test("keys, ciphertext and secret have FIPS 203's sizes; decapsulation recovers the secret")
    func roundTrip() throws {
        let random = DeterministicRandom(seed: 203)
        for _ in 0..<5 {
            let pair = try MLKEM768.generateKeyPair(using: random)
            #expect(pair.encapsulationKey.bytes.count == 1184)
            #expect(pair.decapsulationKey.bytes.count == 2400)
            #expect(pair.decapsulationKey.encapsulationKey == pair.encapsulationKey)
            let encapsulation = try MLKEM768.encapsulate(to: pair.encapsulationKey, using: random)
            #expect(encapsulation.ciphertext.count == 1088)
            #expect(encapsulation.sharedSecret.count == 32)
            #expect(try MLKEM768.decapsulate(encapsulation.ciphertext, with: pair.decapsulationKey) == encapsulation.sharedSecret)
        }
    }

    @Test("a ciphertext with one bit flipped decapsulates to K̄ = J(z ‖ c), not to K")
    func implicitRejection() throws {
        let pair = try MLKEM768.generateKeyPair(seed: [UInt8](repeating: 7, count: 64))
        let encapsulation = try MLKEM768.encapsulate(to: pair.encapsulationKey, message: [UInt8](repeating: 9, count: 32))
        for position in [0, 500, 959, 960, 1087] {
            var tampered = encapsulation.ciphertext
            tampered[position] ^= 0x01
            var trace = MLKEM768.Trace()
            let secret = try MLKEM768.decapsulate(tampered, with: pair.decapsulationKey, trace: &trace)
            let z = pair.decapsulationKey.bytes[2368...]
            #expect(secret == SHAKE256.hash(z + tampered, outputByteCount: 32), "byte \(position)")
            #expect(secret != encapsulation.sharedSecret)
            #expect(trace.implicitlyRejected == true)
        }
    }

    @Test("§7.2-7.3 input checks throw CryptoError with the reason")
    func inputChecks() throws {
        let pair = try MLKEM768.generateKeyPair(seed: [UInt8](repeating: 1, count: 64))
        let ek = pair.encapsulationKey.bytes, dk = pair.decapsulationKey.bytes

        #expect { try MLKEM768.EncapsulationKey(bytes: Array(ek.dropLast())) } throws: { ($0 as? CryptoError)?.kind == .invalidKeySize }
        var unreduced = ek
        unreduced[0] = 0xff
        unreduced[1] |= 0x0f  // the first coefficient becomes 4095 ≥ q
        #expect { try MLKEM768.EncapsulationKey(bytes: unreduced) } throws: { ($0 as? CryptoError)?.kind == .invalidParameter }

        #expect { try MLKEM768.DecapsulationKey(bytes: dk + [0]) } throws: { ($0 as? CryptoError)?.kind == .invalidKeySize }
        var corrupted = dk
        corrupted[1200] ^= 1  // inside the embedded ek, so H(ek) no longer matches
        #expect { try MLKEM768.DecapsulationKey(bytes: corrupted) } throws: { ($0 as? CryptoError)?.kind == .invalidParameter }

        #expect { try MLKEM768.decapsulate([UInt8](repeating: 0, count: 1087), with: pair.decapsulationKey) } throws: {
            ($0 as? CryptoError)?.kind == .invalidParameter
        }
        #expect { try MLKEM768.generateKeyPair(seed: [UInt8](repeating: 0, count: 32)) } throws: { ($0 as? CryptoError)?.kind == .invalidKeySize }
        #expect { try MLKEM768.encapsulate(to: pair.encapsulationKey, message: [1, 2, 3]) } throws: { ($0 as? CryptoError)?.kind == .invalidParameter }
    }

    @Test("the trace of a key generation holds the values the key is made of")
    func traceOfKeyGeneration() throws {
        let seed = (0..<64).map { UInt8($0) }
        var trace = MLKEM768.Trace()
        let pair = try MLKEM768.generateKeyPair(seed: seed, trace: &trace)
        #expect(try MLKEM768.generateKeyPair(seed: seed).encapsulationKey == pair.encapsulationKey)
        #expect(trace.d == Array(seed[..<32]))
        #expect(trace.z == Array(seed[32...]))
        #expect(trace.rho == Array(pair.encapsulationKey.bytes.suffix(32)))
        #expect(trace.encapsulationKey == pair.encapsulationKey.bytes)
        #expect(trace.decapsulationKey == pair.decapsulationKey.bytes)
        #expect(trace.matrixA?.count == 9)
        #expect(trace.s?.allSatisfy { $0.count == 256 && $0.allSatisfy { $0 <= 2 || $0 >= 3327 } } == true)
    }
}
