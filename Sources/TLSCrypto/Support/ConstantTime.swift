/// Compares two byte strings in time that depends only on their lengths, never on where they
/// first differ, so an attacker who can time a MAC/tag/Finished check learns nothing about how
/// much of a forgery was right. Lengths are public (tags have fixed sizes), so unequal lengths
/// return false at once.
///
/// `@inlinable` so that callers in other modules (the TLS layer's Finished and cookie checks,
/// the timing harness) get a copy specialized to their collection types: the generic entry
/// point took about 5 µs for 16 bytes, the specialized loop a few nanoseconds.
@inlinable
public func constantTimeEquals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
where A.Element == UInt8, B.Element == UInt8 {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for (x, y) in zip(a, b) {
        difference |= x ^ y
    }
    return difference == 0
}

/// 0xff when two byte strings of the same (public) length are equal, 0x00 otherwise, without a
/// branch on their contents: for selecting between secrets with `&` and `|` (ML-KEM's implicit
/// rejection), where even a data-dependent `Bool` could become a branch. Every byte is looked at;
/// a zero byte does not end the comparison (unlike `strcmp`).
func constantTimeEqualityMask(_ a: [UInt8], _ b: [UInt8]) -> UInt8 {
    precondition(a.count == b.count, "constant-time comparison of strings of different lengths")
    var difference: UInt8 = 0
    for i in a.indices {
        difference |= a[i] ^ b[i]
    }
    // difference − 1 borrows into the high bits exactly when difference is 0.
    return UInt8(truncatingIfNeeded: (UInt32(difference) &- 1) >> 8)
}
