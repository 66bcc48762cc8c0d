/// SHA-256, FIPS 180-4 §6.2.
///
/// A value type: the eight working words live in stored properties and the not-yet-full
/// block in an inline 64-byte buffer, so copying a half-fed hash (the TLS transcript hash does
/// this for every Finished) copies no heap storage and leaves the original untouched.
/// Whole blocks are compressed straight from the caller's buffer; only a tail shorter than a
/// block is copied.
public struct SHA256: HashFunction {
    public static let digestByteCount = 32
    public static let blockByteCount = 64
    public static let name = "SHA-256"

    /// FIPS 180-4 §5.3.3: H(0), the first 32 bits of the fractional parts of the square roots
    /// of the first eight primes.
    private var h0: UInt32 = 0x6a09_e667
    private var h1: UInt32 = 0xbb67_ae85
    private var h2: UInt32 = 0x3c6e_f372
    private var h3: UInt32 = 0xa54f_f53a
    private var h4: UInt32 = 0x510e_527f
    private var h5: UInt32 = 0x9b05_688c
    private var h6: UInt32 = 0x1f83_d9ab
    private var h7: UInt32 = 0x5be0_cd19

    /// Bytes fed so far; the message length in the final block is this times 8, mod 2^64.
    private var byteCount: UInt64 = 0
    /// The start of a block still waiting for its remaining bytes (`byteCount % 64` of them).
    private var pending = InlineArray<64, UInt8>(repeating: 0)

    public init() {}

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        var pendingCount = Int(byteCount % 64)
        byteCount &+= UInt64(remaining)

