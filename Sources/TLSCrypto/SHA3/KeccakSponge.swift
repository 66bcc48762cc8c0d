/// FIPS 202 §4: the sponge construction SPONGE[Keccak-f[1600], pad10*1, r], byte-oriented.
///
/// Absorbing XORs input into the first `rate` bytes of the state and permutes whenever they are
/// full; squeezing reads those bytes and permutes whenever they are used up. The state is a
/// value (an inline array of 25 lanes), so copying a half-fed sponge costs no allocation.
///
/// Byte i of the state is byte i mod 8 of lane i / 8, little-endian (FIPS 202 §B.1 converts
/// bit strings to lanes this way), written with shifts so it holds on any byte order.
struct KeccakSponge: Sendable {
    /// The suffix FIPS 202 §6 appends to the message before pad10*1 starts, with the first
    /// padding bit: SHA-3 appends 01, SHAKE appends 1111. Bits are read from the least
    /// significant end, so "01" then "1" is 0b110 and "1111" then "1" is 0b1_1111.
    enum Domain: UInt8 {
        case sha3 = 0x06
        case shake = 0x1f
    }

    private var state = KeccakState<KeccakSingleLane>(repeating: KeccakSingleLane(firstSlot: 0))
    /// r / 8: bytes absorbed or squeezed per permutation (136 for SHA3-256, 168 for SHAKE128).
    let rate: Int
    let domain: Domain
    /// Bytes of the current block already absorbed into (or, once squeezing, read from).
    private var position = 0
    private var squeezing = false

    /// Indices into the state below are unchecked: they are below `rate` / 8 < 25 by construction.
    init(rate: Int, domain: Domain) {
        precondition(rate % 8 == 0 && rate < 200, "the rate is a whole number of lanes below 1600 bits")
        self.rate = rate
        self.domain = domain
    }

    mutating func absorb(_ bytes: UnsafeRawBufferPointer) {
        precondition(!squeezing, "a sponge absorbs only before it squeezes")
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            if position == 0 && bytes.count - offset >= rate {
                // A whole block from the caller's buffer, a lane at a time.
                for lane in 0..<rate / 8 {
                    let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset + 8 * lane, as: UInt64.self))
                    state[unchecked: lane] ^= KeccakSingleLane(firstSlot: word)
                }
                keccakF1600(&state)
                offset += rate
                continue
            }
            let take = min(rate - position, bytes.count - offset)
            for i in 0..<take {
                xorByte(bytes[offset + i], at: position + i)
            }
            position += take
            offset += take
            if position == rate {
                keccakF1600(&state)
                position = 0
            }
        }
    }

    /// Fills `output` with the next bytes of the sponge's output. The first call pads the
    /// message (domain suffix, then pad10*1: the final 1 bit is the top bit of the block's last
    /// byte) and switches to squeezing.
    mutating func squeeze(into output: UnsafeMutableRawBufferPointer) {
        if !squeezing {
            xorByte(domain.rawValue, at: position)
            xorByte(0x80, at: rate - 1)
            keccakF1600(&state)
            position = 0
            squeezing = true
        }
        var offset = 0
        while offset < output.count {
            if position == rate {
                keccakF1600(&state)
                position = 0
            }
            let take = min(rate - position, output.count - offset)
            var i = 0
            while i < take {
                if (position + i) % 8 == 0 && take - i >= 8 {
                    output.storeBytes(of: state[unchecked: (position + i) / 8].firstSlot.littleEndian, toByteOffset: offset + i, as: UInt64.self)
                    i += 8
                } else {
                    output[offset + i] = UInt8(truncatingIfNeeded: state[unchecked: (position + i) / 8].firstSlot >> (8 * UInt64((position + i) % 8)))
                    i += 1
                }
            }
            position += take
            offset += take
        }
    }

    mutating func squeeze(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            squeeze(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    @inline(__always)
    private mutating func xorByte(_ byte: UInt8, at index: Int) {
        state[unchecked: index / 8] ^= KeccakSingleLane(firstSlot: UInt64(byte) << (8 * UInt64(index % 8)))
    }
}
