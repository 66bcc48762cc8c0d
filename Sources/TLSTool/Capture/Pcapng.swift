/// A pcapng capture file built in memory (draft-ietf-opsawg-pcapng, "PCAP Next Generation
/// (pcapng) Capture File Format").
///
/// The writer lays the file out as Wireshark needs it to decrypt TLS with no extra file:
///
///     Section Header Block          §4.1
///     Interface Description Block   §4.2  (one interface, id 0)
///     Decryption Secrets Block      §4.7  (the NSS key log), before the packets it decrypts
///     Enhanced Packet Block ...     §4.3  (one per packet)
///
/// Every block has the general shape of §3.1:
///
///     uint32 Block Type
///     uint32 Block Total Length        (of the whole block, both length fields included)
///     ...    Block Body                (padded to 32 bits)
///     uint32 Block Total Length
///
/// Fields are written little-endian; the Section Header's byte-order magic 0x1A2B3C4D tells
/// readers so. The output depends only on the calls made (no clock, no host name, no OS string),
/// so the same calls give byte-identical files.
public struct PcapngWriter: Sendable {
    /// The file so far.
    public private(set) var bytes: [UInt8] = []

    /// The link layer of the packets (the LINKTYPE_* registry, draft-ietf-opsawg-pcaplinktype).
    public struct LinkType: RawRepresentable, Hashable, Sendable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// LINKTYPE_ETHERNET: packets start with an Ethernet II header.
        public static let ethernet = LinkType(rawValue: 1)
        /// LINKTYPE_RAW: packets start with the IPv4 or IPv6 header, no link-layer header.
        public static let raw = LinkType(rawValue: 101)
    }

    /// Starts a section with one interface. `application` names the writer (shb_userappl) and
    /// `interfaceDescription` tells a reader what the interface is (if_description).
    public init(linkType: LinkType, interfaceName: String, interfaceDescription: String, application: String) {
        writeSectionHeader(application: application)
        writeInterfaceDescription(linkType: linkType, name: interfaceName, description: interfaceDescription)
    }

    /// §4.1 Section Header Block:
    ///
    ///     uint32 Block Type = 0x0A0D0D0A
    ///     uint32 Byte-Order Magic = 0x1A2B3C4D
    ///     uint16 Major Version = 1, uint16 Minor Version = 0
    ///     int64  Section Length = -1 (not specified)
    ///     Options: shb_userappl (4)
    private mutating func writeSectionHeader(application: String) {
        var body = LittleEndianWriter()
        body.u32(0x1A2B_3C4D)
        body.u16(1)
        body.u16(0)
        body.u64(UInt64.max)
        body.options([(code: 4, value: Array(application.utf8))])
        appendBlock(type: 0x0A0D_0D0A, body: body.bytes)
    }

    /// §4.2 Interface Description Block:
    ///
    ///     uint32 Block Type = 0x00000001
    ///     uint16 LinkType, uint16 Reserved = 0
    ///     uint32 SnapLen = 0 (no limit)
    ///     Options: if_name (2), if_description (3)
    ///
    /// No if_tsresol option: timestamps use the default resolution, microseconds.
    private mutating func writeInterfaceDescription(linkType: LinkType, name: String, description: String) {
        var body = LittleEndianWriter()
        body.u16(linkType.rawValue)
        body.u16(0)
        body.u32(0)
        body.options([(code: 2, value: Array(name.utf8)), (code: 3, value: Array(description.utf8))])
        appendBlock(type: 0x0000_0001, body: body.bytes)
    }

    /// §4.7 Decryption Secrets Block carrying a TLS key log:
    ///
    ///     uint32 Block Type = 0x0000000A
    ///     uint32 Secrets Type = 0x544c534b ("TLSK": NSS Key Log Format)
    ///     uint32 Secrets Length (without padding)
    ///     Secrets Data, padded to 32 bits
    ///
    /// Must come before the packets it decrypts: readers apply secrets as they meet them.
    public mutating func writeDecryptionSecrets(tlsKeyLog: String) {
        let secrets = Array(tlsKeyLog.utf8)
        var body = LittleEndianWriter()
        body.u32(0x544C_534B)
        body.u32(UInt32(secrets.count))
        body.paddedTo32Bits(secrets)
        appendBlock(type: 0x0000_000A, body: body.bytes)
    }

    /// §4.3 Enhanced Packet Block, on interface 0:
    ///
    ///     uint32 Block Type = 0x00000006
    ///     uint32 Interface ID
    ///     uint32 Timestamp (High), uint32 Timestamp (Low)   (units of the interface's resolution)
    ///     uint32 Captured Packet Length, uint32 Original Packet Length
    ///     Packet Data, padded to 32 bits
    ///
    /// `microsecondsSince1970` is the capture time (default resolution 10^-6 s, §4.2 if_tsresol).
    public mutating func writePacket(_ packet: [UInt8], microsecondsSince1970: UInt64) {
        var body = LittleEndianWriter()
        body.u32(0)
        body.u32(UInt32(truncatingIfNeeded: microsecondsSince1970 >> 32))
        body.u32(UInt32(truncatingIfNeeded: microsecondsSince1970))
        body.u32(UInt32(packet.count))
        body.u32(UInt32(packet.count))
        body.paddedTo32Bits(packet)
        appendBlock(type: 0x0000_0006, body: body.bytes)
    }

    /// §3.1: type, total length, body, total length again (so a reader can walk backwards).
    private mutating func appendBlock(type: UInt32, body: [UInt8]) {
        precondition(body.count % 4 == 0, "pcapng block bodies are padded to 32 bits")
        let totalLength = UInt32(12 + body.count)
        var block = LittleEndianWriter()
        block.u32(type)
        block.u32(totalLength)
        block.bytes.append(contentsOf: body)
        block.u32(totalLength)
        bytes.append(contentsOf: block.bytes)
    }
}

/// The little-endian integers, 32-bit padding and option lists of pcapng blocks.
private struct LittleEndianWriter {
    var bytes: [UInt8] = []

    mutating func u16(_ v: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: v))
        bytes.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    mutating func u32(_ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    mutating func u64(_ v: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift))) }
    }

    mutating func paddedTo32Bits(_ data: [UInt8]) {
        bytes.append(contentsOf: data)
        bytes.append(contentsOf: repeatElement(0, count: (4 - data.count % 4) % 4))
    }

    /// §3.5 Options: each is uint16 code, uint16 length, value padded to 32 bits; the list ends
    /// with opt_endofopt (code 0, length 0).
    mutating func options(_ options: [(code: UInt16, value: [UInt8])]) {
        for option in options {
            precondition(option.value.count <= Int(UInt16.max), "pcapng option value too long")
            u16(option.code)
            u16(UInt16(option.value.count))
            paddedTo32Bits(option.value)
        }
        u16(0)
        u16(0)
    }
}
