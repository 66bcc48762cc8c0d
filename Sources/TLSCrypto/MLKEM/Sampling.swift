/// FIPS 203 §4.2.2: sampling polynomials, the matrix Â uniformly from a public seed (SampleNTT)
/// and the secrets and errors from a centered binomial distribution (SamplePolyCBD_η), with the
/// auxiliary functions of §4.1: XOF = SHAKE128 and PRF_η = SHAKE256.
enum MLKEMSampling {
    /// SampleNTT(ρ ‖ j ‖ i), FIPS 203 Algorithm 7: rejection sampling of 256 coefficients in
    /// 0..<q from the SHAKE128 stream, two 12-bit candidates per 3 bytes.
    ///
    /// The branches (keep or reject a candidate, squeeze another block) depend only on the
    /// public seed ρ: the matrix Â is public (anyone can expand it from ρ in the encapsulation
    /// key), so its sampling time reveals nothing. The stream is read one 168-byte block at a
    /// time, as many as needed (usually 3, rarely more: CCTV's "unlucky" vectors need more than
    /// 575 bytes).
    static func sampleNTT(rho: ArraySlice<UInt8>, j: UInt8, i: UInt8) -> Polynomial {
        var xof = KeccakSponge(rate: SHAKE128.blockByteCount, domain: .shake)
        (rho + [j, i]).withUnsafeBytes { xof.absorb($0) }
        var a = Polynomial()
        var count = 0
        var block = InlineArray<168, UInt8>(repeating: 0)
        while count < 256 {
            withUnsafeMutableBytes(of: &block) { xof.squeeze(into: $0) }
            var offset = 0
            while offset < 168 && count < 256 {
                let d1 = Int16(block[offset]) | (Int16(block[offset + 1]) & 0x0f) << 8
                let d2 = Int16(block[offset + 1]) >> 4 | Int16(block[offset + 2]) << 4
                offset += 3
                if d1 < MLKEMField.q {
                    a[count] = d1
                    count += 1
                }
                if d2 < MLKEMField.q && count < 256 {
                    a[count] = d2
                    count += 1
                }
            }
        }
        return a
    }

    /// SamplePolyCBD_η(PRF_η(s, N)) for η = 2, FIPS 203 Algorithm 8 with PRF_2 = SHAKE256(s ‖ N)
    /// truncated to 64·η = 128 bytes (§4.1, equation 4.3).
    ///
    /// Each coefficient is x − y where x and y are sums of η = 2 bits of the PRF output. The sums
    /// are taken for 16 pairs of bits at once in a 32-bit word (mask the even bits, add the odd
    /// ones): no branch and no table, since the bits are secret.
    static func samplePolyCBD2(seed: ArraySlice<UInt8>, counter n: UInt8) -> Polynomial {
        var prf = KeccakSponge(rate: SHAKE256.blockByteCount, domain: .shake)
        (seed + [n]).withUnsafeBytes { prf.absorb($0) }
        var bytes = InlineArray<128, UInt8>(repeating: 0)
        withUnsafeMutableBytes(of: &bytes) { prf.squeeze(into: $0) }

        var f = Polynomial()
        withUnsafeBytes(of: &bytes) { bytes in
            for word in 0..<32 {
                let t = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * word, as: UInt32.self))
                let pairSums = (t & 0x5555_5555) &+ ((t >> 1) & 0x5555_5555)
                for k in 0..<8 {
                    let x = Int16((pairSums >> (4 * k)) & 3)
                    let y = Int16((pairSums >> (4 * k + 2)) & 3)
                    f[8 * word + k] = x &- y
                }
            }
        }
        return f
    }
}
