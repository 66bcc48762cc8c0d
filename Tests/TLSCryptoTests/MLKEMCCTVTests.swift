import Foundation
import Testing
@_spi(Testing) import TLSCrypto

/// C2SP CCTV ML-KEM-768 edge cases (Tests/Vectors/cctv-mlkem): the modulus check, the strcmp
/// ciphertext and the unlucky SampleNTT seed, plus the exact-rounding claim of Compress_d.
@Suite("CCTV ML-KEM-768 edge cases")
struct MLKEMCCTVTests {
    /// "label = hex" lines, as in the strcmp and unluckysample files.
    static func labelledHex(_ path: String) throws -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        for line in String(decoding: try Vectors.data(path), as: UTF8.self).split(separator: "\n") {
            let parts = line.components(separatedBy: " = ")
            try #require(parts.count == 2, "not 'label = hex': \(line.prefix(40))")
            let bytes: [UInt8] = try #require([UInt8](hex: parts[1]), "\(parts[0]) is not hex")
            values[parts[0]] = bytes
        }
        return values
    }

    @Test("modulus/: every encapsulation key with one coefficient in q..<4096 fails §7.2's modulus check")
    func modulus() throws {
        let lines = String(decoding: try Vectors.data("cctv-mlkem/modulus/ML-KEM-768.txt"), as: UTF8.self).split(separator: "\n")
        var rejected = 0
        for (number, line) in lines.enumerated() {
            let key = try #require([UInt8](hex: line), "line \(number + 1) is not hex")
            #expect(key.count == MLKEM768.encapsulationKeyByteCount, "line \(number + 1)")
            #expect("line \(number + 1)") { try MLKEM768.EncapsulationKey(bytes: key) } throws: { error in
                (error as? CryptoError)?.kind == .invalidParameter
            }
            rejected += 1
        }
        print("CCTV modulus/ML-KEM-768.txt: \(rejected) invalid encapsulation keys rejected")
        #expect(rejected == 780)
    }

    @Test("strcmp/: a ciphertext whose re-encryption differs only after a zero byte is rejected implicitly")
    func strcmp() throws {
        let values = try Self.labelledHex("cctv-mlkem/strcmp/ML-KEM-768.txt")
        let key = try MLKEM768.DecapsulationKey(bytes: try #require(values["dk"]))
        var trace = MLKEM768.Trace()
        let secret = try MLKEM768.decapsulate(try #require(values["c"]), with: key, trace: &trace)
        #expect(secret == values["K"])
        #expect(trace.implicitlyRejected == true)
        #expect(secret == trace.sharedSecretBar)
        print("CCTV strcmp/ML-KEM-768.txt: 1 implicit rejection")
    }

    /// The file was made with the FIPS 203 draft, whose key generation takes (ρ, σ) = G(d) where
    /// the standard has G(d ‖ k) (see MLKEMIntermediateValueTests); the unlucky part, SampleNTT
    /// on ρ, is the same in both, so the key pair is built from the draft's ρ and σ.
    @Test("unluckysample/: a ρ whose SampleNTT needs more than 575 bytes of SHAKE128: K-PKE.KeyGen, Encaps, Decaps")
    func unluckySample() throws {
        let values = try Self.labelledHex("cctv-mlkem/unluckysample/ML-KEM-768.txt")
        let g = SHA3_512.hash(try #require(values["d"]))
        var trace = MLKEM768.Trace()
        let (ek, dkPKE) = MLKEM768.kpkeKeyGen(rho: Array(g[0..<32]), sigma: Array(g[32...]), trace: &trace)
        #expect(ek == values["ek"])
        #expect(dkPKE + ek + SHA3_256.hash(ek) + (try #require(values["z"])) == values["dk"])

        let encapsulationKey = try MLKEM768.EncapsulationKey(bytes: ek)
        let encapsulation = try MLKEM768.encapsulate(to: encapsulationKey, message: try #require(values["m"]))
        #expect(encapsulation.ciphertext == values["c"])
        #expect(encapsulation.sharedSecret == values["K"])
        let decapsulationKey = try MLKEM768.DecapsulationKey(bytes: try #require(values["dk"]))
        #expect(try MLKEM768.decapsulate(encapsulation.ciphertext, with: decapsulationKey) == values["K"])
        print("CCTV unluckysample/ML-KEM-768.txt: 1 key pair, encapsulation and decapsulation")
    }

    /// Compress_d uses a fixed-point reciprocal of q instead of a division (KyberSlash); it must
    /// equal ⌈(2^d / q)·x⌋ mod 2^d, computed here exactly with integers, for every x and d.
    @Test("Compress_d by multiply-and-shift equals exact rounding for every x in 0..<q, d in 1...10")
    func compressIsExact() {
        var mismatches = 0
        for d in 1...10 {
            for x in 0..<3329 {
                let exact = ((x << (d + 1)) + 3329) / (2 * 3329) % (1 << d)
                if MLKEM768.compress(Int16(x), bits: d) != exact { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }
}
