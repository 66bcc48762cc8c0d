/// The AES block cipher (FIPS 197), forward direction only: GCM never runs AES backwards.
///
/// # Why bitsliced
///
/// The textbook AES looks bytes up in a 256-entry S-box (or four 1 KiB "T-tables"). The index
/// of that lookup is key ^ data, and which cache line it touches shows in the timing of the
/// lookup and of the attacker's own memory accesses: cache-timing attacks recover AES keys that
/// way (Bernstein 2005; Osvik, Shamir, Tromer 2006). Without AES-NI, the cure is to never let a
/// secret choose an address or a branch. This file computes AES with nothing but AND, OR, XOR,
/// NOT and shifts by constant amounts, on all the data at once, so the sequence of instructions
/// and of memory addresses is the same for every key and every plaintext.
///
/// # The layout ("ct64", after Thomas Pornin's BearSSL `aes_ct64`)
///
/// Four blocks are processed together in eight 64-bit words `q0 ... q7`. Word `qk` holds bit
/// `k` of every byte of the four states ("bit plane" k), at bit position
///
///     16 * row + 4 * column + block        (row, column in 0..<4, block in 0..<4)
///
/// so each 16-bit group of a word is one row of the four states, each nibble one (row, column)
/// cell across the four blocks. With that layout:
///
/// - SubBytes is a Boolean circuit applied to the eight planes: the S-box as 115 gates, 32 AND
///   and 83 XOR/XNOR (Boyar and Peralta, "A new combinational logic minimization technique with
///   applications to cryptology", 2009, https://eprint.iacr.org/2009/191), evaluated on 64
///   bytes at once, one byte per bit position.
/// - ShiftRows moves nibbles inside each 16-bit row group: masks and constant shifts.
/// - MixColumns needs "the same column, next row": a rotation of each plane by 16 bits.
/// - AddRoundKey XORs eight precomputed planes of the round key.
///
/// Getting blocks in and out of that layout (`interleaved` + `transpose()`) is a fixed network
/// of masks and shifts, a transpose of 8x8 bit matrices.
///
/// The same code runs on `Lanes8` (eight such 64-bit lanes, so 32 blocks per call): the
/// lanes are independent, and with `-target-cpu native` the compiler turns each operation into
/// one AVX-512 instruction (two with AVX2). This is where the speed of AES-GCM comes from.
public struct AES: Sendable {
    /// Nr in FIPS 197 §5: 10, 12 or 14 for 128-, 192- and 256-bit keys.
    let roundCount: Int
    /// The round keys of FIPS 197 §5.2, already in bit planes (8 words per round key, the
    /// same key in each of the four block slots): `(roundCount + 1) * 8` words.
    let roundKeyPlanes: [UInt64]

    /// Takes a 16-, 24- or 32-byte key.
    public init(key: [UInt8]) throws {
        switch key.count {
        case 16: roundCount = 10
        case 24: roundCount = 12
        case 32: roundCount = 14
        default: throw CryptoError(.invalidKeySize, "AES keys are 16, 24 or 32 bytes, not \(key.count)")
        }
        roundKeyPlanes = AES.expandKey(key, roundCount: roundCount)
    }

    /// FIPS 197 §5.2 KeyExpansion. Words are little-endian here (byte 0 of a word in its low
    /// bits), which is the order the bitslice layout wants; so RotWord is a rotation right by 8.
    /// SubWord goes through the same bitsliced S-box as the cipher: no table, even for the key.
    private static func expandKey(_ key: [UInt8], roundCount: Int) -> [UInt64] {
        let nk = key.count / 4
        let totalWords = 4 * (roundCount + 1)
        var w = [UInt32](repeating: 0, count: totalWords)
        for i in 0..<nk {
            for byte in 0..<4 {
                w[i] |= UInt32(key[4 * i + byte]) << (8 * UInt32(byte))
            }
        }
        var roundConstant: UInt32 = 0x01
        for i in nk..<totalWords {
            var temp = w[i - 1]
            if i % nk == 0 {
                temp = subWord(temp >> 8 | temp << 24) ^ roundConstant
                // xtime: multiply by x in GF(2^8). Public data (the round number), so branching is fine.
                roundConstant = roundConstant & 0x80 != 0 ? (roundConstant << 1) ^ 0x11b : roundConstant << 1
            } else if nk > 6 && i % nk == 4 {
                temp = subWord(temp)
            }
            w[i] = w[i - nk] ^ temp
        }

        var planes: [UInt64] = []
        planes.reserveCapacity(8 * (roundCount + 1))
        for round in 0...roundCount {
            let column = { (c: Int) in UInt64(w[4 * round + c]) }
            let (low, high) = interleaved(column(0), column(1), column(2), column(3))
            var state = BitslicedState<UInt64>(
                q0: low, q1: low, q2: low, q3: low, q4: high, q5: high, q6: high, q7: high)
            state.transpose()
            planes += [state.q0, state.q1, state.q2, state.q3, state.q4, state.q5, state.q6, state.q7]
        }
        return planes
    }

