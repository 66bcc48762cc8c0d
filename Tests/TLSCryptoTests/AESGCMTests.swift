import Foundation
import Testing
import TLSCrypto

@Suite("AES (FIPS 197)")
struct AESTests {
    /// FIPS 197 Appendix C: plaintext 00112233445566778899aabbccddeeff, key 000102...
    @Test("FIPS 197 Appendix C.1, C.2, C.3: AES-128, AES-192, AES-256 single blocks",
          arguments: [
              (16, "69c4e0d86a7b0430d8cdb78070b4c55a"),
              (24, "dda97ca4864cdfe06eaf70a0ec0d7191"),
              (32, "8ea2b7ca516745bfeafc49904b496089"),
          ])
    func appendixC(keyByteCount: Int, expected: String) throws {
        let key = (0..<keyByteCount).map { UInt8($0) }
        let plaintext = [UInt8](hex: "00112233445566778899aabbccddeeff")!
        let aes = try AES(key: key)
        #expect(aes.encrypt(block: plaintext).hexString == expected)
    }

    @Test("FIPS 197 Appendix B: the worked AES-128 example")
    func appendixB() throws {
        let aes = try AES(key: [UInt8](hex: "2b7e151628aed2a6abf7158809cf4f3c")!)
        #expect(aes.encrypt(block: [UInt8](hex: "3243f6a8885a308d313198a2e0370734")!).hexString
            == "3925841d02dc09fbdc118597196a0b32")
    }

    @Test("keys of other lengths are refused")
    func badKeyLength() {
        #expect(throws: CryptoError.self) { try AES(key: [UInt8](repeating: 0, count: 20)) }
    }
}

@Suite("AES-GCM (SP 800-38D)")
struct AESGCMTests {
    struct SpecCase: Decodable {
        let testCase: Int
        let key, iv, aad, plaintext, ciphertext, tag: String
    }

    static let specCases: [SpecCase] = {
        struct File: Decodable { let testCases: [SpecCase] }
        guard let data = try? Vectors.data("gcm-spec/gcm-spec-test-cases.json"),
              let file = try? JSONDecoder().decode(File.self, from: data) else { return [] }
        return file.testCases
    }()

    @Test("McGrew-Viega GCM spec Appendix B test cases 1-18 (96-bit, 64-bit and 480-bit IVs)")
    func specTestCases() throws {
        #expect(Self.specCases.count == 18)
        for spec in Self.specCases {
            let core = try AESGCM.Core(key: [UInt8](hex: spec.key)!)
            let iv = [UInt8](hex: spec.iv)!, aad = [UInt8](hex: spec.aad)!
            let plaintext = [UInt8](hex: spec.plaintext)!
            let sealed = try core.seal(iv: iv, plaintext: plaintext, additionalData: aad)
            #expect(sealed.hexString == spec.ciphertext + spec.tag, "test case \(spec.testCase)")
            let opened = try core.open(iv: iv, ciphertextAndTag: sealed, additionalData: aad)
            #expect(opened == plaintext, "test case \(spec.testCase)")
        }
    }

