/// HKDF, RFC 5869: the extract-then-expand key derivation TLS 1.3's key schedule is built on
/// (RFC 8446 §7.1), written once for every `HashFunction`.
public enum HKDF<H: HashFunction> {
    /// RFC 5869 §2.2: PRK = HMAC-Hash(salt, IKM). An empty salt stands for HashLen zero bytes.
    public static func extract(salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        let key = salt.isEmpty ? [UInt8](repeating: 0, count: H.digestByteCount) : salt
        return HMAC<H>.authenticationCode(key: key, message: ikm)
    }

    /// RFC 5869 §2.3: OKM = the first `length` bytes of T(1) | T(2) | ..., where
    /// T(i) = HMAC-Hash(PRK, T(i-1) | info | i) and T(0) is empty.
    ///
    /// Throws `CryptoError(.invalidParameter)` when `length` is negative or exceeds
    /// 255 * HashLen (the one-byte counter would wrap).
    public static func expand(prk: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        guard length >= 0, length <= 255 * H.digestByteCount else {
            throw CryptoError(.invalidParameter,
                              "HKDF-Expand length \(length) is outside 0...\(255 * H.digestByteCount) for \(H.name)")
        }
        let keyed = HMAC<H>(key: prk)
        var output: [UInt8] = []
        output.reserveCapacity(length)
        var previous: [UInt8] = []
        var counter: UInt8 = 1
        while output.count < length {
            var mac = keyed
            mac.update(previous)
            mac.update(info)
            mac.update(CollectionOfOne(counter))
            previous = mac.finalize()
            output += previous.prefix(length - output.count)
            counter &+= 1
        }
        return output
    }
}
