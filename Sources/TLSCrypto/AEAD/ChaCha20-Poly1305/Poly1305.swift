/// The Poly1305 one-time authenticator of RFC 8439 §2.5.
///
/// The 32-byte one-time key is r (16 bytes, "clamped") and s (16 bytes). The message is cut
/// into 16-byte blocks; each block, read as a little-endian number with one more 1 bit above
/// its last byte, is added to an accumulator that is then multiplied by r modulo
/// p = 2^130 - 5. The tag is (accumulator + s) mod 2^128.
///
/// Arithmetic in radix 2^64: the accumulator is h0 + h1·2^64 + h2·2^128 with h2 a few bits, and
/// each block takes four 64×64→128-bit multiplications. Two tricks keep it small: the clamping
/// leaves r1 a multiple of 4, so a product landing at 2^128 is folded down with
/// s1 = r1 + r1/4 (2^130 ≡ 5, so 2^128·r1 ≡ 5·r1/4); and the reduction is only partial
/// (h stays below about 2^131) until `finalize`. Nothing branches on secret data.
/// Long messages are absorbed eight blocks at a time by the vector code in
/// Poly1305Parallel.swift, which leaves the same accumulator.
public struct Poly1305: Sendable {
    public static let keyByteCount = 32
    public static let tagByteCount = 16

    /// The accumulator h0 + h1·2^64 + h2·2^128, h2 at most 4 between blocks.
    var h0: UInt64 = 0, h1: UInt64 = 0, h2: UInt64 = 0
    let r0: UInt64, r1: UInt64, s1: UInt64
    private let pad0: UInt64, pad1: UInt64
    /// Bytes of an incomplete block waiting for more input.
    private var pending: (UInt64, UInt64) = (0, 0)
    private var pendingCount = 0

    /// Throws `.invalidKeySize` unless the key is 32 bytes. A key must never be used for two
    /// messages: two tags under one key reveal r.
    public init(key: [UInt8]) throws {
        guard key.count == Self.keyByteCount else {
            throw CryptoError(.invalidKeySize, "Poly1305 key must be 32 bytes, got \(key.count)")
        }
        self = key.withUnsafeBytes { Poly1305(uncheckedKey: $0) }
    }

