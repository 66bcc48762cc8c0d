import Testing
import TLSCrypto

/// A random source that first hands out scripted draws, then a counter-seeded stream, and
/// records every draw: to steer the blinding factor into the cases it must refuse, and to see
/// which values it drew.
final class ScriptedDraws: RandomSource {
    private var script: [[UInt8]]
    private let stream = DeterministicSalt()
    private(set) var draws: [[UInt8]] = []

    init(_ script: [[UInt8]] = []) { self.script = script }

    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        if let next = script.first {
            guard next.count == buffer.count else { throw CryptoError(.randomSourceFailure, "scripted draw of the wrong length") }
            buffer.copyBytes(from: next)
            script.removeFirst()
        } else {
            try stream.fill(buffer)
        }
        draws.append(Array(buffer))
    }
}

@Suite("RSA private operation: blinding and CRT recombination")
struct RSABlindingTests {
    static func keys() throws -> [RSAPrivateKey] {
        [try RSAPSSTests.rfc8448Key(RFC8448Text()), try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))]
    }

    /// `m^d mod n` computed the plain way: one exponentiation mod n with the full private
    /// exponent, no CRT, no blinding.
    static func plainPower(_ key: RSAPrivateKey, _ m: BigUInt) throws -> [UInt8] {
        let context = try MontgomeryContext(modulus: key.publicKey.modulus)
        return try context.power(m, key.privateExponent, exponentIsSecret: true).bigEndianBytes(count: key.publicKey.modulusByteCount)
    }

    @Test("RFC 8017 §5.2.1: the blinded CRT private operation equals m^d mod n, for random m and the edges 0, 1, n − 1")
    func agreesWithPlainExponentiation() throws {
        let random = DeterministicSalt()
        for key in try Self.keys() {
            let n = key.publicKey.modulus
            var samples = [BigUInt(), BigUInt(1), n - BigUInt(1)]
            for _ in 0..<12 {
                samples.append(BigUInt(bigEndianBytes: try random.bytes(key.publicKey.modulusByteCount + 8)).remainder(dividingBy: n))
            }
            for m in samples {
                let bytes = try m.bigEndianBytes(count: key.publicKey.modulusByteCount)
                #expect(try key.rawPrivateOperation(bytes) == Self.plainPower(key, m), "\(key.publicKey.modulusBitCount)-bit key, m = \(m)")
            }
        }
    }

    @Test("the result does not depend on the blinding factor; each operation draws a fresh one")
    func freshBlindingSameResult() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let m = try BigUInt(bigEndianBytes: Array("blinded".utf8)).bigEndianBytes(count: key.publicKey.modulusByteCount)
        let draws = ScriptedDraws()
        let a = try key.rawPrivateOperation(m, blindingSource: draws)
        let afterFirst = draws.draws.count
        let b = try key.rawPrivateOperation(m, blindingSource: draws)
        let c = try key.rawPrivateOperation(m, blindingSource: SystemRandom())
        #expect(a == b && b == c)
        #expect(try a == Self.plainPower(key, BigUInt(bigEndianBytes: m)))
        // Each operation draws its own r and b: nothing is kept from one call to the next.
        #expect(afterFirst >= 2)
        #expect(draws.draws.count >= 2 * afterFirst)
    }

    @Test("a blinding factor that is 0, ≥ n, or shares the factor p with n is refused and drawn again")
    func refusesUnusableFactors() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let width = key.publicKey.modulusByteCount
        let m = try BigUInt(12345).bigEndianBytes(count: width)
        let zero = [UInt8](repeating: 0, count: width)
        let modulus = try key.publicKey.modulus.bigEndianBytes(count: width)
        let prime = try key.prime1.bigEndianBytes(count: width)
        let usable = try [2, 4, 6].map { try (key.prime2 + BigUInt($0)).bigEndianBytes(count: width) }
        // r = 0 and r = n are rejected as samples; r = p is a sample, but r·b shares p with n,
        // so the pair (p, q + 2) is discarded at the inversion and the pair (q + 4, q + 6) drawn.
        let script = [zero, modulus, prime] + usable
        let source = ScriptedDraws(script)
        #expect(try key.rawPrivateOperation(m, blindingSource: source) == Self.plainPower(key, BigUInt(12345)))
        #expect(source.draws == script)
    }

    @Test("a PSS signature with a fixed salt is the same whatever the blinding source")
    func signatureIndependentOfBlinding() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let salt = [UInt8](repeating: 0x5a, count: 32)
        let message = Array("TLS 1.3, server CertificateVerify".utf8)
        let one = try key.signPSS(message, hash: SHA256.self, saltSource: FixedBytes(salt), blindingSource: ScriptedDraws())
        let two = try key.signPSS(message, hash: SHA256.self, saltSource: FixedBytes(salt))
        #expect(one == two)
        #expect(key.publicKey.isValidPSSSignature(one, for: message, hash: SHA256.self))
    }

    @Test("a key whose primes have different limb counts is refused (the CRT runs at one width)")
    func unevenPrimesRefused() throws {
        // p·q = n is all the check before it needs, so p and q need not be prime here.
        let p = BigUInt(limbs: [1] + [UInt64](repeating: 0, count: 15) + [1 << 61])  // 2^1021 + 1
        let q = BigUInt(15)
        #expect {
            try RSAPrivateKey(modulus: p * q, publicExponent: BigUInt(65537), privateExponent: BigUInt(3),
                              prime1: p, prime2: q, exponent1: BigUInt(1), exponent2: BigUInt(1), coefficient: BigUInt(1))
        } throws: { ($0 as? CryptoError)?.kind == .unsupported }
    }

    @Test("rawPrivateOperation refuses a representative of the wrong length or not below n")
    func rangeChecks() throws {
        let key = try RSAPrivateKey(pem: RepositoryFile.text("cert/server.key"))
        let width = key.publicKey.modulusByteCount
        #expect(throws: CryptoError.self) { try key.rawPrivateOperation([1, 2, 3]) }
        #expect(throws: CryptoError.self) { try key.rawPrivateOperation(key.publicKey.modulus.bigEndianBytes(count: width)) }
    }
}
