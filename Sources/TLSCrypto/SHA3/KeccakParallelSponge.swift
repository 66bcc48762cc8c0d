/// Four SHAKE sponges run side by side in one `SIMD4<UInt64>` Keccak state (FIPS 202 §4, the
/// same construction as `KeccakSponge`, four times): ML-KEM expands its matrix Â and its noise
/// polynomials from many short, equal-length inputs, and four permutations in the slots of one
/// vector cost about as much as one (see `KeccakSingleLane`).
///
/// Only what ML-KEM needs: absorb up to four inputs of one length shorter than a block, then
/// squeeze whole blocks. Lane indices are below `rate` / 8 < 25 by construction (unchecked).
struct KeccakParallelSponge {
    let rate: Int
    /// How many of the four slots hold an input.
    let slotCount: Int

#if TLS13_PORTABLE
    /// Four separate states: without AVX-512's vector rotations the baseline target runs four
    /// scalar permutations faster than one four-slot vector permutation.
    private var states = InlineArray<4, KeccakState<UInt64>>(repeating: KeccakState(repeating: 0))

    private mutating func permute() {
        for slot in 0..<slotCount { keccakF1600(&states[slot]) }
    }

    private subscript(lane: Int, slot: Int) -> UInt64 {
        get { states[slot][lane] }
        set { states[slot][lane] = newValue }
    }
#else
    private var state = KeccakState<SIMD4<UInt64>>(repeating: .zero)

    private mutating func permute() {
        keccakF1600(&state)
    }

    private subscript(lane: Int, slot: Int) -> UInt64 {
        get { state[unchecked: lane][slot] }
        set { state[unchecked: lane][slot] = newValue }
    }
#endif

    /// Absorbs `inputs[s]` into slot s, with the domain suffix and pad10*1 (as
    /// `KeccakSponge.squeeze` does on its first call). Fewer than four inputs leave slots unused.
    init(rate: Int, domain: KeccakSponge.Domain, inputs: [[UInt8]]) {
        precondition(inputs.count <= 4 && inputs.allSatisfy { $0.count == inputs[0].count && $0.count < rate },
                     "up to four inputs of one length, shorter than a block")
        self.rate = rate
        slotCount = inputs.count
        for (slot, input) in inputs.enumerated() {
            for (index, byte) in (input + [domain.rawValue]).enumerated() {
                self[index / 8, slot] ^= UInt64(byte) << (8 * UInt64(index % 8))
            }
            self[(rate - 1) / 8, slot] ^= 0x80 << (8 * UInt64((rate - 1) % 8))
        }
    }

    /// Permutes, then copies the first `rate` bytes of slot s into `outputs[s]` (each at least
    /// `rate` bytes long).
    mutating func squeezeBlock(into outputs: [UnsafeMutableRawBufferPointer]) {
        permute()
        for (slot, output) in outputs.enumerated() {
            for lane in 0..<rate / 8 {
                output.storeBytes(of: self[lane, slot].littleEndian, toByteOffset: 8 * lane, as: UInt64.self)
            }
        }
    }
}
