/// MGF1, the mask generation function of RFC 8017 §B.2.1: the hash of the seed followed by a
/// 4-byte big-endian counter, for counter = 0, 1, 2, ..., concatenated and cut to length.
public enum MGF1<H: HashFunction> {
    public static func mask(seed: [UInt8], length: Int) -> [UInt8] {
        var mask: [UInt8] = []
        mask.reserveCapacity(length + H.digestByteCount)
        var counter: UInt32 = 0
        while mask.count < length {
            var hash = H()
            hash.update(seed)
            hash.update([UInt8(truncatingIfNeeded: counter >> 24), UInt8(truncatingIfNeeded: counter >> 16),
                         UInt8(truncatingIfNeeded: counter >> 8), UInt8(truncatingIfNeeded: counter)])
            mask += hash.finalize()
            counter += 1
        }
        return Array(mask.prefix(length))
    }
}
