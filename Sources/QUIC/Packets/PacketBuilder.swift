import TLS13

/// Writes unprotected packet headers (RFC 9000 §17.2, §17.3) ending with the truncated packet
/// number, ready for `PacketProtection.protect`.
public enum PacketBuilder {
    /// A long header for an Initial, 0-RTT or Handshake packet. `payloadLength` is the plaintext
    /// payload's length: the Length field adds the packet number and the 16-byte AEAD tag, and
    /// is written on 2 bytes (every packet we send is shorter than 16384 bytes).
    public static func longHeader(type: PacketType, version: UInt32 = QUICVersion.v1,
                                  destinationConnectionID: [UInt8], sourceConnectionID: [UInt8],
                                  token: [UInt8] = [], packetNumber: UInt64, packetNumberLength: Int,
                                  payloadLength: Int) -> (header: [UInt8], packetNumberOffset: Int) {
        var w = ByteWriter(reservingCapacity: 64 + token.count)
        w.u8(0xc0 | type.longPacketTypeBits << 4 | UInt8(packetNumberLength - 1))
        w.u32(version)
        w.u8(UInt8(destinationConnectionID.count)); w.bytes(destinationConnectionID)
        w.u8(UInt8(sourceConnectionID.count)); w.bytes(sourceConnectionID)
        if type == .initial {
            w.varint(token.count)
            w.bytes(token)
        }
        w.varint(packetNumberLength + payloadLength + 16, length: 2)
        let offset = w.bytes.count
        w.bytes(PacketNumberEncoding.truncated(packetNumber, length: packetNumberLength))
        return (w.bytes, offset)
    }

    /// §17.3.1: a 1-RTT packet's short header; the spin bit stays 0 (we do not take part in
    /// latency spinning, §17.4).
    public static func shortHeader(destinationConnectionID: [UInt8], keyPhase: Bool, packetNumber: UInt64,
                                   packetNumberLength: Int) -> (header: [UInt8], packetNumberOffset: Int) {
        var w = ByteWriter(reservingCapacity: 32)
        w.u8(0x40 | (keyPhase ? 0x04 : 0) | UInt8(packetNumberLength - 1))
        w.bytes(destinationConnectionID)
        let offset = w.bytes.count
        w.bytes(PacketNumberEncoding.truncated(packetNumber, length: packetNumberLength))
        return (w.bytes, offset)
    }

    /// §17.2.5 Retry: a token and the integrity tag of RFC 9001 §5.8.
    public static func retry(destinationConnectionID: [UInt8], sourceConnectionID: [UInt8], token: [UInt8],
                             originalDestinationConnectionID: [UInt8]) throws -> [UInt8] {
        var w = ByteWriter(reservingCapacity: 64 + token.count)
        // The four unused bits are arbitrary (§17.2.5); all ones, as in RFC 9001 A.4.
        w.u8(0xff)
        w.u32(QUICVersion.v1)
        w.u8(UInt8(destinationConnectionID.count)); w.bytes(destinationConnectionID)
        w.u8(UInt8(sourceConnectionID.count)); w.bytes(sourceConnectionID)
        w.bytes(token)
        let tag = try RetryIntegrity.tag(originalDestinationConnectionID: originalDestinationConnectionID,
                                         retryWithoutTag: w.bytes)
        return w.bytes + tag
    }

    /// §17.2.1 Version Negotiation, answering a packet of a version we do not speak: the
    /// connection IDs swapped, version 0, and the versions we support.
    public static func versionNegotiation(destinationConnectionID: [UInt8], sourceConnectionID: [UInt8],
                                          unusedBits: UInt8) -> [UInt8] {
        var w = ByteWriter(reservingCapacity: 64)
        w.u8(0x80 | (unusedBits & 0x7f))
        w.u32(0)
        w.u8(UInt8(destinationConnectionID.count)); w.bytes(destinationConnectionID)
        w.u8(UInt8(sourceConnectionID.count)); w.bytes(sourceConnectionID)
        w.u32(QUICVersion.v1)
        return w.bytes
    }
}
