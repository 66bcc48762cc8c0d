// The bitsliced representation AES.swift computes on: a machine word with bitwise logic and
// constant shifts (BitsliceWord: UInt64 or Lanes8), and the state of 4 or 32 blocks as eight bit
// planes per row, with the transposition, AddRoundKey and the S-box as a Boolean circuit (FIPS 197
// §5.1.1 SubBytes). See AES.swift for why AES is computed this way.

/// What the bitsliced code needs from a machine word: bitwise logic and constant shifts.
/// `UInt64` carries 4 blocks; `Lanes8` carries 32 (lane `l` holds blocks 4l ..< 4l + 4).
protocol BitsliceWord: Sendable {
    static var laneCount: Int { get }
    init(broadcasting value: UInt64)
    /// Lane `l` holds `first + l * step`.
    init(first: UInt64, step: UInt64)
    subscript(lane: Int) -> UInt64 { get set }
    static func & (a: Self, b: Self) -> Self
    static func | (a: Self, b: Self) -> Self
    static func ^ (a: Self, b: Self) -> Self
    static prefix func ~ (a: Self) -> Self
    static func &<< (a: Self, b: UInt64) -> Self
    static func &>> (a: Self, b: UInt64) -> Self
}

extension UInt64: BitsliceWord {
    static var laneCount: Int { 1 }
    @inline(__always) init(broadcasting value: UInt64) { self = value }
    @inline(__always) init(first: UInt64, step: UInt64) { self = first }
    subscript(lane: Int) -> UInt64 {
        @inline(__always) get { self }
        @inline(__always) set { self = newValue }
    }
}

/// Eight 64-bit lanes in one 512-bit vector (one AVX-512 register, two AVX2 registers).
///
/// Why not `SIMD8<UInt64>` directly: the standard library implements `&`, `|`, `^`, `~` and
/// the shifts of integer SIMD types as loops over the lanes and leaves the optimizer to turn
/// them back into vector instructions. In a function as large as an AES round it only partly
/// succeeds (measured: half the S-box ended up in scalar registers). The same 512 bits viewed
/// as a `SIMDMask` have logic operators that compile straight to vector AND/OR/XOR/NOT, and
/// the integer multiply is a true vector operation too, which gives left shifts (x · 2^n).
/// Only right shifts remain lane loops, small enough that the compiler vectorizes them.
struct Lanes8: BitsliceWord {
    typealias Mask = SIMDMask<SIMD8<Int64>>
    var bits: Mask

    static var laneCount: Int { 8 }
    @inline(__always) init(bits: Mask) { self.bits = bits }
    @inline(__always) init(_ vector: SIMD8<UInt64>) { bits = unsafeBitCast(vector, to: Mask.self) }
    @inline(__always) init(broadcasting value: UInt64) { self.init(SIMD8(repeating: value)) }
    @inline(__always) init(first: UInt64, step: UInt64) {
        self.init(SIMD8(repeating: first) &+ SIMD8(0, 1, 2, 3, 4, 5, 6, 7) &* SIMD8(repeating: step))
    }
    @inline(__always) var vector: SIMD8<UInt64> { unsafeBitCast(bits, to: SIMD8<UInt64>.self) }
    subscript(lane: Int) -> UInt64 {
        @inline(__always) get { vector[lane] }
        @inline(__always) set { var v = vector; v[lane] = newValue; self = Self(v) }
    }
    @inline(__always) static func & (a: Self, b: Self) -> Self { Self(bits: a.bits .& b.bits) }
    @inline(__always) static func | (a: Self, b: Self) -> Self { Self(bits: a.bits .| b.bits) }
    @inline(__always) static func ^ (a: Self, b: Self) -> Self { Self(bits: a.bits .^ b.bits) }
    @inline(__always) static prefix func ~ (a: Self) -> Self { Self(bits: .!a.bits) }
    @inline(__always) static func &<< (a: Self, b: UInt64) -> Self { Self(a.vector &* SIMD8(repeating: 1 &<< b)) }
    @inline(__always) static func &>> (a: Self, b: UInt64) -> Self { Self(a.vector &>> b) }
}

/// 4 * W.laneCount AES states in bit planes (see the layout described on `AES`).
struct BitslicedState<W: BitsliceWord> {
    var q0, q1, q2, q3, q4, q5, q6, q7: W

    init(q0: W, q1: W, q2: W, q3: W, q4: W, q5: W, q6: W, q7: W) {
        (self.q0, self.q1, self.q2, self.q3) = (q0, q1, q2, q3)
        (self.q4, self.q5, self.q6, self.q7) = (q4, q5, q6, q7)
    }