        if pendingCount > 0 {
            let take = min(64 - pendingCount, remaining)
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress!.advanced(by: pendingCount).copyMemory(from: input, byteCount: take)
            }
            pendingCount += take
            input += take
            remaining -= take
            guard pendingCount == 64 else { return }
            // A copy, because `compress` mutates `self` and so may not read `self.pending` meanwhile.
            var block = pending
            withUnsafeBytes(of: &block) { compress(blocks: $0.baseAddress!, count: 1) }
        }

        let wholeBlocks = remaining / 64
        if wholeBlocks > 0 {
            compress(blocks: input, count: wholeBlocks)
            input += wholeBlocks * 64
            remaining -= wholeBlocks * 64
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
        }
    }

    /// FIPS 180-4 §5.1.1 padding: a 1 bit, zeros up to 56 mod 64 bytes, then the bit length as
    /// a 64-bit big-endian integer.
    public func finalize() -> [UInt8] {
        var copy = self
        let bitLength = byteCount &* 8
        let padLength = (byteCount % 64 < 56 ? 56 : 120) - Int(byteCount % 64)
        var padding = [UInt8](repeating: 0, count: padLength + 8)
        padding[0] = 0x80
        for i in 0..<8 {
            padding[padLength + i] = UInt8(truncatingIfNeeded: bitLength >> (56 - 8 * UInt64(i)))
        }
        padding.withUnsafeBytes { copy.update($0) }

        var digest = [UInt8]()
        digest.reserveCapacity(32)
        for word in [copy.h0, copy.h1, copy.h2, copy.h3, copy.h4, copy.h5, copy.h6, copy.h7] {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// FIPS 180-4 §6.2.2, applied to `count` consecutive 64-byte blocks.
    ///
    /// The message schedule is a rolling window of 16 local words (W[t-16] is overwritten by
    /// W[t]), so nothing is allocated and everything can stay in registers. The 64 rounds run as
    /// four passes of 16; each pass first extends the schedule by 16 words (except the first,
    /// which loads them from the block). Rather than shifting a..h after every round, the
    /// arguments to `round` rotate: after eight rounds the names line up again.
    private mutating func compress(blocks: UnsafeRawPointer, count: Int) {
        var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
        for blockIndex in 0..<count {
            let block = blocks + blockIndex * 64
            func word(_ i: Int) -> UInt32 {
                UInt32(bigEndian: block.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
            }
            var w0 = word(0), w1 = word(1), w2 = word(2), w3 = word(3)
            var w4 = word(4), w5 = word(5), w6 = word(6), w7 = word(7)
            var w8 = word(8), w9 = word(9), w10 = word(10), w11 = word(11)
            var w12 = word(12), w13 = word(13), w14 = word(14), w15 = word(15)

            for pass in 0..<4 {
                if pass > 0 {
                    w0 = extend(w0, w14, w9, w1)
                    w1 = extend(w1, w15, w10, w2)
                    w2 = extend(w2, w0, w11, w3)
                    w3 = extend(w3, w1, w12, w4)
                    w4 = extend(w4, w2, w13, w5)
                    w5 = extend(w5, w3, w14, w6)
                    w6 = extend(w6, w4, w15, w7)
                    w7 = extend(w7, w5, w0, w8)
                    w8 = extend(w8, w6, w1, w9)
                    w9 = extend(w9, w7, w2, w10)
                    w10 = extend(w10, w8, w3, w11)
                    w11 = extend(w11, w9, w4, w12)
                    w12 = extend(w12, w10, w5, w13)
                    w13 = extend(w13, w11, w6, w14)
                    w14 = extend(w14, w12, w7, w15)
                    w15 = extend(w15, w13, w8, w0)
                }
                let k = 16 * pass
                round(a, b, c, &d, e, f, g, &h, sha256RoundConstants[k + 0] &+ w0)
                round(h, a, b, &c, d, e, f, &g, sha256RoundConstants[k + 1] &+ w1)
                round(g, h, a, &b, c, d, e, &f, sha256RoundConstants[k + 2] &+ w2)
                round(f, g, h, &a, b, c, d, &e, sha256RoundConstants[k + 3] &+ w3)
                round(e, f, g, &h, a, b, c, &d, sha256RoundConstants[k + 4] &+ w4)
                round(d, e, f, &g, h, a, b, &c, sha256RoundConstants[k + 5] &+ w5)
                round(c, d, e, &f, g, h, a, &b, sha256RoundConstants[k + 6] &+ w6)
                round(b, c, d, &e, f, g, h, &a, sha256RoundConstants[k + 7] &+ w7)
                round(a, b, c, &d, e, f, g, &h, sha256RoundConstants[k + 8] &+ w8)
                round(h, a, b, &c, d, e, f, &g, sha256RoundConstants[k + 9] &+ w9)
                round(g, h, a, &b, c, d, e, &f, sha256RoundConstants[k + 10] &+ w10)
                round(f, g, h, &a, b, c, d, &e, sha256RoundConstants[k + 11] &+ w11)
                round(e, f, g, &h, a, b, c, &d, sha256RoundConstants[k + 12] &+ w12)
                round(d, e, f, &g, h, a, b, &c, sha256RoundConstants[k + 13] &+ w13)
                round(c, d, e, &f, g, h, a, &b, sha256RoundConstants[k + 14] &+ w14)
                round(b, c, d, &e, f, g, h, &a, sha256RoundConstants[k + 15] &+ w15)
            }

            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            a = h0; b = h1; c = h2; d = h3; e = h4; f = h5; g = h6; h = h7
        }
    }
}

/// One SHA-256 round (FIPS 180-4 §6.2.2 step 3) with the register renaming folded in:
/// T1 = h + Σ1(e) + Ch(e,f,g) + K[t] + W[t]; the new e is d + T1 and lands in `d`,
/// the new a is T1 + Σ0(a) + Maj(a,b,c) and lands in `h`.
@inline(__always)
private func round(
    _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
    _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ constantPlusWord: UInt32
) {
    let bigSigma1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ bigSigma1 &+ choose &+ constantPlusWord
    let bigSigma0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
    let majority = (a & b) | (c & (a | b))
    d &+= t1
    h = t1 &+ bigSigma0 &+ majority
}

/// FIPS 180-4 §6.2.2 step 1: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
@inline(__always)
private func extend(_ w16: UInt32, _ w2: UInt32, _ w7: UInt32, _ w15: UInt32) -> UInt32 {
    let sigma0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 >> 3)
    let sigma1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 >> 10)
    return w16 &+ sigma0 &+ w7 &+ sigma1
}

extension UInt32 {
    @inline(__always)
    func rotatedRight(_ n: UInt32) -> UInt32 { (self >> n) | (self << (32 - n)) }
}

/// FIPS 180-4 §4.2.2: K, the first 32 bits of the fractional parts of the cube roots of the
/// first 64 primes.
private let sha256RoundConstants: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
]
