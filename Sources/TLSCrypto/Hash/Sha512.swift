/// SHA-512, FIPS 180-4 §6.4.
public struct SHA512: HashFunction {
    public static let digestByteCount = 64
    public static let blockByteCount = 128
    public static let name = "SHA-512"

    private var core: SHA512Core

    /// FIPS 180-4 §5.3.5: the first 64 bits of the fractional parts of the square roots of the
    /// first eight primes.
    public init() {
        core = SHA512Core(initialHash: (
            0x6a09_e667_f3bc_c908, 0xbb67_ae85_84ca_a73b, 0x3c6e_f372_fe94_f82b, 0xa54f_f53a_5f1d_36f1,
            0x510e_527f_ade6_82d1, 0x9b05_688c_2b3e_6c1f, 0x1f83_d9ab_fb41_bd6b, 0x5be0_cd19_137e_2179
        ))
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { core.update(bytes) }
    public func finalize() -> [UInt8] { core.finalize(digestByteCount: Self.digestByteCount) }
}

/// SHA-384, FIPS 180-4 §6.5: SHA-512's computation from different initial words, with the
/// digest cut to its leftmost 384 bits.
public struct SHA384: HashFunction {
    public static let digestByteCount = 48
    public static let blockByteCount = 128
    public static let name = "SHA-384"

    private var core: SHA512Core

    /// FIPS 180-4 §5.3.4: the first 64 bits of the fractional parts of the square roots of the
    /// ninth through sixteenth primes.
    public init() {
        core = SHA512Core(initialHash: (
            0xcbbb_9d5d_c105_9ed8, 0x629a_292a_367c_d507, 0x9159_015a_3070_dd17, 0x152f_ecd8_f70e_5939,
            0x6733_2667_ffc0_0b31, 0x8eb4_4a87_6858_1511, 0xdb0c_2e0d_64f9_8fa7, 0x47b5_481d_befa_4fa4
        ))
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { core.update(bytes) }
    public func finalize() -> [UInt8] { core.finalize(digestByteCount: Self.digestByteCount) }
}

/// The 64-bit SHA-2 computation (FIPS 180-4 §6.4.2) shared by SHA-384 and SHA-512.
///
/// Same shape as `SHA256`: eight working words in stored properties, an inline 128-byte buffer
/// for a partial block, whole blocks compressed straight from the caller's buffer.
struct SHA512Core: Sendable {
    private var h0, h1, h2, h3, h4, h5, h6, h7: UInt64
    /// Bytes fed so far. FIPS 180-4 §5.1.2 appends a 128-bit bit length; a byte count that
    /// fits 64 bits covers every message this program can hold.
    private var byteCount: UInt64 = 0
    private var pending = InlineArray<128, UInt8>(repeating: 0)

    init(initialHash: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64)) {
        (h0, h1, h2, h3, h4, h5, h6, h7) = initialHash
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var input = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        var pendingCount = Int(byteCount % 128)
        byteCount &+= UInt64(remaining)

        if pendingCount > 0 {
            let take = min(128 - pendingCount, remaining)
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress!.advanced(by: pendingCount).copyMemory(from: input, byteCount: take)
            }
            pendingCount += take
            input += take
            remaining -= take
            guard pendingCount == 128 else { return }
            // A copy, because `compress` mutates `self` and so may not read `self.pending` meanwhile.
            var block = pending
            withUnsafeBytes(of: &block) { compress(blocks: $0.baseAddress!, count: 1) }
        }

        let wholeBlocks = remaining / 128
        if wholeBlocks > 0 {
            compress(blocks: input, count: wholeBlocks)
            input += wholeBlocks * 128
            remaining -= wholeBlocks * 128
        }
        if remaining > 0 {
            withUnsafeMutableBytes(of: &pending) { block in
                block.baseAddress!.copyMemory(from: input, byteCount: remaining)
            }
        }
    }

