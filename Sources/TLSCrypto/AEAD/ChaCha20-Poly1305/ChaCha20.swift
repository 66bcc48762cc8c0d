/// The ChaCha20 stream cipher of RFC 8439 §2.3-2.4: a 256-bit key, a 96-bit nonce and a 32-bit
/// block counter make a 64-byte keystream block; encryption XORs the keystream into the data.
///
/// The state is 16 32-bit words (§2.3):
///
///     cccccccc  cccccccc  cccccccc  cccccccc     c = constant "expand 32-byte k"
///     kkkkkkkk  kkkkkkkk  kkkkkkkk  kkkkkkkk     k = key
///     kkkkkkkk  kkkkkkkk  kkkkkkkk  kkkkkkkk
///     bbbbbbbb  nnnnnnnn  nnnnnnnn  nnnnnnnn     b = block counter, n = nonce
///
/// Two implementations of the same block function: `scalarBlock` keeps the 16 words in 16 local
/// variables (one block at a time, any CPU); `xorBlocks` computes 16, 8 or 4 consecutive
/// blocks at once, one block per lane of a `SIMD16/8/4<UInt32>`, which compiles to AVX-512,
/// AVX2 or NEON instructions when the package is built for the native CPU (see Package.swift).
/// Inputs go through the widest SIMD path that fits and the tail (under 256 bytes) through the
/// scalar one. Portable builds (TLS13_PORTABLE) use only the scalar path: on the x86-64
/// baseline (SSE2) the compiler's lowering of these vectors is slower than scalar code.
public struct ChaCha20: Sendable {
    public static let keyByteCount = 32
    public static let nonceByteCount = 12
    public static let blockByteCount = 64

    /// "expand 32-byte k" as four little-endian words.
    static let c0: UInt32 = 0x6170_7865, c1: UInt32 = 0x3320_646e, c2: UInt32 = 0x7962_2d32, c3: UInt32 = 0x6b20_6574

    let k0, k1, k2, k3, k4, k5, k6, k7: UInt32
    let n0, n1, n2: UInt32

    /// Throws `.invalidKeySize` / `.invalidNonceSize` unless the key is 32 and the nonce 12 bytes.
    public init(key: [UInt8], nonce: [UInt8]) throws {
        guard key.count == Self.keyByteCount else {
            throw CryptoError(.invalidKeySize, "ChaCha20 key must be 32 bytes, got \(key.count)")
        }
        guard nonce.count == Self.nonceByteCount else {
            throw CryptoError(.invalidNonceSize, "ChaCha20 nonce must be 12 bytes, got \(nonce.count)")
        }
        self = key.withUnsafeBytes { k in nonce.withUnsafeBytes { n in ChaCha20(uncheckedKey: k, nonce: n) } }
    }

    /// §2.3: key words 4-11 and nonce words 13-15 are read as little-endian 32-bit numbers.
    init(uncheckedKey key: UnsafeRawBufferPointer, nonce: UnsafeRawBufferPointer) {
        precondition(key.count == Self.keyByteCount && nonce.count == Self.nonceByteCount)
        (k0, k1, k2, k3) = (key.littleEndianWord(at: 0), key.littleEndianWord(at: 4),
                            key.littleEndianWord(at: 8), key.littleEndianWord(at: 12))
        (k4, k5, k6, k7) = (key.littleEndianWord(at: 16), key.littleEndianWord(at: 20),
                            key.littleEndianWord(at: 24), key.littleEndianWord(at: 28))
        (n0, n1, n2) = (nonce.littleEndianWord(at: 0), nonce.littleEndianWord(at: 4), nonce.littleEndianWord(at: 8))
    }

    /// RFC 8439 §2.3: the serialized 64-byte keystream block for `counter`.
    public func keystreamBlock(counter: UInt32) -> [UInt8] {
        let zeros = [UInt8](repeating: 0, count: Self.blockByteCount)
        return encrypt(zeros, counter: counter)
    }

