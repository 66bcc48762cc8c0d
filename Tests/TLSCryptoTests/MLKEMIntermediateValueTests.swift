import Foundation
import Testing
@_spi(Testing) import TLSCrypto

/// C2SP CCTV ML-KEM-768 intermediate values (Tests/Vectors/cctv-mlkem/intermediate): every
/// value `MLKEM768.Trace` records is compared with the reference's value of the same step.
///
/// The file lists "label = value" lines. Values are hex byte strings; polynomials, vectors and
/// matrices are hex of their ByteEncode_12 encoding; some polynomials come first in decimal,
/// "label = {c0, c1, ...} = hex", and one value has two names, "dkPKE = NTT(s) = hex". Labels
/// repeat where the spec reuses a name ("r" is both the 32-byte seed and the sampled vector),
/// so lookups take the nth occurrence.
///
/// The file was made with the FIPS 203 draft, whose K-PKE.KeyGen computes (ρ, σ) = G(d) where
/// the final standard has G(d ‖ k). Everything after that step is the same in both, so key
/// generation is checked from the file's ρ and σ, and the draft's G(d) is checked on its own.
@Suite("CCTV ML-KEM-768 intermediate values")
struct MLKEMIntermediateValueTests {
    struct IntermediateValues {
        struct Entry {
            var names: [String]
            var decimal: [UInt16]?
            var hex: String?
        }
        var entries: [Entry] = []

        init(_ text: String) throws {
            for line in text.split(separator: "\n") {
                let parts = line.components(separatedBy: " = ")
                var entry = Entry(names: [parts[0]])
                for part in parts.dropFirst() {
                    if part.hasPrefix("{") {
                        entry.decimal = part.trimmingCharacters(in: CharacterSet(charactersIn: "{}"))
                            .split(separator: ",").compactMap { UInt16($0.trimmingCharacters(in: .whitespaces)) }
                    } else if part == parts.last {
                        entry.hex = part
                    } else {
                        entry.names.append(part)
                    }
                }
                entries.append(entry)
            }
        }

        private func entry(_ name: String, occurrence: Int) throws -> Entry {
            let matches = entries.filter { $0.names.contains(name) }
            try #require(matches.count > occurrence, "no occurrence \(occurrence) of \(name)")
            return matches[occurrence]
        }

        func hex(_ name: String, occurrence: Int = 0) throws -> [UInt8] {
            try #require(entry(name, occurrence: occurrence).hex.flatMap { [UInt8](hex: $0) }, "\(name) has no hex form")
        }

        func decimal(_ name: String) throws -> [UInt16] {
            try #require(entry(name, occurrence: 0).decimal, "\(name) has no decimal form")
        }
    }

    static func load() throws -> IntermediateValues {
        try IntermediateValues(String(decoding: Vectors.data("cctv-mlkem/intermediate/ML-KEM-768.txt"), as: UTF8.self))
    }

    /// ByteEncode_12 written independently of the library: two 12-bit values in three bytes.
    static func encode12(_ polynomials: [[UInt16]]?) -> [UInt8] {
        var bytes: [UInt8] = []
        for coefficients in polynomials ?? [] {
            for pair in stride(from: 0, to: coefficients.count, by: 2) {
                let a = coefficients[pair], b = coefficients[pair + 1]
                bytes += [UInt8(a & 0xff), UInt8(a >> 8 | (b & 0x0f) << 4), UInt8(b >> 4)]
            }
        }
        return bytes
    }

