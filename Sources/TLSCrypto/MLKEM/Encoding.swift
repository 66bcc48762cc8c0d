/// FIPS 203 §4.2.1: how polynomials become bytes (ByteEncode_d, ByteDecode_d) and how
/// coefficients lose precision for the ciphertext (Compress_d, Decompress_d).
///
/// Loop bounds and branches depend only on d and on positions, never on coefficient values, so
/// encoding a secret (ŝ in the decapsulation key, m' in decapsulation) leaks nothing.
enum MLKEMEncoding {
    /// ByteEncode_d(F), FIPS 203 Algorithm 5: 256 d-bit integers, least significant bit first,
    /// as 32·d bytes appended to `output`. Coefficients must already be in 0..<2^d
    /// (0..<q for d = 12).
    ///
    /// The bits are gathered in a 64-bit word and written out 32 at a time: 256·d bits are a
    /// whole number of 32-bit words for every d.
    static func byteEncode(_ polynomial: Polynomial, bits d: Int, into output: inout [UInt8]) {
        let start = output.count
        output += repeatElement(0, count: 32 * d)
        polynomial.withCoefficients { f in
            output.withUnsafeMutableBytes { bytes in
                var pending: UInt64 = 0
                var pendingBits = 0
                var position = start
                for i in 0..<256 {
                    pending |= UInt64(UInt16(bitPattern: f[i])) << pendingBits
                    pendingBits += d
                    if pendingBits >= 32 {
                        bytes.storeBytes(of: UInt32(truncatingIfNeeded: pending).littleEndian, toByteOffset: position, as: UInt32.self)
                        position += 4
                        pending >>= 32
                        pendingBits -= 32
                    }
                }
            }
        }
    }

    /// ByteDecode_d(B), FIPS 203 Algorithm 6: 32·d bytes into 256 d-bit integers, reading 32 bits
    /// at a time. For d = 12 the result is reduced mod q (step 9: "m = q if d = 12"); 12 bits
    /// hold values up to 4095, so one conditional subtraction of q, done with a mask, is enough.
    static func byteDecode(_ bytes: ArraySlice<UInt8>, bits d: Int) -> Polynomial {
        precondition(bytes.count == 32 * d, "ByteDecode_\(d) takes \(32 * d) bytes")
        var polynomial = Polynomial()
        let mask = UInt64(1) << d - 1
        bytes.withUnsafeBytes { bytes in
            polynomial.withCoefficients { f in
                var pending: UInt64 = 0
                var pendingBits = 0
                var position = 0
                for i in 0..<256 {
                    if pendingBits < d {
                        let word = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self))
                        pending |= UInt64(word) << pendingBits
                        position += 4
                        pendingBits += 32
                    }
                    f[i] = Int16(pending & mask)
                    pending >>= d
                    pendingBits -= d
                }
                if d == 12 {
                    for i in 0..<256 { f[i] = MLKEMField.canonical(f[i] &- MLKEMField.q) }
                }
            }
        }
        return polynomial
    }

    /// Compress_d(x) = ⌈(2^d / q)·x⌋ mod 2^d (FIPS 203 equation 4.7) for one coefficient.
    ///
    /// Not with a division: dividing a secret by q takes data-dependent time on many CPUs
    /// (the KyberSlash attacks recovered keys that way). Instead, ⌊(2^d·x + (q+1)/2)·M / 2^32⌋
    /// with M = ⌊2^32 / q⌋ = 1290167, the reciprocal of q as a 32-bit fixed-point number, as the
    /// pq-crystals code does; for d ≤ 10 and x in 0..<q it equals the rounded quotient exactly
    /// (MLKEMCCTVTests checks every x for every d in 1...10).
    @inline(__always)
    static func compress(_ coefficient: Int16, bits d: Int) -> Int16 {
        let x = UInt64(MLKEMField.fullyReduce(coefficient))
        let reciprocal = UInt64(1 << 32) / UInt64(MLKEMField.q)
        let quotient = (((x << d) + UInt64(MLKEMField.q + 1) / 2) &* reciprocal) >> 32
        return Int16(quotient & (UInt64(1) << d - 1))
    }

    /// Compress_d of every coefficient.
    static func compress(_ f: Polynomial, bits d: Int) -> Polynomial {
        precondition(d <= 10, "the fixed-point reciprocal is exact for d ≤ 10")
        var compressed = f
        compressed.withCoefficients { c in
            for i in 0..<256 { c[i] = compress(c[i], bits: d) }
        }
        return compressed
    }

    /// Decompress_d(y) = ⌈(q / 2^d)·y⌋ (FIPS 203 equation 4.8): (q·y + 2^(d-1)) / 2^d, a shift.
    static func decompress(_ f: Polynomial, bits d: Int) -> Polynomial {
        var decompressed = f
        decompressed.withCoefficients { c in
            for i in 0..<256 { c[i] = Int16((Int32(c[i]) * Int32(MLKEMField.q) + (1 << (d - 1))) >> d) }
        }
        return decompressed
    }

    /// ByteEncode_12 of each polynomial of a vector, reduced to 0..<q first: 384·k bytes.
    static func byteEncode12(_ vector: PolynomialVector, into output: inout [UInt8]) {
        for i in 0..<3 {
            var canonical = vector[i]
            canonical.withCoefficients { c in
                for j in 0..<256 { c[j] = MLKEMField.fullyReduce(c[j]) }
            }
            byteEncode(canonical, bits: 12, into: &output)
        }
    }

    /// ByteDecode_12 of k consecutive 384-byte pieces.
    static func byteDecode12(_ bytes: ArraySlice<UInt8>) -> PolynomialVector {
        var vector = PolynomialVector.zero
        for i in 0..<3 {
            let start = bytes.startIndex + 384 * i
            vector[i] = byteDecode(bytes[start..<start + 384], bits: 12)
        }
        return vector
    }
}