    /// RFC 8439 §2.4: XORs the keystream starting at block `counter` into `bytes`
    /// (encryption and decryption are the same operation).
    /// The data must end before the 32-bit block counter wraps (a precondition: 2^32 blocks
    /// from counter 0 is 256 GiB).
    public func encrypt(_ bytes: [UInt8], counter: UInt32) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { output, initialized in
            bytes.withUnsafeBytes { input in
                xorKeystream(input, into: UnsafeMutableRawBufferPointer(output), counter: counter)
            }
            initialized = bytes.count
        }
    }

    /// `output[i] = input[i] ^ keystream[i]`, the keystream starting at block `counter`.
    /// `output` may be the same memory as `input`.
    func xorKeystream(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, counter: UInt32) {
        precondition(output.count >= input.count, "ChaCha20 output buffer too small")
        precondition(UInt64(input.count) <= (UInt64(UInt32.max) - UInt64(counter) + 1) * 64,
                     "ChaCha20 block counter would wrap")
        guard let source = input.baseAddress, let destination = output.baseAddress else { return }
        var offset = 0
        var blockCounter = counter
        #if !TLS13_PORTABLE
        while input.count - offset >= 16 * Self.blockByteCount {
            xorBlocks(SIMD16<UInt32>.self, from: source + offset, to: destination + offset, counter: blockCounter)
            offset += 16 * Self.blockByteCount
            blockCounter &+= 16
        }
        while input.count - offset >= 8 * Self.blockByteCount {
            xorBlocks(SIMD8<UInt32>.self, from: source + offset, to: destination + offset, counter: blockCounter)
            offset += 8 * Self.blockByteCount
            blockCounter &+= 8
        }
        while input.count - offset >= 4 * Self.blockByteCount {
            xorBlocks(SIMD4<UInt32>.self, from: source + offset, to: destination + offset, counter: blockCounter)
            offset += 4 * Self.blockByteCount
            blockCounter &+= 4
        }
        #endif
        while offset < input.count {
            let count = min(Self.blockByteCount, input.count - offset)
            scalarBlock(counter: blockCounter, from: source + offset, to: destination + offset, count: count)
            offset += count
            blockCounter &+= 1
        }
    }

    /// §2.1: the quarter round on four words of the state, the whole of ChaCha's mixing:
    /// additions, XORs and fixed rotations (ARX), so it runs in constant time everywhere.
    @inline(__always)
    public static func quarterRound(_ a: inout UInt32, _ b: inout UInt32, _ c: inout UInt32, _ d: inout UInt32) {
        a &+= b; d ^= a; d = d << 16 | d >> 16
        c &+= d; b ^= c; b = b << 12 | b >> 20
        a &+= b; d ^= a; d = d << 8 | d >> 24
        c &+= d; b ^= c; b = b << 7 | b >> 25
    }

    /// §2.3 block function for one block, XORed into `count` (≤ 64) bytes.
    @inline(__always)
    func scalarBlock(counter: UInt32, from input: UnsafeRawPointer, to output: UnsafeMutableRawPointer, count: Int) {
        var x0 = Self.c0, x1 = Self.c1, x2 = Self.c2, x3 = Self.c3
        var x4 = k0, x5 = k1, x6 = k2, x7 = k3
        var x8 = k4, x9 = k5, x10 = k6, x11 = k7
        var x12 = counter, x13 = n0, x14 = n1, x15 = n2
        for _ in 0..<10 {
            // Column rounds, then diagonal rounds (§2.3: "inner_block").
            Self.quarterRound(&x0, &x4, &x8, &x12)
            Self.quarterRound(&x1, &x5, &x9, &x13)
            Self.quarterRound(&x2, &x6, &x10, &x14)
            Self.quarterRound(&x3, &x7, &x11, &x15)
            Self.quarterRound(&x0, &x5, &x10, &x15)
            Self.quarterRound(&x1, &x6, &x11, &x12)
            Self.quarterRound(&x2, &x7, &x8, &x13)
            Self.quarterRound(&x3, &x4, &x9, &x14)
        }
        // Add the original state back in (without it the rounds could be run backwards).
        // Serialized as §2.3.2 says: each word little endian, so the tuple's memory is the block.
        let keystream = (
            (x0 &+ Self.c0).littleEndian, (x1 &+ Self.c1).littleEndian,
            (x2 &+ Self.c2).littleEndian, (x3 &+ Self.c3).littleEndian,
            (x4 &+ k0).littleEndian, (x5 &+ k1).littleEndian, (x6 &+ k2).littleEndian, (x7 &+ k3).littleEndian,
            (x8 &+ k4).littleEndian, (x9 &+ k5).littleEndian, (x10 &+ k6).littleEndian, (x11 &+ k7).littleEndian,
            (x12 &+ counter).littleEndian, (x13 &+ n0).littleEndian, (x14 &+ n1).littleEndian, (x15 &+ n2).littleEndian)
        withUnsafeBytes(of: keystream) { stream in
            if count == Self.blockByteCount {
                for i in stride(from: 0, to: 64, by: 8) {
                    let word = input.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        ^ stream.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    output.storeBytes(of: word, toByteOffset: i, as: UInt64.self)
                }
            } else {
                for i in 0..<count {
                    output.storeBytes(of: input.load(fromByteOffset: i, as: UInt8.self) ^ stream[i],
                                      toByteOffset: i, as: UInt8.self)
                }
            }
        }
    }

    /// `V.scalarCount` consecutive blocks (counter, counter + 1, ...), lane i of every vector
    /// belonging to block i, XORed into `64 * V.scalarCount` bytes.
    @inline(__always)
    func xorBlocks<V: ChaCha20Lanes>(_: V.Type, from input: UnsafeRawPointer, to output: UnsafeMutableRawPointer,
                            counter: UInt32) {
        var laneOffsets = V()
        for i in laneOffsets.indices { laneOffsets[i] = UInt32(i) }
        let counters = V(repeating: counter) &+ laneOffsets
        var x0 = V(repeating: Self.c0), x1 = V(repeating: Self.c1), x2 = V(repeating: Self.c2), x3 = V(repeating: Self.c3)
        var x4 = V(repeating: k0), x5 = V(repeating: k1), x6 = V(repeating: k2), x7 = V(repeating: k3)
        var x8 = V(repeating: k4), x9 = V(repeating: k5), x10 = V(repeating: k6), x11 = V(repeating: k7)
        var x12 = counters, x13 = V(repeating: n0), x14 = V(repeating: n1), x15 = V(repeating: n2)
        for _ in 0..<10 {
            Self.quarterRound(&x0, &x4, &x8, &x12)
            Self.quarterRound(&x1, &x5, &x9, &x13)
            Self.quarterRound(&x2, &x6, &x10, &x14)
            Self.quarterRound(&x3, &x7, &x11, &x15)
            Self.quarterRound(&x0, &x5, &x10, &x15)
            Self.quarterRound(&x1, &x6, &x11, &x12)
            Self.quarterRound(&x2, &x7, &x8, &x13)
            Self.quarterRound(&x3, &x4, &x9, &x14)
        }
        x0 &+= V(repeating: Self.c0); x1 &+= V(repeating: Self.c1)
        x2 &+= V(repeating: Self.c2); x3 &+= V(repeating: Self.c3)
        x4 &+= V(repeating: k0); x5 &+= V(repeating: k1); x6 &+= V(repeating: k2); x7 &+= V(repeating: k3)
        x8 &+= V(repeating: k4); x9 &+= V(repeating: k5); x10 &+= V(repeating: k6); x11 &+= V(repeating: k7)
        x12 &+= counters; x13 &+= V(repeating: n0); x14 &+= V(repeating: n1); x15 &+= V(repeating: n2)

        // Transpose so the keystream lies in memory block after block. Viewing the 16 vectors
        // as one 16·L-word matrix with index (word, lane), one round of deinterleaving pairs
        // of vectors rotates the index bits right by one; log2(L) rounds move the lane bits
        // to the top, i.e. block-major order. (Uses shuffles, not 16·L lane extractions.)
        var t = (x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15)
        for _ in 0..<V.scalarCount.trailingZeroBitCount {
            let (e0, o0) = V.deinterleave(t.0, t.1), (e1, o1) = V.deinterleave(t.2, t.3)
            let (e2, o2) = V.deinterleave(t.4, t.5), (e3, o3) = V.deinterleave(t.6, t.7)
            let (e4, o4) = V.deinterleave(t.8, t.9), (e5, o5) = V.deinterleave(t.10, t.11)
            let (e6, o6) = V.deinterleave(t.12, t.13), (e7, o7) = V.deinterleave(t.14, t.15)
            t = (e0, e1, e2, e3, e4, e5, e6, e7, o0, o1, o2, o3, o4, o5, o6, o7)
        }
        withUnsafeBytes(of: &t) { keystream in
            let size = MemoryLayout<V>.size
            for i in 0..<16 {
                let data = input.loadUnaligned(fromByteOffset: i * size, as: V.self)
                let stream = keystream.load(fromByteOffset: i * size, as: V.self).littleEndianWords
                output.storeBytes(of: data ^ stream, toByteOffset: i * size, as: V.self)
            }
        }
    }

    /// The quarter round on one word of many blocks at once.
    @inline(__always)
    static func quarterRound<V: SIMD>(_ a: inout V, _ b: inout V, _ c: inout V, _ d: inout V) where V.Scalar == UInt32 {
        a &+= b; d ^= a; d = d &<< 16 | d &>> 16
        c &+= d; b ^= c; b = b &<< 12 | b &>> 20
        a &+= b; d ^= a; d = d &<< 8 | d &>> 24
        c &+= d; b ^= c; b = b &<< 7 | b &>> 25
    }
}

