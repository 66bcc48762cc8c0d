/// FIPS 203 §4.2.2: sampling polynomials, the matrix Â uniformly from a public seed (SampleNTT)
/// and the secrets and errors from a centered binomial distribution (SamplePolyCBD_η), with the
/// auxiliary functions of §4.1: XOF = SHAKE128 and PRF_η = SHAKE256.
///
/// Each function samples several polynomials at once, four SHAKE instances side by side in a
/// `KeccakParallelSponge`, because the SHAKE calls are most of ML-KEM's work.
enum MLKEMSampling {
    /// SampleNTT(ρ ‖ j ‖ i), FIPS 203 Algorithm 7, for each (j, i) in `indices`: rejection
    /// sampling of 256 coefficients in 0..<q from the SHAKE128 stream, two 12-bit candidates per
    /// 3 bytes.
    ///
    /// The branches (keep or reject a candidate, squeeze another block) depend only on the
    /// public seed ρ: the matrix Â is public (anyone can expand it from ρ in the encapsulation
    /// key), so its sampling time reveals nothing. The streams are read one 168-byte block at a
    /// time, as many as needed (usually 3, rarely more: CCTV's "unlucky" vectors need more than
    /// 575 bytes).
    static func sampleNTT(rho: ArraySlice<UInt8>, indices: [(j: UInt8, i: UInt8)]) -> [Polynomial] {
        var polynomials: [Polynomial] = []
        for batch in stride(from: 0, to: indices.count, by: 4) {
            let seeds = indices[batch..<min(batch + 4, indices.count)].map { Array(rho) + [$0.j, $0.i] }
            var xof = KeccakParallelSponge(rate: SHAKE128.blockByteCount, domain: .shake, inputs: seeds)
            var sampled = [Polynomial](repeating: Polynomial(), count: seeds.count)
            var counts = [Int](repeating: 0, count: seeds.count)
            var blocks = [UInt8](repeating: 0, count: 4 * SHAKE128.blockByteCount)
            blocks.withUnsafeMutableBytes { blocks in
                let outputs = (0..<seeds.count).map { UnsafeMutableRawBufferPointer(rebasing: blocks[(168 * $0)..<(168 * $0 + 168)]) }
                while counts.contains(where: { $0 < 256 }) {
                    xof.squeezeBlock(into: outputs)
                    for slot in 0..<seeds.count {
                        acceptCandidates(UnsafeRawBufferPointer(outputs[slot]), into: &sampled[slot], count: &counts[slot])
                    }
                }
            }
            polynomials += sampled
        }
        return polynomials
    }

    /// Algorithm 7, steps 4-14, over one block of XOF output: appends each 12-bit candidate
    /// below q to `a` until it has 256 coefficients.
    private static func acceptCandidates(_ block: UnsafeRawBufferPointer, into a: inout Polynomial, count: inout Int) {
        var offset = 0
        while offset + 3 <= block.count && count < 256 {
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

    /// SamplePolyCBD_2(PRF_2(seed, N)) for each N in `counters`: FIPS 203 Algorithm 8 for η = 2,
    /// with PRF_2 = SHAKE256(seed ‖ N) truncated to 64·η = 128 bytes (§4.1, equation 4.3).
    ///
    /// Each coefficient is x − y where x and y are sums of η = 2 bits of the PRF output. The sums
    /// are taken for 16 pairs of bits at once in a 32-bit word (mask the even bits, add the odd
    /// ones): no branch and no table, since the bits are secret.
    static func samplePolyCBD2(seed: ArraySlice<UInt8>, counters: Range<UInt8>) -> [Polynomial] {
        var polynomials: [Polynomial] = []
        for batch in stride(from: counters.lowerBound, to: counters.upperBound, by: 4) {
            let inputs = (batch..<min(batch + 4, counters.upperBound)).map { Array(seed) + [$0] }
            var prf = KeccakParallelSponge(rate: SHAKE256.blockByteCount, domain: .shake, inputs: inputs)
            var blocks = [UInt8](repeating: 0, count: 4 * SHAKE256.blockByteCount)
            blocks.withUnsafeMutableBytes { blocks in
                let outputs = (0..<inputs.count).map { UnsafeMutableRawBufferPointer(rebasing: blocks[(136 * $0)..<(136 * $0 + 136)]) }
                prf.squeezeBlock(into: outputs)
                for output in outputs {
                    polynomials.append(centeredBinomial2(UnsafeRawBufferPointer(rebasing: output[0..<128])))
                }
            }
        }
        return polynomials
    }

    /// Algorithm 8 for η = 2 on 128 bytes of PRF output.
    private static func centeredBinomial2(_ bytes: UnsafeRawBufferPointer) -> Polynomial {
        var f = Polynomial()
        for word in 0..<32 {
            let t = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * word, as: UInt32.self))
            let pairSums = (t & 0x5555_5555) &+ ((t >> 1) & 0x5555_5555)
            for k in 0..<8 {
                let x = Int16((pairSums >> (4 * k)) & 3)
                let y = Int16((pairSums >> (4 * k + 2)) & 3)
                f[8 * word + k] = x &- y
            }
        }
        return f
    }
}