    @Test("the AEAD types use the spec's 96-bit-IV cases: 3 (AES-128) and 16 (AES-256)")
    func aeadTypes() throws {
        let case3 = try #require(Self.specCases.first { $0.testCase == 3 })
        let aes128 = try AES128GCM(key: [UInt8](hex: case3.key)!)
        #expect(try aes128.seal(nonce: [UInt8](hex: case3.iv)!, plaintext: [UInt8](hex: case3.plaintext)!,
                                additionalData: []).hexString == case3.ciphertext + case3.tag)
        let case16 = try #require(Self.specCases.first { $0.testCase == 16 })
        let aes256 = try AES256GCM(key: [UInt8](hex: case16.key)!)
        let sealed = [UInt8](hex: case16.ciphertext + case16.tag)!
        #expect(try aes256.open(nonce: [UInt8](hex: case16.iv)!, ciphertextAndTag: sealed,
                                additionalData: [UInt8](hex: case16.aad)!) == [UInt8](hex: case16.plaintext)!)
        #expect(AES128GCM.nonceByteCount == 12 && AES128GCM.tagByteCount == 16 && AES256GCM.keyByteCount == 32)
    }

    @Test("AEAD types refuse wrong key and nonce sizes")
    func sizes() throws {
        #expect(throws: CryptoError(.invalidKeySize, "AES-128-GCM keys are 16 bytes, not 32")) {
            try AES128GCM(key: [UInt8](repeating: 0, count: 32))
        }
        #expect(throws: CryptoError.self) { try AES256GCM(key: [UInt8](repeating: 0, count: 16)) }
        let aead = try AES128GCM(key: [UInt8](repeating: 0, count: 16))
        #expect(throws: CryptoError.self) {
            try aead.seal(nonce: [UInt8](repeating: 0, count: 8), plaintext: [], additionalData: [])
        }
    }

    @Test("open() rejects one flipped bit anywhere in ciphertext, tag or additional data")
    func flippedBits() throws {
        let aead = try AES256GCM(key: (0..<32).map { UInt8($0) })
        let nonce = (0..<12).map { UInt8($0 + 100) }
        let aad = Array("record header".utf8)
        let plaintext = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let sealed = try aead.seal(nonce: nonce, plaintext: plaintext, additionalData: aad)
        #expect(try aead.open(nonce: nonce, ciphertextAndTag: sealed, additionalData: aad) == plaintext)
        for index in [0, 17, 255, 299, 300, 307, 315] {
            for bit in [0, 3, 7] {
                var damaged = sealed
                damaged[index] ^= 1 << bit
                #expect(throws: CryptoError.self) {
                    try aead.open(nonce: nonce, ciphertextAndTag: damaged, additionalData: aad)
                }
            }
        }
        for index in aad.indices {
            var damaged = aad
            damaged[index] ^= 0x10
            #expect(throws: CryptoError.self) {
                try aead.open(nonce: nonce, ciphertextAndTag: sealed, additionalData: damaged)
            }
        }
        #expect(throws: CryptoError.self) {
            try aead.open(nonce: nonce, ciphertextAndTag: Array(sealed.prefix(15)), additionalData: aad)
        }
    }

    /// Every length from 0 to 600 bytes crosses the 4- and 16-block batch edges and the
    /// 4-block GHASH aggregation in every phase; OpenSSL is the reference.
    @Test("the keystream agrees with OpenSSL's AES-128-CTR for every length 0...600",
          .enabled(if: Self.openSSLPath != nil, "openssl is not installed"))
    func againstOpenSSL() throws {
        // One OpenSSL run over a long message covers every prefix length: GCM's keystream does
        // not depend on the length, only the tag does, and tags are checked by the vectors above.
        let key = (0..<16).map { UInt8($0 &* 13 &+ 5) }
        let iv = (0..<12).map { UInt8($0 &* 3) }
        let message = (0..<600).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        let reference = try Self.openSSLCTR(key: key, counterBlock: iv + [0, 0, 0, 2], message: message)
        try #require(reference.count == message.count)
        let core = try AESGCM.Core(key: key)
        for length in 0...600 {
            let sealed = try core.seal(iv: iv, plaintext: Array(message.prefix(length)), additionalData: [])
            #expect(Array(sealed.prefix(length)) == Array(reference.prefix(length)), "length \(length)")
            #expect(try core.open(iv: iv, ciphertextAndTag: sealed, additionalData: []) == Array(message.prefix(length)))
        }
    }

    static let openSSLPath = ["/usr/bin/openssl", "/usr/local/bin/openssl"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// AES-128-CTR from `openssl enc`.
    static func openSSLCTR(key: [UInt8], counterBlock: [UInt8], message: [UInt8]) throws -> [UInt8] {
        let path = try #require(openSSLPath)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["enc", "-aes-128-ctr", "-K", key.hexString, "-iv", counterBlock.hexString]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(message))
        try input.fileHandleForWriting.close()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](result)
    }
}
