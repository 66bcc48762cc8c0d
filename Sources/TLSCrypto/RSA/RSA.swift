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
    let primeContext1: MontgomeryContext
    let primeContext2: MontgomeryContext

    /// Checks that the parts fit together (n = p·q, each CRT value reduced, q·qInv ≡ 1 mod p),
    /// so that a damaged key file fails here and not with a wrong signature later.
    ///
    /// p and q must also have the same number of 64-bit limbs, which every key generator gives
    /// (both primes have half the modulus's bits): the constant-time CRT recombination works at
    /// that one width (see `RSAPrivateOperation.swift`).
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
        guard primeContext1.limbCount == primeContext2.limbCount else {
            throw CryptoError(.unsupported, "RSA private key: primes of \(prime1.bitCount) and \(prime2.bitCount) bits (they must have the same number of 64-bit limbs)")
        }
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
}
