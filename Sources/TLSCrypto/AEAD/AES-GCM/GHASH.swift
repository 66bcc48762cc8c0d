/// GHASH, the universal hash of GCM (NIST SP 800-38D §6.4): Y_i = (Y_{i-1} ⊕ X_i) · H in
/// GF(2^128), over the zero-padded blocks of the additional data, then of the ciphertext, then
/// the block of their bit lengths.
///
/// # Constant-time multiplication
///
/// Fast software GHASH usually multiplies with tables of multiples of H indexed by data bits:
/// H is secret, and those lookups leak it through the cache just like AES T-tables. Here the
/// carry-less product is built from the CPU's ordinary integer multiplier, which takes the same
/// time whatever its operands ("multiplication with holes", BearSSL's `ghash_ctmul64`):
///
/// - Split each operand into four masks keeping every fourth bit (bits 0, 4, 8, ...; 1, 5, 9,
///   ...). An integer product of two such masks adds up terms whose positions are sums of the
///   operands' bit positions; the three zero bits between data bits leave room for the carries,
///   so after masking back to the right residue class, bit k of the integer product is the XOR
///   (the sum mod 2) of the terms: the carry-less product. The count must stay below 16 for
///   the carries to stay inside the 4-bit gap: bit p of the low 64 bits collects at most
///   p / 4 + 1 terms, 16 only for p ≥ 60, whose carries fall off the top of the word. That is
///   why only the low half of each 64x64 integer product is trusted.
/// - The high 64 bits of each 64x64 product come from the same trick applied to bit-reversed
///   operands: reversing both 64-bit operands reverses their 127-bit product, so the reversed
///   low half of that product, shifted right by one, is the high half of this one.
/// - Karatsuba turns a 128x128 product into three 64x64 ones, and every four blocks share one
///   modular reduction: ((((Y ⊕ X1)·H ⊕ X2)·H ⊕ X3)·H ⊕ X4)·H = (Y ⊕ X1)·H^4 ⊕ X2·H^3 ⊕ X3·H^2 ⊕ X4·H.
///
/// Bit order: GCM numbers the bits of a block from the most significant bit of byte 0 and
/// reads them as the coefficients of x^0, x^1, ...; so a block is held as two big-endian words
/// `high` (bytes 0..<8) and `low` (bytes 8..<16) whose integer bits are the polynomial
/// reflected. Multiplying reflected values gives the reflected product shifted right by one,
/// hence the one-bit shift before the reduction.
struct GHASH {
    /// One power of H, split the way the Karatsuba multiplication wants it.
    struct Factor {
        let low, high, middle: UInt64
        let lowReversed, highReversed, middleReversed: UInt64

        init(low: UInt64, high: UInt64) {
            self.low = low
            self.high = high
            middle = low ^ high
            lowReversed = GHASH.reversed(low)
            highReversed = GHASH.reversed(high)
            middleReversed = lowReversed ^ highReversed
        }
    }

    /// H, H^2, H^3, H^4.
    private let h1, h2, h3, h4: Factor
    /// The running value Y as two big-endian halves.
    private var yHigh: UInt64 = 0
    private var yLow: UInt64 = 0

