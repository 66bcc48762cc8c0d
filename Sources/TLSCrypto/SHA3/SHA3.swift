/// The SHA-3 functions of FIPS 202 §6, each a Keccak sponge with its own rate and domain suffix.
/// ML-KEM (FIPS 203 §4.1) uses all four: G = SHA3-512, H = SHA3-256, J and PRF = SHAKE256,
/// XOF = SHAKE128.

/// SHA3-256 (FIPS 202 §6.1): Keccak[c = 512], rate 1088 bits, 256-bit digest.
///
/// `blockByteCount` is the rate, the block size HMAC uses for SHA-3 (FIPS 198-1, NIST SP 800-224).
public struct SHA3_256: HashFunction {
    public static let digestByteCount = 32
    public static let blockByteCount = 136
    public static let name = "SHA3-256"

    private var sponge = KeccakSponge(rate: blockByteCount, domain: .sha3)

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { sponge.absorb(bytes) }

    public func finalize() -> [UInt8] {
        var copy = sponge
        return copy.squeeze(Self.digestByteCount)
    }
}

/// SHA3-512 (FIPS 202 §6.1): Keccak[c = 1024], rate 576 bits, 512-bit digest.
public struct SHA3_512: HashFunction {
    public static let digestByteCount = 64
    public static let blockByteCount = 72
    public static let name = "SHA3-512"

    private var sponge = KeccakSponge(rate: blockByteCount, domain: .sha3)

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { sponge.absorb(bytes) }

    public func finalize() -> [UInt8] {
        var copy = sponge
        return copy.squeeze(Self.digestByteCount)
    }
}

/// An extendable-output function (FIPS 202 §6.2): absorb any amount, then squeeze as many bytes
/// as wanted, in as many calls as wanted; the output is one stream however it is split.
public protocol ExtendableOutputFunction: Sendable {
    /// The rate in bytes: how much output one permutation yields.
    static var blockByteCount: Int { get }
    /// Name as FIPS 202 writes it, e.g. "SHAKE128".
    static var name: String { get }

    init()
    /// Absorbs input. Must not be called after the first `squeeze`.
    mutating func update(_ bytes: UnsafeRawBufferPointer)
    /// The next `output.count` bytes of the output stream.
    mutating func squeeze(into output: UnsafeMutableRawBufferPointer)
}

extension ExtendableOutputFunction {
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// The next `count` bytes of the output stream.
    public mutating func squeeze(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            squeeze(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// One shot: the first `outputByteCount` bytes of the function on `bytes`.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes, outputByteCount: Int) -> [UInt8]
    where Bytes.Element == UInt8 {
        var xof = Self()
        xof.update(bytes)
        return xof.squeeze(outputByteCount)
    }
}

/// SHAKE128 (FIPS 202 §6.2): Keccak[c = 256] with the SHAKE suffix, rate 1344 bits.
public struct SHAKE128: ExtendableOutputFunction {
    public static let blockByteCount = 168
    public static let name = "SHAKE128"

    private var sponge = KeccakSponge(rate: blockByteCount, domain: .shake)

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { sponge.absorb(bytes) }
    public mutating func squeeze(into output: UnsafeMutableRawBufferPointer) { sponge.squeeze(into: output) }
}

/// SHAKE256 (FIPS 202 §6.2): Keccak[c = 512] with the SHAKE suffix, rate 1088 bits.
public struct SHAKE256: ExtendableOutputFunction {
    public static let blockByteCount = 136
    public static let name = "SHAKE256"

    private var sponge = KeccakSponge(rate: blockByteCount, domain: .shake)

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { sponge.absorb(bytes) }
    public mutating func squeeze(into output: UnsafeMutableRawBufferPointer) { sponge.squeeze(into: output) }
}
