/// An RSA public key (RFC 8017 §3.1).
///
///     RSAPublicKey ::= SEQUENCE {
///         modulus           INTEGER,  -- n
///         publicExponent    INTEGER   -- e
///     }
///
/// The Montgomery context for `n` is built once here, so every verification with the key
/// starts straight away with the exponentiation.
public struct RSAPublicKey: Sendable, Hashable {
    public let modulus: BigUInt
    public let exponent: BigUInt
    let montgomery: MontgomeryContext

    /// Moduli outside this range are refused: below 1024 bits RSA is broken, above 8192 bits
    /// a peer could make us spend seconds on one verification.
    public static let supportedModulusBits = 1024...8192

    public init(modulus: BigUInt, exponent: BigUInt) throws {
        guard Self.supportedModulusBits.contains(modulus.bitCount) else {
            throw CryptoError(.unsupported, "RSA modulus of \(modulus.bitCount) bits (supported: \(Self.supportedModulusBits))")
        }
        guard modulus.isOdd else {
            throw CryptoError(.invalidParameter, "RSA modulus is even")
        }
        guard exponent.isOdd, exponent > BigUInt(1), exponent < modulus else {
            throw CryptoError(.invalidParameter, "RSA public exponent must be odd and between 3 and n - 1")
        }
        self.modulus = modulus
        self.exponent = exponent
        montgomery = try MontgomeryContext(modulus: modulus)
    }

    /// From big-endian magnitudes (as X.509 and JSON vectors carry them).
    public init(modulus: [UInt8], exponent: [UInt8]) throws {
        try self.init(modulus: BigUInt(bigEndianBytes: modulus), exponent: BigUInt(bigEndianBytes: exponent))
    }

    public var modulusBitCount: Int { modulus.bitCount }

    /// k in RFC 8017: the length in bytes of the modulus, and of every signature.
    public var modulusByteCount: Int { (modulus.bitCount + 7) / 8 }

    /// RFC 8017 §5.2.2 RSAVP1 on octet strings: `signature^e mod n` as `modulusByteCount` bytes.
    /// Throws when the signature has the wrong length or is not below n ("signature
    /// representative out of range").
    public func rawPublicOperation(_ signature: [UInt8]) throws -> [UInt8] {
        guard signature.count == modulusByteCount else {
            throw CryptoError(.invalidSignature, "RSA signature is \(signature.count) bytes, the modulus \(modulusByteCount)")
        }
        let s = BigUInt(bigEndianBytes: signature)
        guard s < modulus else {
            throw CryptoError(.invalidSignature, "RSA signature representative out of range")
        }
        return try publicOperation(s).bigEndianBytes(count: modulusByteCount)
    }

    /// `x^e mod n` for `x < n`.
    func publicOperation(_ x: BigUInt) -> BigUInt {
        montgomery.power(x, exponent, exponentIsSecret: false)
    }

    public static func == (lhs: RSAPublicKey, rhs: RSAPublicKey) -> Bool {
        lhs.modulus == rhs.modulus && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(modulus)
        hasher.combine(exponent)
    }
}

/// An RSA private key in the two-prime form of RFC 8017 §3.2 (the PKCS #1 fields below),
/// used through the Chinese Remainder Theorem.
///
///     RSAPrivateKey ::= SEQUENCE {
///         version           Version,
///         modulus           INTEGER,  -- n
///         publicExponent    INTEGER,  -- e
///         privateExponent   INTEGER,  -- d
///         prime1            INTEGER,  -- p
///         prime2            INTEGER,  -- q
///         exponent1         INTEGER,  -- d mod (p-1)
///         exponent2         INTEGER,  -- d mod (q-1)
///         coefficient       INTEGER,  -- (inverse of q) mod p
///         otherPrimeInfos   OtherPrimeInfos OPTIONAL
///     }
public struct RSAPrivateKey: Sendable {
    public let publicKey: RSAPublicKey
    public let privateExponent: BigUInt
    public let prime1: BigUInt
    public let prime2: BigUInt
    public let exponent1: BigUInt
    public let exponent2: BigUInt
    public let coefficient: BigUInt
    private let primeContext1: MontgomeryContext
    private let primeContext2: MontgomeryContext

    /// Checks that the parts fit together (n = p·q, each CRT value reduced, q·qInv ≡ 1 mod p),
    /// so that a damaged key file fails here and not with a wrong signature later.
    public init(
        modulus: BigUInt, publicExponent: BigUInt, privateExponent: BigUInt,
        prime1: BigUInt, prime2: BigUInt, exponent1: BigUInt, exponent2: BigUInt, coefficient: BigUInt
    ) throws {
        publicKey = try RSAPublicKey(modulus: modulus, exponent: publicExponent)
        guard prime1 * prime2 == modulus else {
            throw CryptoError(.invalidParameter, "RSA private key: prime1 · prime2 is not the modulus")
        }
        guard privateExponent < modulus, exponent1 < prime1, exponent2 < prime2, coefficient < prime1 else {
            throw CryptoError(.invalidParameter, "RSA private key: an exponent or the coefficient is not reduced")
        }
        primeContext1 = try MontgomeryContext(modulus: prime1)
        primeContext2 = try MontgomeryContext(modulus: prime2)
        guard primeContext1.multiply(prime2.remainder(dividingBy: prime1), coefficient) == BigUInt(1) else {
            throw CryptoError(.invalidParameter, "RSA private key: coefficient is not the inverse of prime2 mod prime1")
        }
        self.privateExponent = privateExponent
        self.prime1 = prime1
        self.prime2 = prime2
        self.exponent1 = exponent1
        self.exponent2 = exponent2
        self.coefficient = coefficient
    }

    /// RFC 8017 §5.2.1 RSASP1, CRT form (case b.2 with u = 2):
    ///
    ///     s₁ = m^dP mod p,  s₂ = m^dQ mod q,  h = (s₁ - s₂)·qInv mod p,  s = s₂ + q·h
    ///
    /// A fault in either half (a glitched CPU, a bit flip) would give a signature that is
    /// right mod one prime and wrong mod the other, and its gcd with n would hand out the key
    /// (Boneh, DeMillo, Lipton 1997). So the result is checked with the public exponent first
    /// and never released when `s^e mod n ≠ m`.
    func privateOperation(_ m: BigUInt) throws -> BigUInt {
        precondition(m < publicKey.modulus, "RSA message representative must be reduced")
        let p = prime1, q = prime2
        let s1 = primeContext1.power(primeContext1.reduce(m), exponent1, exponentIsSecret: true)
        let s2 = primeContext2.power(primeContext2.reduce(m), exponent2, exponentIsSecret: true)
        let s2ModP = primeContext1.reduce(s2)
        let difference = s1 >= s2ModP ? s1 - s2ModP : (s1 + p) - s2ModP
        let h = primeContext1.multiply(difference, coefficient)
        let s = s2 + q * h
        guard s < publicKey.modulus, publicKey.publicOperation(s) == m else {
            throw CryptoError(.invalidParameter, "RSA private operation failed its check (s^e mod n ≠ m): result withheld")
        }
        return s
    }
}
