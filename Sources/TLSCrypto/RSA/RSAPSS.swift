/// RSASSA-PSS (RFC 8017 §8.1) with EMSA-PSS (§9.1) and MGF1, the only RSA signature TLS 1.3
/// allows in CertificateVerify (RFC 8446 §4.2.3, rsa_pss_rsae_* and rsa_pss_pss_*).
///
/// The encoded message, for a modulus of modBits bits (emBits = modBits - 1):
///
///     M'  = 0x00 × 8 || Hash(M) || salt
///     H   = Hash(M')
///     DB  = 0x00 × (emLen - sLen - hLen - 2) || 0x01 || salt
///     EM  = (DB ⊕ MGF1(H, emLen - hLen - 1)) || H || 0xbc
///
/// with the top 8·emLen - emBits bits of EM cleared, so EM < 2^emBits < n.
extension RSAPrivateKey {
    /// RFC 8017 §8.1.1 RSASSA-PSS-SIGN with the salt as long as the hash (RFC 8446 §4.2.3
    /// requires that in TLS), drawn from `saltSource`.
    ///
    /// The blinding factor of the private operation comes from `blindingSource`, apart from the
    /// salt: the signature depends on the salt alone, so a reproducible `saltSource` (a fixed
    /// salt, `--deterministic`) gives the same signature and sees the same draws as before
    /// blinding existed, while the blinding stays unpredictable (see `RSABlinding`).
    public func signPSS<H: HashFunction>(_ message: [UInt8], hash: H.Type, saltSource: some RandomSource,
                                         blindingSource: any RandomSource = SystemRandom()) throws -> [UInt8] {
        let salt = try saltSource.bytes(H.digestByteCount)
        let encoded = try EMSAPSS<H, H>.encode(messageHash: H.hash(message), salt: salt,
                                              encodedBits: publicKey.modulusBitCount - 1)
        let signature = try privateOperation(BigUInt(bigEndianBytes: encoded), blindingSource: blindingSource)
        return try signature.bigEndianBytes(count: publicKey.modulusByteCount)
    }
}

extension RSAPublicKey {
    /// RFC 8017 §8.1.2 RSASSA-PSS-VERIFY with MGF1 over the same hash and a salt as long as
    /// the hash (what TLS 1.3 uses).
    public func isValidPSSSignature<H: HashFunction>(_ signature: [UInt8], for message: [UInt8], hash: H.Type) -> Bool {
        isValidPSSSignature(signature, for: message, hash: H.self, mgfHash: H.self, saltLength: H.digestByteCount)
    }

    /// RFC 8017 §8.1.2 RSASSA-PSS-VERIFY with every parameter explicit: the message hash,
    /// the hash inside MGF1, and the salt length (X.509's RSASSA-PSS-params carry all three).
    public func isValidPSSSignature<H: HashFunction, M: HashFunction>(
        _ signature: [UInt8], for message: [UInt8], hash: H.Type, mgfHash: M.Type, saltLength: Int
    ) -> Bool {
        let encodedBits = modulusBitCount - 1
        guard saltLength >= 0,
              let representative = try? rawPublicOperation(signature) else { return false }
        // EM is emLen = ⌈emBits/8⌉ bytes; when emBits is a multiple of 8 the representative
        // has one byte more than EM, and that byte must be zero (I2OSP(m, emLen) succeeds).
        let encodedLength = (encodedBits + 7) / 8
        let extra = representative.count - encodedLength
        guard representative.prefix(extra).allSatisfy({ $0 == 0 }) else { return false }
        return EMSAPSS<H, M>.verify(messageHash: H.hash(message), encoded: Array(representative.dropFirst(extra)),
                                    encodedBits: encodedBits, saltLength: saltLength)
    }
}

/// EMSA-PSS encoding and verification (RFC 8017 §9.1.1 and §9.1.2), `H` hashing the message
/// and `M'`, `M` hashing inside MGF1.
enum EMSAPSS<H: HashFunction, M: HashFunction> {
    /// §9.1.1 EMSA-PSS-ENCODE.
    static func encode(messageHash: [UInt8], salt: [UInt8], encodedBits: Int) throws -> [UInt8] {
        let hashLength = H.digestByteCount
        let encodedLength = (encodedBits + 7) / 8
        guard encodedLength >= hashLength + salt.count + 2 else {
            throw CryptoError(.invalidParameter, "EMSA-PSS: modulus too small for \(H.name) and a \(salt.count)-byte salt")
        }
        let h = H.hash([UInt8](repeating: 0, count: 8) + messageHash + salt)
        var db = [UInt8](repeating: 0, count: encodedLength - salt.count - hashLength - 2) + [0x01] + salt
        let mask = MGF1<M>.mask(seed: h, length: db.count)
        for i in db.indices { db[i] ^= mask[i] }
        db[0] &= 0xff >> (8 * encodedLength - encodedBits)
        return db + h + [0xbc]
    }

    /// §9.1.2 EMSA-PSS-VERIFY: "consistent" is `true`.
    static func verify(messageHash: [UInt8], encoded: [UInt8], encodedBits: Int, saltLength: Int) -> Bool {
        let hashLength = H.digestByteCount
        let encodedLength = (encodedBits + 7) / 8
        guard encoded.count == encodedLength,
              encodedLength >= hashLength + saltLength + 2,
              encoded.last == 0xbc else { return false }
        let maskedDBLength = encodedLength - hashLength - 1
        let h = Array(encoded[maskedDBLength..<(maskedDBLength + hashLength)])
        let unusedTopBits = 8 * encodedLength - encodedBits
        guard encoded[0] & ~(0xff >> unusedTopBits) == 0 else { return false }
        let mask = MGF1<M>.mask(seed: h, length: maskedDBLength)
        var db = Array(encoded[0..<maskedDBLength])
        for i in db.indices { db[i] ^= mask[i] }
        db[0] &= 0xff >> unusedTopBits
        let paddingLength = maskedDBLength - saltLength - 1
        guard db[0..<paddingLength].allSatisfy({ $0 == 0 }), db[paddingLength] == 0x01 else { return false }
        let salt = db[(paddingLength + 1)...]
        return H.hash([UInt8](repeating: 0, count: 8) + messageHash + salt) == h
    }
}
