/// HMAC, RFC 2104 §2: H(K XOR opad, H(K XOR ipad, text)), written once for every `HashFunction`.
///
/// `HMAC<SHA256>(key:)` keeps the inner hash already fed with K XOR ipad and the outer one with
/// K XOR opad, so a key can be prepared once and copied for many messages (value type, like the
/// hashes themselves).
public struct HMAC<H: HashFunction>: Sendable {
    private var inner: H
    private var outer: H

    /// RFC 2104 §2: a key longer than the block is first hashed; a shorter one is padded with
    /// zeros to the block length (B bytes).
    public init(key: [UInt8]) {
        var paddedKey = key.count > H.blockByteCount ? H.hash(key) : key
        paddedKey += [UInt8](repeating: 0, count: H.blockByteCount - paddedKey.count)
        inner = H()
        inner.update(paddedKey.map { $0 ^ 0x36 })
        outer = H()
        outer.update(paddedKey.map { $0 ^ 0x5c })
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        inner.update(bytes)
    }

    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        inner.update(bytes)
    }

    /// The tag (H.digestByteCount bytes) of everything fed so far. Does not change `self`.
    public func finalize() -> [UInt8] {
        var outer = outer
        outer.update(inner.finalize())
        return outer.finalize()
    }

    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var mac = HMAC(key: key)
        mac.update(message)
        return mac.finalize()
    }
}