    /// Loads `4 * W.laneCount` blocks, each as four little-endian 32-bit words, block after block.
    @inline(__always)
    init(loading blocks: UnsafePointer<UInt32>) {
        @inline(__always) func column(_ block: Int, _ word: Int) -> W {
            var x = W(broadcasting: 0)
            for lane in 0..<W.laneCount {
                x[lane] = UInt64(blocks[16 * lane + 4 * block + word])
            }
            return x
        }
        (q0, q4) = AES.interleaved(column(0, 0), column(0, 1), column(0, 2), column(0, 3))
        (q1, q5) = AES.interleaved(column(1, 0), column(1, 1), column(1, 2), column(1, 3))
        (q2, q6) = AES.interleaved(column(2, 0), column(2, 1), column(2, 2), column(2, 3))
        (q3, q7) = AES.interleaved(column(3, 0), column(3, 1), column(3, 2), column(3, 3))
        transpose()
    }

    /// The CTR-mode counter blocks `prefix || [counter + i]_32`, i < 4 * W.laneCount (words as
    /// `init(loading:)` reads them: little-endian, so the big-endian counter is byte-swapped).
    /// Built in registers: only the counter word differs from block to block.
    @inline(__always)
    init(counterBlocks prefix: (UInt32, UInt32, UInt32), counter: UInt32) {
        let w0 = W(broadcasting: UInt64(prefix.0))
        let w1 = W(broadcasting: UInt64(prefix.1))
        let w2 = W(broadcasting: UInt64(prefix.2))
        @inline(__always) func counterWord(_ block: UInt64) -> W {
            // Block 4 * lane + block of the batch; inc32 wraps modulo 2^32.
            let x = W(first: UInt64(counter) &+ block, step: 4) & W(broadcasting: 0xFFFF_FFFF)
            return ((x & W(broadcasting: 0xFF)) &<< 24) | ((x & W(broadcasting: 0xFF00)) &<< 8)
                | ((x &>> 8) & W(broadcasting: 0xFF00)) | (x &>> 24)
        }
        (q0, q4) = AES.interleaved(w0, w1, w2, counterWord(0))
        (q1, q5) = AES.interleaved(w0, w1, w2, counterWord(1))
        (q2, q6) = AES.interleaved(w0, w1, w2, counterWord(2))
        (q3, q7) = AES.interleaved(w0, w1, w2, counterWord(3))
        transpose()
    }

    /// Stores the blocks, 16 bytes each, in the order the initializers took them. One 16-byte
    /// store per block, so that a reader loading whole blocks gets them forwarded from the
    /// store buffer instead of stalling on a load that straddles several small stores.
    @inline(__always)
    func store(to blocks: UnsafeMutableRawPointer) {
        var out = self
        out.transpose()
        @inline(__always) func put(_ block: Int, _ low: W, _ high: W) {
            let (w0, w1, w2, w3) = AES.deinterleaved(low: low, high: high)
            let front = w0 | w1 &<< 32, back = w2 | w3 &<< 32
            for lane in 0..<W.laneCount {
                blocks.storeBytes(of: SIMD2(front[lane].littleEndian, back[lane].littleEndian),
                                  toByteOffset: 16 * (4 * lane + block), as: SIMD2<UInt64>.self)
            }
        }
        put(0, out.q0, out.q4)
        put(1, out.q1, out.q5)
        put(2, out.q2, out.q6)
        put(3, out.q3, out.q7)
    }

    /// Transposes the 8x8 bit matrices formed by byte i of q0 ... q7 (three rounds of swaps of
    /// 1-, 2- and 4-bit groups). It is its own inverse, and it moves bit b of byte i of word j
    /// to bit j of byte i of word b: from "one block per word" to "one bit plane per word".
    @inline(__always)
    mutating func transpose() {
        @inline(__always) func swap(_ x: inout W, _ y: inout W, _ low: UInt64, _ shift: UInt64) {
            let lowMask = W(broadcasting: low), highMask = W(broadcasting: ~low)
            let a = x, b = y
            x = (a & lowMask) | ((b & lowMask) &<< shift)
            y = ((a & highMask) &>> shift) | (b & highMask)
        }
        swap(&q0, &q1, 0x5555_5555_5555_5555, 1)
        swap(&q2, &q3, 0x5555_5555_5555_5555, 1)
        swap(&q4, &q5, 0x5555_5555_5555_5555, 1)
        swap(&q6, &q7, 0x5555_5555_5555_5555, 1)
        swap(&q0, &q2, 0x3333_3333_3333_3333, 2)
        swap(&q1, &q3, 0x3333_3333_3333_3333, 2)
        swap(&q4, &q6, 0x3333_3333_3333_3333, 2)
        swap(&q5, &q7, 0x3333_3333_3333_3333, 2)
        swap(&q0, &q4, 0x0F0F_0F0F_0F0F_0F0F, 4)
        swap(&q1, &q5, 0x0F0F_0F0F_0F0F_0F0F, 4)
        swap(&q2, &q6, 0x0F0F_0F0F_0F0F_0F0F, 4)
        swap(&q3, &q7, 0x0F0F_0F0F_0F0F_0F0F, 4)
    }

