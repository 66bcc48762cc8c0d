import TLSCrypto

/// Reads the salt back out of an RSASSA-PSS signature, with nothing but the public key.
///
/// RFC 8017 §9.1.1 hides the salt only by masking, not by the private key: the signature s
/// opens to EM = s^e mod n (RSAVP1, §5.2.2), and EM is
///
///     maskedDB || H || 0xbc,    DB = maskedDB ⊕ MGF1(H, emLen - hLen - 1),
///     DB = 0x00 … 0x00 || 0x01 || salt
///
/// so the salt is the last sLen bytes of DB. RFC 8448 prints its CertificateVerify signature but
/// not the salt that went into it; this recovers it, so our server can sign with the same salt
/// and send the RFC's signature byte for byte.
public enum PSSSaltRecovery {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The salt (`saltLength` bytes; TLS 1.3 uses the hash length) of `signature`, a
    /// RSASSA-PSS signature by `key` with MGF1 over `H`. Throws when the signature does not open
    /// to a well-formed EMSA-PSS encoding (§9.1.2 steps 4-10), i.e. it is not a PSS signature
    /// of this key with this hash and salt length.
    public static func salt<H: HashFunction>(of signature: [UInt8], key: RSAPublicKey, hash: H.Type,
                                             saltLength: Int) throws -> [UInt8] {
        let hashLength = H.digestByteCount
        let encodedBits = key.modulusBitCount - 1
        let encodedLength = (encodedBits + 7) / 8
        let opened = try key.rawPublicOperation(signature)
        // EM has emLen bytes; a modulus of 8k+1 bits gives a representative one byte longer, zero.
        let extra = opened.count - encodedLength
        guard extra >= 0, opened.prefix(extra).allSatisfy({ $0 == 0 }) else {
            throw Failure(description: "the signature opens to a value wider than EMSA-PSS allows")
        }
        let encoded = Array(opened.dropFirst(extra))
        guard encodedLength >= hashLength + saltLength + 2, encoded.last == 0xbc else {
            throw Failure(description: "the opened signature does not end in 0xbc: not EMSA-PSS")
        }
        let maskedDBLength = encodedLength - hashLength - 1
        let h = Array(encoded[maskedDBLength..<(maskedDBLength + hashLength)])
        var db = Array(encoded[0..<maskedDBLength])
        for (index, byte) in MGF1<H>.mask(seed: h, length: maskedDBLength).enumerated() { db[index] ^= byte }
        db[0] &= 0xff >> (8 * encodedLength - encodedBits)
        let paddingLength = maskedDBLength - saltLength - 1
        guard db[0..<paddingLength].allSatisfy({ $0 == 0 }), db[paddingLength] == 0x01 else {
            throw Failure(description: "the unmasked DB is not zeros, 0x01, salt: wrong key, hash or salt length")
        }
        return Array(db[(paddingLength + 1)...])
    }
}
