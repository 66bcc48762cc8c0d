import Testing
import TLSCrypto

@Suite("Big integers and Montgomery arithmetic")
struct BigUIntTests {
    /// 2^127 - 1 and 2^521 - 1 are Mersenne primes: Fermat's little theorem must hold for them.
    static let mersenne127 = BigUInt(limbs: [.max, .max >> 1])
    static let mersenne521 = BigUInt(limbs: [UInt64](repeating: .max, count: 8) + [0x1ff])

    @Test("RFC 8017 §4.1/§4.2: I2OSP and OS2IP round-trip, leading zeros allowed on input")
    func octetStrings() throws {
        let bytes: [UInt8] = [0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe]
        let number = BigUInt(bigEndianBytes: bytes)
        #expect(number.limbs == [0x23456789abcdeffe, 0x01])
        #expect(try number.bigEndianBytes(count: 11) == bytes)
        #expect(number.bigEndianBytes == Array(bytes.dropFirst(2)))
        #expect(throws: CryptoError.self) { try number.bigEndianBytes(count: 8) }
        #expect(BigUInt(bigEndianBytes: [0, 0]).isZero)
    }

    @Test("add, subtract, multiply and remainder agree with each other")
    func arithmetic() {
        let a = BigUInt(bigEndianBytes: [UInt8](repeating: 0xff, count: 40))
        let b = BigUInt(bigEndianBytes: [0x01] + [UInt8](repeating: 0x00, count: 20) + [0x07])
        let c = BigUInt(bigEndianBytes: [0x12, 0x34, 0x56])
        #expect((a + b) - b == a)
        #expect(a + BigUInt(1) == BigUInt(limbs: [0, 0, 0, 0, 0, 1]))
        #expect((a * b + c).remainder(dividingBy: b) == c)
        #expect((a * b).remainder(dividingBy: a).isZero)
        #expect(b * a == a * b)
        #expect(c < b && b < a)
    }

    @Test("Fermat's little theorem modulo 2^127 - 1 and 2^521 - 1, secret and public paths")
    func fermat() throws {
        for prime in [Self.mersenne127, Self.mersenne521] {
            let context = try MontgomeryContext(modulus: prime)
            let base = BigUInt(bigEndianBytes: [0x03, 0x14, 0x15, 0x92, 0x65, 0x35, 0x89, 0x79])
            let exponent = prime - BigUInt(1)
            #expect(context.power(base, exponent, exponentIsSecret: true) == BigUInt(1))
            #expect(context.power(base, exponent, exponentIsSecret: false) == BigUInt(1))
            // a^(p-2) is the inverse of a.
            let inverse = context.power(base, prime - BigUInt(2), exponentIsSecret: true)
            #expect(context.multiply(base, inverse) == BigUInt(1))
        }
    }

    @Test("windowed and square-and-multiply exponentiation agree with repeated multiplication")
    func smallExponents() throws {
        let modulus = Self.mersenne521 - BigUInt(limbs: [0x1234_5678_9abc_def0])  // odd, not prime
        let context = try MontgomeryContext(modulus: modulus)
        let base = BigUInt(bigEndianBytes: [UInt8](repeating: 0xa5, count: 60))
        var expected = BigUInt(1)
        for exponent in 0..<40 {
            let e = BigUInt(UInt64(exponent))
            #expect(context.power(base, e, exponentIsSecret: true) == expected, "exponent \(exponent)")
            #expect(context.power(base, e, exponentIsSecret: false) == expected, "exponent \(exponent)")
            expected = (expected * base).remainder(dividingBy: modulus)
        }
    }

    @Test("an even modulus is refused")
    func evenModulus() {
        #expect(throws: CryptoError.self) { try MontgomeryContext(modulus: BigUInt(1 << 40)) }
    }
}

extension BigUIntTests {
    @Test("Montgomery reduce agrees with long division, below and above n·R")
    func reduce() throws {
        let modulus = Self.mersenne521 - BigUInt(limbs: [0x1234_5678_9abc_def0])
        let context = try MontgomeryContext(modulus: modulus)
        let samples = [
            BigUInt(7), modulus - BigUInt(1), modulus, modulus + BigUInt(5),
            BigUInt(bigEndianBytes: [UInt8](repeating: 0xc3, count: 130)),   // below n·R
            BigUInt(bigEndianBytes: [UInt8](repeating: 0xff, count: 144)),   // 18 full limbs: above n·R
            BigUInt(bigEndianBytes: [UInt8](repeating: 0x9d, count: 200)),
        ]
        for x in samples {
            #expect(context.reduce(x) == x.remainder(dividingBy: modulus), "\(x)")
        }
    }
}