    @Test("K-PKE.KeyGen from ρ and σ: Â, s, e, NTT(s), NTT(e), t̂, ek, dk")
    func keyGen() throws {
        let file = try Self.load()
        let rho = try file.hex("ρ"), sigma = try file.hex("σ")
        #expect(try SHA3_512.hash(file.hex("d")) == rho + sigma, "the draft's (ρ, σ) = G(d)")

        var trace = MLKEM768.Trace()
        let (ekPKE, dkPKE) = MLKEM768.kpkeKeyGen(rho: rho, sigma: sigma, trace: &trace)
        #expect(trace.rho == rho)
        #expect(trace.sigma == sigma)
        #expect(trace.matrixA?.first == (try file.decimal("A[0, 0]")))
        #expect(Self.encode12(trace.matrixA) == (try file.hex("A")))
        #expect(Self.encode12(trace.s) == (try file.hex("s")))
        #expect(trace.s?.first == (try file.decimal("s[0]")))
        #expect(trace.sHat?.first == (try file.decimal("NTT(s[0])")))
        #expect(Self.encode12(trace.sHat) == (try file.hex("NTT(s)")))
        #expect(Self.encode12(trace.e) == (try file.hex("e")))
        #expect(Self.encode12(trace.eHat) == (try file.hex("NTT(e)")))
        #expect(Self.encode12(trace.tHat) == (try file.hex("t")))
        #expect(ekPKE == (try file.hex("ek")))
        #expect(dkPKE == (try file.hex("NTT(s)")))

        // dk = dk_PKE ‖ ek ‖ H(ek) ‖ z (Algorithm 16), and it passes §7.3's hash check.
        let z = try file.hex("z")
        #expect(SHA3_256.hash(ekPKE) == (try file.hex("H(ek)")))
        #expect(dkPKE + ekPKE + SHA3_256.hash(ekPKE) + z == (try file.hex("dk")))
        #expect(throws: Never.self) { try MLKEM768.DecapsulationKey(bytes: file.hex("dk")) }
    }

    @Test("Encaps and K-PKE.Encrypt: K, r, Âᵀ, y, NTT(y), e1, e2, u, v, μ, compressed u and v, c1, c2, c")
    func encaps() throws {
        let file = try Self.load()
        let key = try MLKEM768.EncapsulationKey(bytes: file.hex("ek"))
        var trace = MLKEM768.Trace()
        let encapsulation = try MLKEM768.encapsulate(to: key, message: file.hex("m"), trace: &trace)
        #expect(encapsulation.sharedSecret == (try file.hex("K")))
        #expect(encapsulation.ciphertext == (try file.hex("c")))
        #expect(trace.m == (try file.hex("m")))
        #expect(trace.sharedSecret == (try file.hex("K")))
        #expect(trace.r == (try file.hex("r", occurrence: 0)))

        let a = try #require(trace.matrixA)
        let transposed = (0..<9).map { a[3 * ($0 % 3) + $0 / 3] }
        #expect(Self.encode12(transposed) == (try file.hex("A^T")))
        #expect(Self.encode12(trace.y) == (try file.hex("r", occurrence: 1)))
        #expect(Self.encode12(trace.yHat) == (try file.hex("NTT(r)")))
        #expect(Self.encode12(trace.e1) == (try file.hex("e1")))
        #expect(Self.encode12(trace.e2.map { [$0] }) == (try file.hex("e2")))
        #expect(Self.encode12(trace.u) == (try file.hex("u")))
        #expect(trace.u?.first == (try file.decimal("u[0]")))
        #expect(Self.encode12(trace.mu.map { [$0] }) == (try file.hex("μ")))
        #expect(trace.v == (try file.decimal("v")))
        #expect(Self.encode12(trace.v.map { [$0] }) == (try file.hex("v")))
        #expect(trace.compressedU?.first == (try file.decimal("compress(u[0])")))
        #expect(trace.compressedV == (try file.decimal("compress(v)")))
        #expect(trace.c1 == (try file.hex("c1")))
        #expect(trace.c2 == (try file.hex("c2")))
        #expect(trace.ciphertext == (try file.hex("c")))
    }

    @Test("Decaps and K-PKE.Decrypt: u', NTT(u'), v', w, m', K̄, and the shared secret")
    func decaps() throws {
        let file = try Self.load()
        let key = try MLKEM768.DecapsulationKey(bytes: file.hex("dk"))
        var trace = MLKEM768.Trace()
        let secret = try MLKEM768.decapsulate(file.hex("c"), with: key, trace: &trace)
        #expect(secret == (try file.hex("K")))
        #expect(Self.encode12(trace.uPrime) == (try file.hex("uᵈ")))
        #expect(Self.encode12(trace.uPrimeHat) == (try file.hex("NTT(uᵈ)")))
        #expect(Self.encode12(trace.vPrime.map { [$0] }) == (try file.hex("vᵈ")))
        #expect(Self.encode12(trace.w.map { [$0] }) == (try file.hex("w")))
        #expect(trace.mPrime == (try file.hex("m")))
        #expect(trace.sharedSecretPrime == (try file.hex("K")))
        #expect(trace.ciphertextPrime == (try file.hex("c")))
        #expect(trace.sharedSecretBar == (try file.hex("KBar")))
        #expect(trace.implicitlyRejected == false)
    }
}