    /// SubWord: the four bytes of one word through the S-box, using the bitsliced circuit.
    /// The other 60 byte positions are zero and are thrown away.
    private static func subWord(_ word: UInt32) -> UInt32 {
        var state = BitslicedState<UInt64>(q0: UInt64(word), q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0)
        state.transpose()
        state.substituteBytes()
        state.transpose()
        return UInt32(truncatingIfNeeded: state.q0)
    }

    /// Encrypts 32 blocks (see `BitslicedState`). Kept out of line so the whole cipher is one
    /// tight loop whose state stays in vector registers.
    @inline(never)
    func encrypt(_ state: inout BitslicedState<Lanes8>) {
        encryptPlanes(&state)
    }

    /// Encrypts 4 blocks.
    @inline(never)
    func encrypt(_ state: inout BitslicedState<UInt64>) {
        encryptPlanes(&state)
    }

    /// FIPS 197 §5.1 Cipher, on bit planes: AddRoundKey, then Nr - 1 full rounds, then the
    /// last round without MixColumns.
    @inline(__always)
    private func encryptPlanes<W: BitsliceWord>(_ state: inout BitslicedState<W>) {
        roundKeyPlanes.withUnsafeBufferPointer { keys in
            state.addRoundKey(keys.baseAddress!)
            for round in 1..<roundCount {
                state.substituteBytes()
                state.shiftRows()
                state.mixColumns()
                state.addRoundKey(keys.baseAddress! + 8 * round)
            }
            state.substituteBytes()
            state.shiftRows()
            state.addRoundKey(keys.baseAddress! + 8 * roundCount)
        }
    }

    /// Encrypts one 16-byte block (for tests and for GCM's hash key H = E(K, 0^128)).
    public func encrypt(block: [UInt8]) -> [UInt8] {
        precondition(block.count == 16, "AES blocks are 16 bytes")
        var words = [UInt32](repeating: 0, count: 16)
        for i in 0..<16 {
            words[i / 4] |= UInt32(block[i]) << (8 * UInt32(i % 4))
        }
        var state = words.withUnsafeBufferPointer { BitslicedState<UInt64>(loading: $0.baseAddress!) }
        encrypt(&state)
        var output = [UInt8](repeating: 0, count: 64)
        output.withUnsafeMutableBytes { state.store(to: $0.baseAddress!) }
        return Array(output[0..<16])
    }

    /// Packs one block's four little-endian column words into the two words it occupies before
    /// the transpose: `low` holds columns 0 and 2, `high` columns 1 and 3, each byte spread so
    /// that after `transpose()` the (row, column) cell lands at bit 16 * row + 4 * column.
    @inline(__always)
    static func interleaved<W: BitsliceWord>(_ w0: W, _ w1: W, _ w2: W, _ w3: W) -> (low: W, high: W) {
        @inline(__always) func spread(_ x: W) -> W {
            var x = x
            x = (x | x &<< 16) & W(broadcasting: 0x0000_FFFF_0000_FFFF)
            x = (x | x &<< 8) & W(broadcasting: 0x00FF_00FF_00FF_00FF)
            return x
        }
        return (spread(w0) | spread(w2) &<< 8, spread(w1) | spread(w3) &<< 8)
    }

    /// The inverse of `interleaved`: the four column words (in the low 32 bits of each lane).
    @inline(__always)
    static func deinterleaved<W: BitsliceWord>(low: W, high: W) -> (W, W, W, W) {
        @inline(__always) func gather(_ x: W) -> W {
            var x = x & W(broadcasting: 0x00FF_00FF_00FF_00FF)
            x = (x | x &>> 8) & W(broadcasting: 0x0000_FFFF_0000_FFFF)
            return (x | x &>> 16) & W(broadcasting: 0x0000_0000_FFFF_FFFF)
        }
        return (gather(low), gather(high), gather(low &>> 8), gather(high &>> 8))
    }
}