    /// `hashKey` is H = CIPH_K(0^128), 16 bytes.
    init(hashKey: [UInt8]) {
        precondition(hashKey.count == 16, "the GHASH key is one block")
        let high = hashKey[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        let low = hashKey[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        h1 = Factor(low: low, high: high)
        let square = GHASH.multiply(low: low, high: high, by: h1)
        h2 = Factor(low: square.low, high: square.high)
        let cube = GHASH.multiply(low: square.low, high: square.high, by: h1)
        h3 = Factor(low: cube.low, high: cube.high)
        let fourth = GHASH.multiply(low: cube.low, high: cube.high, by: h1)
        h4 = Factor(low: fourth.low, high: fourth.high)
    }

    /// Absorbs `bytes`, zero-padding a final partial block (SP 800-38D pads A and C
    /// separately, so call this once per string, or with whole blocks before the last call).
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        @inline(__always) func word(_ offset: Int) -> UInt64 {
            UInt64(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        }
        var offset = 0
        while bytes.count - offset >= 64 {
            var sum = Product()
            sum.add(low: yLow ^ word(offset + 8), high: yHigh ^ word(offset), times: h4)
            sum.add(low: word(offset + 24), high: word(offset + 16), times: h3)
            sum.add(low: word(offset + 40), high: word(offset + 32), times: h2)
            sum.add(low: word(offset + 56), high: word(offset + 48), times: h1)
            (yLow, yHigh) = sum.reduced()
            offset += 64
        }
        while bytes.count - offset >= 16 {
            (yLow, yHigh) = GHASH.multiply(low: yLow ^ word(offset + 8), high: yHigh ^ word(offset), by: h1)
            offset += 16
        }
        if offset < bytes.count {
            var high: UInt64 = 0, low: UInt64 = 0
            for i in 0..<16 {
                let byte = offset + i < bytes.count ? UInt64(bytes[offset + i]) : 0
                if i < 8 { high = high << 8 | byte } else { low = low << 8 | byte }
            }
            (yLow, yHigh) = GHASH.multiply(low: yLow ^ low, high: yHigh ^ high, by: h1)
        }
    }

    /// Absorbs the final block len(A)_64 || len(C)_64 (lengths in bits) and returns GHASH's output.
    mutating func finalize(additionalDataByteCount: Int, textByteCount: Int) -> [UInt8] {
        let high = UInt64(additionalDataByteCount) &* 8, low = UInt64(textByteCount) &* 8
        (yLow, yHigh) = GHASH.multiply(low: yLow ^ low, high: yHigh ^ high, by: h1)
        return (0..<16).map { i in
            UInt8(truncatingIfNeeded: (i < 8 ? yHigh : yLow) >> UInt64(56 - 8 * (i % 8)))
        }
    }

    /// (low, high) · factor, reduced.
    private static func multiply(low: UInt64, high: UInt64, by factor: Factor) -> (low: UInt64, high: UInt64) {
        var product = Product()
        product.add(low: low, high: high, times: factor)
        return product.reduced()
    }

    /// A sum of unreduced 128x128 carry-less products, kept as the six Karatsuba partial
    /// products (everything after them is linear, so sums can share the final steps).
    private struct Product {
        var low: UInt64 = 0, high: UInt64 = 0, middle: UInt64 = 0
        var lowReversed: UInt64 = 0, highReversed: UInt64 = 0, middleReversed: UInt64 = 0

        @inline(__always)
        mutating func add(low y0: UInt64, high y1: UInt64, times h: Factor) {
            let y0r = GHASH.reversed(y0), y1r = GHASH.reversed(y1)
            low ^= GHASH.multiplyLowHalf(y0, h.low)
            high ^= GHASH.multiplyLowHalf(y1, h.high)
            middle ^= GHASH.multiplyLowHalf(y0 ^ y1, h.middle)
            lowReversed ^= GHASH.multiplyLowHalf(y0r, h.lowReversed)
            highReversed ^= GHASH.multiplyLowHalf(y1r, h.highReversed)
            middleReversed ^= GHASH.multiplyLowHalf(y0r ^ y1r, h.middleReversed)
        }

        /// Assembles the 256-bit product and reduces it modulo x^128 + x^7 + x^2 + x + 1
        /// (in the reflected bit order, so the reduction runs towards the low words).
        @inline(__always)
        func reduced() -> (low: UInt64, high: UInt64) {
            let middle = self.middle ^ low ^ high
            let middleReversed = self.middleReversed ^ lowReversed ^ highReversed
            // High halves of the three 64x64 products, back in normal bit order.
            let lowTop = GHASH.reversed(lowReversed) >> 1
            let highTop = GHASH.reversed(highReversed) >> 1
            let middleTop = GHASH.reversed(middleReversed) >> 1

            var v0 = low
            var v1 = lowTop ^ middle
            var v2 = high ^ middleTop
            var v3 = highTop
            // Reflected operands give the product shifted right by one bit: shift it back.
            v3 = v3 << 1 | v2 >> 63
            v2 = v2 << 1 | v1 >> 63
            v1 = v1 << 1 | v0 >> 63
            v0 = v0 << 1
            // Fold the low 128 bits (the reflected high-degree terms) into the high 128.
            v2 ^= v0 ^ (v0 >> 1) ^ (v0 >> 2) ^ (v0 >> 7)
            v1 ^= (v0 << 63) ^ (v0 << 62) ^ (v0 << 57)
            v3 ^= v1 ^ (v1 >> 1) ^ (v1 >> 2) ^ (v1 >> 7)
            v2 ^= (v1 << 63) ^ (v1 << 62) ^ (v1 << 57)
            return (v2, v3)
        }
    }

    /// The low 64 bits of the carry-less product x · y, from four-way "holey" integer products.
    @inline(__always)
    private static func multiplyLowHalf(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let m0: UInt64 = 0x1111_1111_1111_1111, m1: UInt64 = 0x2222_2222_2222_2222
        let m2: UInt64 = 0x4444_4444_4444_4444, m3: UInt64 = 0x8888_8888_8888_8888
        let x0 = x & m0, x1 = x & m1, x2 = x & m2, x3 = x & m3
        let y0 = y & m0, y1 = y & m1, y2 = y & m2, y3 = y & m3
        // Class of a term = (class of x bit + class of y bit) mod 4.
        let z0 = (x0 &* y0) ^ (x1 &* y3) ^ (x2 &* y2) ^ (x3 &* y1)
        let z1 = (x0 &* y1) ^ (x1 &* y0) ^ (x2 &* y3) ^ (x3 &* y2)
        let z2 = (x0 &* y2) ^ (x1 &* y1) ^ (x2 &* y0) ^ (x3 &* y3)
        let z3 = (x0 &* y3) ^ (x1 &* y2) ^ (x2 &* y1) ^ (x3 &* y0)
        return (z0 & m0) | (z1 & m1) | (z2 & m2) | (z3 & m3)
    }

    /// Reverses the 64 bits of x (bits within each byte, then the bytes).
    @inline(__always)
    static func reversed(_ x: UInt64) -> UInt64 {
        var x = x
        x = (x & 0x5555_5555_5555_5555) << 1 | (x >> 1) & 0x5555_5555_5555_5555
        x = (x & 0x3333_3333_3333_3333) << 2 | (x >> 2) & 0x3333_3333_3333_3333
        x = (x & 0x0F0F_0F0F_0F0F_0F0F) << 4 | (x >> 4) & 0x0F0F_0F0F_0F0F_0F0F
        return x.byteSwapped
    }
}
