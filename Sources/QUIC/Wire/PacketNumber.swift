/// RFC 9000 §17.1 and Appendix A: packet numbers are 62-bit, but a packet carries only their
/// low 1 to 4 bytes; the receiver rebuilds the full number from the largest it has received.
public enum PacketNumberEncoding {
    /// RFC 9000 Appendix A.2: enough bytes to represent more than twice the number of packets
    /// the peer has not acknowledged, so the receiver's window holds the true value.
    public static func length(of fullPacketNumber: UInt64, largestAcknowledged: UInt64?) -> Int {
        let unacknowledged = largestAcknowledged.map { fullPacketNumber - $0 } ?? fullPacketNumber + 1
        let bitsNeeded = (64 - unacknowledged.leadingZeroBitCount) + 1
        return min(4, max(1, (bitsNeeded + 7) / 8))
    }

    /// The low `length` bytes of the packet number, big endian.
    public static func truncated(_ fullPacketNumber: UInt64, length: Int) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: fullPacketNumber >> (8 * UInt64(length - 1 - $0))) }
    }

    /// RFC 9000 Appendix A.3: the packet number closest to `largest + 1` whose low bits are
    /// `truncated`.
    public static func decode(truncated: UInt64, length: Int, largestReceived: UInt64?) -> UInt64 {
        let expected = largestReceived.map { $0 + 1 } ?? 0
        let bits = UInt64(length * 8)
        let window: UInt64 = 1 << bits
        let halfWindow = window / 2
        let mask = window - 1
        let candidate = (expected & ~mask) | truncated
        if candidate + halfWindow <= expected && candidate < (1 << 62) - window {
            return candidate + window
        }
        if candidate > expected + halfWindow && candidate >= window {
            return candidate - window
        }
        return candidate
    }
}