    /// FIPS 180-4 §5.1.2 padding: a 1 bit, zeros up to 112 mod 128 bytes, then the bit length
    /// as a 128-bit big-endian integer. Returns the leftmost `digestByteCount` bytes of H.
    func finalize(digestByteCount: Int) -> [UInt8] {
        var copy = self
        let offset = Int(byteCount % 128)
        let padLength = (offset < 112 ? 112 : 240) - offset
        var padding = [UInt8](repeating: 0, count: padLength + 16)
        padding[0] = 0x80
        let bitLengthHigh = byteCount >> 61
        let bitLengthLow = byteCount << 3
        for i in 0..<8 {
            let shift = 56 - 8 * UInt64(i)
            padding[padLength + i] = UInt8(truncatingIfNeeded: bitLengthHigh >> shift)
            padding[padLength + 8 + i] = UInt8(truncatingIfNeeded: bitLengthLow >> shift)
        }
        padding.withUnsafeBytes { copy.update($0) }

        var digest = [UInt8]()
        digest.reserveCapacity(64)
        for word in [copy.h0, copy.h1, copy.h2, copy.h3, copy.h4, copy.h5, copy.h6, copy.h7] {
            for shift in stride(from: 56, through: 0, by: -8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return Array(digest.prefix(digestByteCount))
    }

    /// FIPS 180-4 §6.4.2 over `count` consecutive 128-byte blocks: 80 rounds as five passes
    /// of 16 over a rolling window of 16 schedule words (see `SHA256.compress`).
    private mutating func compress(blocks: UnsafeRawPointer, count: Int) {
        var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
        for blockIndex in 0..<count {
            let block = blocks + blockIndex * 128
            func word(_ i: Int) -> UInt64 {
                UInt64(bigEndian: block.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
            }
            var w0 = word(0), w1 = word(1), w2 = word(2), w3 = word(3)
            var w4 = word(4), w5 = word(5), w6 = word(6), w7 = word(7)
            var w8 = word(8), w9 = word(9), w10 = word(10), w11 = word(11)
            var w12 = word(12), w13 = word(13), w14 = word(14), w15 = word(15)

            for pass in 0..<5 {
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
                round(a, b, c, &d, e, f, g, &h, sha512RoundConstants[k + 0] &+ w0)
                round(h, a, b, &c, d, e, f, &g, sha512RoundConstants[k + 1] &+ w1)
                round(g, h, a, &b, c, d, e, &f, sha512RoundConstants[k + 2] &+ w2)
                round(f, g, h, &a, b, c, d, &e, sha512RoundConstants[k + 3] &+ w3)
                round(e, f, g, &h, a, b, c, &d, sha512RoundConstants[k + 4] &+ w4)
                round(d, e, f, &g, h, a, b, &c, sha512RoundConstants[k + 5] &+ w5)
                round(c, d, e, &f, g, h, a, &b, sha512RoundConstants[k + 6] &+ w6)
                round(b, c, d, &e, f, g, h, &a, sha512RoundConstants[k + 7] &+ w7)
                round(a, b, c, &d, e, f, g, &h, sha512RoundConstants[k + 8] &+ w8)
                round(h, a, b, &c, d, e, f, &g, sha512RoundConstants[k + 9] &+ w9)
                round(g, h, a, &b, c, d, e, &f, sha512RoundConstants[k + 10] &+ w10)
                round(f, g, h, &a, b, c, d, &e, sha512RoundConstants[k + 11] &+ w11)
                round(e, f, g, &h, a, b, c, &d, sha512RoundConstants[k + 12] &+ w12)
                round(d, e, f, &g, h, a, b, &c, sha512RoundConstants[k + 13] &+ w13)
                round(c, d, e, &f, g, h, a, &b, sha512RoundConstants[k + 14] &+ w14)
                round(b, c, d, &e, f, g, h, &a, sha512RoundConstants[k + 15] &+ w15)
            }

            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            a = h0; b = h1; c = h2; d = h3; e = h4; f = h5; g = h6; h = h7
        }
    }
}

/// One SHA-512 round (FIPS 180-4 §6.4.2 step 3), register renaming folded in as in SHA-256.
@inline(__always)
private func round(
    _ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: inout UInt64,
    _ e: UInt64, _ f: UInt64, _ g: UInt64, _ h: inout UInt64, _ constantPlusWord: UInt64
) {
    let bigSigma1 = e.rotatedRight(14) ^ e.rotatedRight(18) ^ e.rotatedRight(41)
    let choose = g ^ (e & (f ^ g))
    let t1 = h &+ bigSigma1 &+ choose &+ constantPlusWord
    let bigSigma0 = a.rotatedRight(28) ^ a.rotatedRight(34) ^ a.rotatedRight(39)
    let majority = (a & b) | (c & (a | b))
    d &+= t1
    h = t1 &+ bigSigma0 &+ majority
}

/// FIPS 180-4 §6.4.2 step 1: W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16].
@inline(__always)
private func extend(_ w16: UInt64, _ w2: UInt64, _ w7: UInt64, _ w15: UInt64) -> UInt64 {
    let sigma0 = w15.rotatedRight(1) ^ w15.rotatedRight(8) ^ (w15 >> 7)
    let sigma1 = w2.rotatedRight(19) ^ w2.rotatedRight(61) ^ (w2 >> 6)
    return w16 &+ sigma0 &+ w7 &+ sigma1
}

extension UInt64 {
    @inline(__always)
    func rotatedRight(_ n: UInt64) -> UInt64 { (self >> n) | (self << (64 - n)) }
}

/// FIPS 180-4 §4.2.3: K, the first 64 bits of the fractional parts of the cube roots of the
/// first 80 primes.
private let sha512RoundConstants: [UInt64] = [
    0x428a_2f98_d728_ae22, 0x7137_4491_23ef_65cd, 0xb5c0_fbcf_ec4d_3b2f, 0xe9b5_dba5_8189_dbbc,
    0x3956_c25b_f348_b538, 0x59f1_11f1_b605_d019, 0x923f_82a4_af19_4f9b, 0xab1c_5ed5_da6d_8118,
    0xd807_aa98_a303_0242, 0x1283_5b01_4570_6fbe, 0x2431_85be_4ee4_b28c, 0x550c_7dc3_d5ff_b4e2,
    0x72be_5d74_f27b_896f, 0x80de_b1fe_3b16_96b1, 0x9bdc_06a7_25c7_1235, 0xc19b_f174_cf69_2694,
    0xe49b_69c1_9ef1_4ad2, 0xefbe_4786_384f_25e3, 0x0fc1_9dc6_8b8c_d5b5, 0x240c_a1cc_77ac_9c65,
    0x2de9_2c6f_592b_0275, 0x4a74_84aa_6ea6_e483, 0x5cb0_a9dc_bd41_fbd4, 0x76f9_88da_8311_53b5,
    0x983e_5152_ee66_dfab, 0xa831_c66d_2db4_3210, 0xb003_27c8_98fb_213f, 0xbf59_7fc7_beef_0ee4,
    0xc6e0_0bf3_3da8_8fc2, 0xd5a7_9147_930a_a725, 0x06ca_6351_e003_826f, 0x1429_2967_0a0e_6e70,
    0x27b7_0a85_46d2_2ffc, 0x2e1b_2138_5c26_c926, 0x4d2c_6dfc_5ac4_2aed, 0x5338_0d13_9d95_b3df,
    0x650a_7354_8baf_63de, 0x766a_0abb_3c77_b2a8, 0x81c2_c92e_47ed_aee6, 0x9272_2c85_1482_353b,
    0xa2bf_e8a1_4cf1_0364, 0xa81a_664b_bc42_3001, 0xc24b_8b70_d0f8_9791, 0xc76c_51a3_0654_be30,
    0xd192_e819_d6ef_5218, 0xd699_0624_5565_a910, 0xf40e_3585_5771_202a, 0x106a_a070_32bb_d1b8,
    0x19a4_c116_b8d2_d0c8, 0x1e37_6c08_5141_ab53, 0x2748_774c_df8e_eb99, 0x34b0_bcb5_e19b_48a8,
    0x391c_0cb3_c5c9_5a63, 0x4ed8_aa4a_e341_8acb, 0x5b9c_ca4f_7763_e373, 0x682e_6ff3_d6b2_b8a3,
    0x748f_82ee_5def_b2fc, 0x78a5_636f_4317_2f60, 0x84c8_7814_a1f0_ab72, 0x8cc7_0208_1a64_39ec,
    0x90be_fffa_2363_1e28, 0xa450_6ceb_de82_bde9, 0xbef9_a3f7_b2c6_7915, 0xc671_78f2_e372_532b,
    0xca27_3ece_ea26_619c, 0xd186_b8c7_21c0_c207, 0xeada_7dd6_cde0_eb1e, 0xf57d_4f7f_ee6e_d178,
    0x06f0_67aa_7217_6fba, 0x0a63_7dc5_a2c8_98a6, 0x113f_9804_bef9_0dae, 0x1b71_0b35_131c_471b,
    0x28db_77f5_2304_7d84, 0x32ca_ab7b_40c7_2493, 0x3c9e_be0a_15c9_bebc, 0x431d_67c4_9c10_0d4c,
    0x4cc5_d4be_cb3e_42b6, 0x597f_299c_fc65_7e2a, 0x5fcb_6fab_3ad6_faec, 0x6c44_198c_4a47_5817,
]
