/// Compares two byte strings in time that depends only on their lengths, never on where they
/// first differ, so an attacker who can time a MAC/tag/Finished check learns nothing about how
/// much of a forgery was right. Lengths are public (tags have fixed sizes), so unequal lengths
/// return false at once.
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for i in a.indices {
        difference |= a[i] ^ b[i]
    }
    return difference == 0
}
