/// Where key material, randoms and salts come from. The production source reads the kernel's
/// CSPRNG; a seeded deterministic source (same protocol) makes a run reproducible for teaching
/// and for committed transcripts. Reference type: one source is shared by everything that draws
/// from it, so draws happen in one well-defined order.
public protocol RandomSource: AnyObject {
    /// Fills `buffer` completely or throws `CryptoError(.randomSourceFailure)`.
    func fill(_ buffer: UnsafeMutableRawBufferPointer) throws
}

extension RandomSource {
    public func bytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try fill($0) }
        return out
    }
}