/// A vector of 32-bit words that can hold one ChaCha20 state word of several blocks.
protocol ChaCha20Lanes: SIMD where Scalar == UInt32 {
    /// The even-indexed words of a followed by b, and the odd-indexed ones.
    static func deinterleave(_ a: Self, _ b: Self) -> (Self, Self)
}

extension ChaCha20Lanes {
    /// The words as they must lie in memory: little endian (a no-op on x86 and ARM).
    @inline(__always)
    var littleEndianWords: Self {
        #if _endian(little)
        return self
        #else
        var swapped = self
        for i in indices { swapped[i] = self[i].byteSwapped }
        return swapped
        #endif
    }
}

extension SIMD4: ChaCha20Lanes where Scalar == UInt32 {
    @inline(__always)
    static func deinterleave(_ a: Self, _ b: Self) -> (Self, Self) {
        let joined = SIMD8(lowHalf: a, highHalf: b)
        return (joined.evenHalf, joined.oddHalf)
    }
}

extension SIMD8: ChaCha20Lanes where Scalar == UInt32 {
    @inline(__always)
    static func deinterleave(_ a: Self, _ b: Self) -> (Self, Self) {
        let joined = SIMD16(lowHalf: a, highHalf: b)
        return (joined.evenHalf, joined.oddHalf)
    }
}

extension SIMD16: ChaCha20Lanes where Scalar == UInt32 {
    @inline(__always)
    static func deinterleave(_ a: Self, _ b: Self) -> (Self, Self) {
        let joined = SIMD32(lowHalf: a, highHalf: b)
        return (joined.evenHalf, joined.oddHalf)
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    fileprivate func littleEndianWord(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