    init(uncheckedKey key: UnsafeRawBufferPointer) {
        precondition(key.count == Self.keyByteCount)
        func word(_ i: Int) -> UInt64 {
            UInt64(littleEndian: key.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
        }
        // §2.5.1 clamp(r): r &= 0x0ffffffc0ffffffc0ffffffc0fffffff
        r0 = word(0) & 0x0FFF_FFFC_0FFF_FFFF
        r1 = word(1) & 0x0FFF_FFFC_0FFF_FFFC
        s1 = r1 &+ (r1 >> 2)
        pad0 = word(2)
        pad1 = word(3)
    }

    /// One-shot tag.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) throws -> [UInt8] {
        var mac = try Poly1305(key: key)
        mac.update(message)
        return mac.finalize()
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        if pendingCount > 0 {
            let take = min(16 - pendingCount, remaining)
            let filled = pendingCount
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.advanced(by: filled).copyMemory(from: source, byteCount: take)
            }
            pendingCount += take
            source += take
            remaining -= take
            guard pendingCount == 16 else { return }
            flushPending()
        }
        let fullBlocks = remaining / 16
        absorbFullBlocks(source, count: fullBlocks)
        source += 16 * fullBlocks
        remaining -= 16 * fullBlocks
        if remaining > 0 {
            pending = (0, 0)
            withUnsafeMutableBytes(of: &pending) { buffer in
                buffer.baseAddress!.copyMemory(from: source, byteCount: remaining)
            }
            pendingCount = remaining
        }
    }

    /// Long runs of full blocks go through the parallel path (Poly1305Parallel.swift), eight
    /// blocks at a time; the rest, and everything in portable builds, block by block.
    @inline(__always)
    private mutating func absorbFullBlocks(_ source: UnsafeRawPointer, count: Int) {
        var done = 0
        #if !TLS13_PORTABLE
        if count >= Self.parallelThreshold {
            let groups = count / 8
            processBlocksInParallel(SIMD8<UInt64>.self, source, groups: groups)
            done = 8 * groups
        }
        #endif
        processBlocks(source + 16 * done, count: count - done, highBit: 1)
    }

    /// Below this many blocks, computing r^2 ... r^8 costs more than the parallel path saves.
    static let parallelThreshold = 32

    /// Zero-fills an incomplete last block to 16 bytes and absorbs it as a full block: the
    /// "padding1"/"padding2" of the AEAD construction (RFC 8439 §2.8). No effect on a block
    /// boundary.
    mutating func padToBlockBoundary() {
        guard pendingCount > 0 else { return }
        flushPending()
    }

    /// Absorbs the pending bytes (zero-filled to 16) as one full block.
    private mutating func flushPending() {
        var block = pending
        withUnsafeBytes(of: &block) { processBlocks($0.baseAddress!, count: 1, highBit: 1) }
        pending = (0, 0)
        pendingCount = 0
    }

    /// The tag. Does not change `self`.
    public func finalize() -> [UInt8] {
        var copy = self
        if copy.pendingCount > 0 {
            // §2.5.1: a short last block gets its 1 bit right after its last byte, not at 2^128.
            var block = copy.pending
            withUnsafeMutableBytes(of: &block) { $0[copy.pendingCount] = 1 }
            withUnsafeBytes(of: &block) { copy.processBlocks($0.baseAddress!, count: 1, highBit: 0) }
        }
        return copy.tag()
    }

    /// h mod p, plus s, mod 2^128.
    private func tag() -> [UInt8] {
        // h < 2p here, so h mod p is h or h - p. h - p = h + 5 - 2^130: compute g = h + 5 and
        // keep it (minus 2^130) exactly when it reaches 2^130, choosing with a mask.
        let (g0, c0) = h0.addingReportingOverflow(5)
        let (g1, c1) = h1.addingReportingOverflow(c0 ? 1 : 0)
        let g2 = h2 &+ (c1 ? 1 : 0)
        let useG = 0 &- (g2 >> 2)
        let f0 = (h0 & ~useG) | (g0 & useG)
        let f1 = (h1 & ~useG) | (g1 & useG)
        let (t0, carry) = f0.addingReportingOverflow(pad0)
        let t1 = f1 &+ pad1 &+ (carry ? 1 : 0)
        var out = [UInt8](repeating: 0, count: Self.tagByteCount)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: t0.littleEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: t1.littleEndian, toByteOffset: 8, as: UInt64.self)
        }
        return out
    }

    /// Absorbs `count` 16-byte blocks read straight from memory. `highBit` is 1 for full blocks
    /// (the extra bit at 2^128) and 0 for the already-marked short last block.
    @inline(__always)
    mutating func processBlocks(_ source: UnsafeRawPointer, count: Int, highBit: UInt64) {
        var h0 = self.h0, h1 = self.h1, h2 = self.h2
        let r0 = self.r0, r1 = self.r1, s1 = self.s1
        var p = source
        for _ in 0..<count {
            let m0 = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
            let m1 = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            p += 16

            // h += m
            let (a0, c0) = h0.addingReportingOverflow(m0)
            let (b1, c1) = h1.addingReportingOverflow(m1)
            let (a1, c2) = b1.addingReportingOverflow(c0 ? 1 : 0)
            h2 = h2 &+ highBit &+ (c1 ? 1 : 0) &+ (c2 ? 1 : 0)

            // h *= r, partially reduced: columns at 2^0 and 2^64, and what lands at 2^128.
            let d0 = UInt128(a0) &* UInt128(r0) &+ UInt128(a1) &* UInt128(s1)
            var d1 = UInt128(a0) &* UInt128(r1) &+ UInt128(a1) &* UInt128(r0) &+ UInt128(h2 &* s1)
            let d2 = h2 &* r0
            h0 = UInt64(truncatingIfNeeded: d0)
            d1 &+= d0 >> 64
            h1 = UInt64(truncatingIfNeeded: d1)
            h2 = d2 &+ UInt64(truncatingIfNeeded: d1 >> 64)

            // Fold everything at 2^130 and above back in: 2^130·x ≡ 5x = 4x + x.
            let fold = (h2 >> 2) &+ (h2 & ~3)
            h2 &= 3
            let (e0, f0) = h0.addingReportingOverflow(fold)
            let (e1, f1) = h1.addingReportingOverflow(f0 ? 1 : 0)
            h0 = e0
            h1 = e1
            h2 &+= f1 ? 1 : 0
        }
        self.h0 = h0
        self.h1 = h1
        self.h2 = h2
    }
}