    @inline(__always)
    mutating func addRoundKey(_ key: UnsafePointer<UInt64>) {
        q0 = q0 ^ W(broadcasting: key[0])
        q1 = q1 ^ W(broadcasting: key[1])
        q2 = q2 ^ W(broadcasting: key[2])
        q3 = q3 ^ W(broadcasting: key[3])
        q4 = q4 ^ W(broadcasting: key[4])
        q5 = q5 ^ W(broadcasting: key[5])
        q6 = q6 ^ W(broadcasting: key[6])
        q7 = q7 ^ W(broadcasting: key[7])
    }

    /// FIPS 197 §5.1.1 SubBytes as the Boyar-Peralta circuit: a top linear layer (XORs), the
    /// inversion in GF(2^8) written over GF(2^4) and GF(2^2) (ANDs and XORs), a bottom linear
    /// layer that also applies the affine map (XORs and XNORs). Inputs x0 ... x7 are the bit
    /// planes from the most significant bit down, as the paper numbers them.
    @inline(__always)
    mutating func substituteBytes() {
        let x0 = q7, x1 = q6, x2 = q5, x3 = q4, x4 = q3, x5 = q2, x6 = q1, x7 = q0

        // Top linear transformation.
        let y14 = x3 ^ x5, y13 = x0 ^ x6, y9 = x0 ^ x3, y8 = x0 ^ x5
        let t0 = x1 ^ x2
        let y1 = t0 ^ x7, y4 = y1 ^ x3, y12 = y13 ^ y14, y2 = y1 ^ x0
        let y5 = y1 ^ x6, y3 = y5 ^ y8
        let t1 = x4 ^ y12
        let y15 = t1 ^ x5, y20 = t1 ^ x1, y6 = y15 ^ x7, y10 = y15 ^ t0
        let y11 = y20 ^ y9, y7 = x7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8
        let y16 = t0 ^ y11, y21 = y13 ^ y16, y18 = x0 ^ y16

        // Shared non-linear part: inversion in GF(2^8) via GF(2^4).
        let t2 = y12 & y15, t3 = y3 & y6, t4 = t3 ^ t2, t5 = y4 & x7, t6 = t5 ^ t2
        let t7 = y13 & y16, t8 = y5 & y1, t9 = t8 ^ t7, t10 = y2 & y7, t11 = t10 ^ t7
        let t12 = y9 & y11, t13 = y14 & y17, t14 = t13 ^ t12, t15 = y8 & y10, t16 = t15 ^ t12
        let t17 = t4 ^ t14, t18 = t6 ^ t16, t19 = t9 ^ t14, t20 = t11 ^ t16
        let t21 = t17 ^ y20, t22 = t18 ^ y19, t23 = t19 ^ y21, t24 = t20 ^ y18

        let t25 = t21 ^ t22, t26 = t21 & t23, t27 = t24 ^ t26, t28 = t25 & t27
        let t29 = t28 ^ t22, t30 = t23 ^ t24, t31 = t22 ^ t26, t32 = t31 & t30
        let t33 = t32 ^ t24, t34 = t23 ^ t33, t35 = t27 ^ t33, t36 = t24 & t35
        let t37 = t36 ^ t34, t38 = t27 ^ t36, t39 = t29 & t38, t40 = t25 ^ t39

        let t41 = t40 ^ t37, t42 = t29 ^ t33, t43 = t29 ^ t40, t44 = t33 ^ t37, t45 = t42 ^ t41
        let z0 = t44 & y15, z1 = t37 & y6, z2 = t33 & x7, z3 = t43 & y16
        let z4 = t40 & y1, z5 = t29 & y7, z6 = t42 & y11, z7 = t45 & y17
        let z8 = t41 & y10, z9 = t44 & y12, z10 = t37 & y3, z11 = t33 & y4
        let z12 = t43 & y13, z13 = t40 & y5, z14 = t29 & y2, z15 = t42 & y9
        let z16 = t45 & y14, z17 = t41 & y8

        // Bottom linear transformation (with the affine constant 0x63 as the NOTs).
        let t46 = z15 ^ z16, t47 = z10 ^ z11, t48 = z5 ^ z13, t49 = z9 ^ z10
        let t50 = z2 ^ z12, t51 = z2 ^ z5, t52 = z7 ^ z8, t53 = z0 ^ z3
        let t54 = z6 ^ z7, t55 = z16 ^ z17, t56 = z12 ^ t48, t57 = t50 ^ t53
        let t58 = z4 ^ t46, t59 = z3 ^ t54, t60 = t46 ^ t57, t61 = z14 ^ t57
        let t62 = t52 ^ t58, t63 = t49 ^ t58, t64 = z4 ^ t59, t65 = t61 ^ t62
        let t66 = z1 ^ t63, t67 = t64 ^ t65
        let s0 = t59 ^ t63, s6 = t56 ^ ~t62, s7 = t48 ^ ~t60
        let s3 = t53 ^ t66, s4 = t51 ^ t66, s5 = t47 ^ t65
        let s1 = t64 ^ ~s3, s2 = t55 ^ ~t67

        (q7, q6, q5, q4, q3, q2, q1, q0) = (s0, s1, s2, s3, s4, s5, s6, s7)
    }

