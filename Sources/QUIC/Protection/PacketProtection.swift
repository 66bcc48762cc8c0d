import TLS13
import TLSCrypto

/// What protecting or unprotecting one packet involved, for the trace: every input and output of
/// RFC 9001 §5.3 (the AEAD) and §5.4 (header protection).
public struct ProtectionTrace: Sendable, Hashable {
    public var keyGeneration: Int
    public var packetNumber: UInt64
    public var packetNumberLength: Int
    public var nonce: [UInt8]
    /// The header as the AEAD authenticates it: first byte and packet number unmasked.
    public var unprotectedHeader: [UInt8]
    /// §5.4.2: the sample starts 4 bytes after the start of the Packet Number field.
    public var sampleOffset: Int
    public var sample: [UInt8]
    public var mask: [UInt8]
    public var headerProtection: String
    public var plaintext: [UInt8]
    public var tag: [UInt8]
}

/// RFC 9001 §5.3 and §5.4, both directions. A packet is protected in two steps: the AEAD seals
/// the payload, with the header (packet number in clear) as associated data and
/// `iv XOR packet number` as nonce; then a mask made from a sample of that ciphertext hides the
/// low bits of the first byte (4 in a long header, 5 in a short one: reserved bits, key phase,
/// packet number length) and the packet number bytes.
public enum PacketProtection {
    /// §5.4.1: long headers protect the low 4 bits of the first byte, short headers the low 5.
    static func firstByteMask(isLongHeader: Bool) -> UInt8 { isLongHeader ? 0x0f : 0x1f }

    /// Seals `payload` behind `header`, which ends with the truncated packet number at
    /// `packetNumberOffset`. The payload must be long enough for a sample (§5.4.2): with the
    /// 16-byte tag, at least `4 - packetNumberLength` bytes.
    public static func protect(header: [UInt8], packetNumberOffset: Int, packetNumber: UInt64,
                               payload: [UInt8], keys: PacketKeys) throws -> (packet: [UInt8], trace: ProtectionTrace) {
        let pnLength = header.count - packetNumberOffset
        precondition((1...4).contains(pnLength) && Int(header[0] & 0x03) + 1 == pnLength, "packet number length mismatch")
        precondition(pnLength + payload.count >= 4, "payload too short for a header protection sample")
        let nonce = keys.nonce(for: packetNumber)
        let sealed = try keys.aead.seal(nonce: nonce, plaintext: payload, additionalData: header)
        var packet = header + sealed
        let sampleOffset = packetNumberOffset + 4
        let sample = Array(packet[sampleOffset..<sampleOffset + HeaderProtection.sampleLength])
        let mask = try keys.headerProtection.mask(sample: sample)
        let isLong = header[0] & 0x80 != 0
        packet[0] ^= mask[0] & firstByteMask(isLongHeader: isLong)
        for i in 0..<pnLength { packet[packetNumberOffset + i] ^= mask[1 + i] }
        let trace = ProtectionTrace(keyGeneration: keys.generation, packetNumber: packetNumber, packetNumberLength: pnLength,
                                    nonce: nonce, unprotectedHeader: header, sampleOffset: sampleOffset, sample: sample,
                                    mask: mask, headerProtection: keys.headerProtection.name, plaintext: payload,
                                    tag: Array(sealed.suffix(16)))
        return (packet, trace)
    }

    /// The first step of opening: §5.4.2's sample, the mask, and the header with the first byte
    /// and the packet number unmasked. Throws when the packet is too short to hold a sample.
    public struct UnmaskedHeader: Sendable {
        public var header: [UInt8]
        public var firstByte: UInt8 { header[0] }
        public var packetNumberLength: Int
        public var truncatedPacketNumber: UInt64
        public var sampleOffset: Int
        public var sample: [UInt8]
        public var mask: [UInt8]
    }

    public static func removeHeaderProtection(packet: [UInt8], packetNumberOffset: Int,
                                              headerProtection: HeaderProtection) throws -> UnmaskedHeader {
        let sampleOffset = packetNumberOffset + 4
        guard packet.count >= sampleOffset + HeaderProtection.sampleLength else {
            throw QUICError(.protocolViolation, "packet of \(packet.count) bytes is too short for a header protection sample")
        }
        let sample = Array(packet[sampleOffset..<sampleOffset + HeaderProtection.sampleLength])
        let mask = try headerProtection.mask(sample: sample)
        let isLong = packet[0] & 0x80 != 0
        let first = packet[0] ^ (mask[0] & firstByteMask(isLongHeader: isLong))
        let pnLength = Int(first & 0x03) + 1
        var header = Array(packet[0..<packetNumberOffset + pnLength])
        header[0] = first
        var truncated: UInt64 = 0
        for i in 0..<pnLength {
            header[packetNumberOffset + i] ^= mask[1 + i]
            truncated = truncated << 8 | UInt64(header[packetNumberOffset + i])
        }
        return UnmaskedHeader(header: header, packetNumberLength: pnLength, truncatedPacketNumber: truncated,
                              sampleOffset: sampleOffset, sample: sample, mask: mask)
    }

    /// The second step: the AEAD opens the payload with the unmasked header as associated data.
    /// A wrong key or a damaged packet throws; RFC 9001 §9.5 has the packet dropped, not answered.
    public static func decryptPayload(packet: [UInt8], unmasked: UnmaskedHeader, packetNumber: UInt64,
                                      keys: PacketKeys) throws -> (payload: [UInt8], trace: ProtectionTrace) {
        let nonce = keys.nonce(for: packetNumber)
        let ciphertext = Array(packet[unmasked.header.count...])
        guard ciphertext.count >= 16 else {
            throw QUICError(.protocolViolation, "packet payload shorter than the AEAD tag")
        }
        let payload = try keys.aead.open(nonce: nonce, ciphertextAndTag: ciphertext, additionalData: unmasked.header)
        let trace = ProtectionTrace(keyGeneration: keys.generation, packetNumber: packetNumber,
                                    packetNumberLength: unmasked.packetNumberLength, nonce: nonce,
                                    unprotectedHeader: unmasked.header, sampleOffset: unmasked.sampleOffset,
                                    sample: unmasked.sample, mask: unmasked.mask, headerProtection: keys.headerProtection.name,
                                    plaintext: payload, tag: Array(ciphertext.suffix(16)))
        return (payload, trace)
    }
}
