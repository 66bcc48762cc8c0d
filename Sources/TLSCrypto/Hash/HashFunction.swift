/// The interface every hash function in this module offers (FIPS 180-4 SHA-2 family).
///
/// HMAC (RFC 2104) and HKDF (RFC 5869) are written once, generically over this protocol,
/// the way apple/swift-crypto does it. A hash is a value type: copying a half-fed hash and
/// finalising the copy gives the digest "so far" without disturbing the original, which is
/// exactly what TLS's running transcript hash needs (RFC 8446 §4.4.1).
public protocol HashFunction: Sendable {
    /// Output length in bytes (32 for SHA-256).
    static var digestByteCount: Int { get }
    /// Internal block length in bytes (64 for SHA-256, 128 for SHA-384/512); HMAC pads keys to it.
    static var blockByteCount: Int { get }
    /// Name as the standards write it, e.g. "SHA-256".
    static var name: String { get }

    init()
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// The digest of everything fed so far. Does not change `self`.
    func finalize() -> [UInt8]
}

extension HashFunction {
    @inlinable
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if let done: Void = bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) {
            return done
        }
        let copy = Array(bytes)
        copy.withUnsafeBytes { update($0) }
    }

    /// One-shot digest.
    @inlinable
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        var h = Self()
        h.update(bytes)
        return h.finalize()
    }
}