    /// FIPS 197 §5.1.2 ShiftRows: row r of a state rotates left by r cells. A row is a 16-bit
    /// group of each plane and a cell a nibble, so row r is a rotation of its group by 4r bits.
    @inline(__always)
    mutating func shiftRows() {
        @inline(__always) func shift(_ x: W) -> W {
            (x & W(broadcasting: 0x0000_0000_0000_FFFF))
                | ((x & W(broadcasting: 0x0000_0000_FFF0_0000)) &>> 4)
                | ((x & W(broadcasting: 0x0000_0000_000F_0000)) &<< 12)
                | ((x & W(broadcasting: 0x0000_FF00_0000_0000)) &>> 8)
                | ((x & W(broadcasting: 0x0000_00FF_0000_0000)) &<< 8)
                | ((x & W(broadcasting: 0xF000_0000_0000_0000)) &>> 12)
                | ((x & W(broadcasting: 0x0FFF_0000_0000_0000)) &<< 4)
        }
        q0 = shift(q0); q1 = shift(q1); q2 = shift(q2); q3 = shift(q3)
        q4 = shift(q4); q5 = shift(q5); q6 = shift(q6); q7 = shift(q7)
    }

    /// FIPS 197 §5.1.3 MixColumns: out[r] = 2·a[r] + 3·a[r+1] + a[r+2] + a[r+3]
    ///                                    = 2·(a[r] + a[r+1]) + a[r+1] + rot2(a[r] + a[r+1]),
    /// where "next row" is a rotation by 16 bits (`r`) and "two rows on" a rotation by 32.
    /// Doubling in GF(2^8) shifts the planes up by one and folds plane 7 into planes 0, 1, 3, 4
    /// (the polynomial x^8 + x^4 + x^3 + x + 1).
    @inline(__always)
    mutating func mixColumns() {
        @inline(__always) func nextRow(_ x: W) -> W { (x &>> 16) | (x &<< 48) }
        @inline(__always) func twoRowsOn(_ x: W) -> W { (x &<< 32) | (x &>> 32) }
        let r0 = nextRow(q0), r1 = nextRow(q1), r2 = nextRow(q2), r3 = nextRow(q3)
        let r4 = nextRow(q4), r5 = nextRow(q5), r6 = nextRow(q6), r7 = nextRow(q7)
        let a0 = q0 ^ r0, a1 = q1 ^ r1, a2 = q2 ^ r2, a3 = q3 ^ r3
        let a4 = q4 ^ r4, a5 = q5 ^ r5, a6 = q6 ^ r6, a7 = q7 ^ r7
        q0 = a7 ^ r0 ^ twoRowsOn(a0)
        q1 = a0 ^ a7 ^ r1 ^ twoRowsOn(a1)
        q2 = a1 ^ r2 ^ twoRowsOn(a2)
        q3 = a2 ^ a7 ^ r3 ^ twoRowsOn(a3)
        q4 = a3 ^ a7 ^ r4 ^ twoRowsOn(a4)
        q5 = a4 ^ r5 ^ twoRowsOn(a5)
        q6 = a5 ^ r6 ^ twoRowsOn(a6)
        q7 = a6 ^ r7 ^ twoRowsOn(a7)
    }
}
