import TLS13

/// RFC 9000 §17: the kinds of packet, by header form and Long Packet Type.
public enum PacketType: String, Sendable, Hashable {
    case initial = "Initial"
    case zeroRTT = "0-RTT"
    case handshake = "Handshake"
    case retry = "Retry"
    case versionNegotiation = "Version Negotiation"
    case oneRTT = "1-RTT"

    /// RFC 9000 §17.2 Table 5: the Long Packet Type bits.
    init(longPacketTypeBits bits: UInt8) {
        switch bits & 0x03 {
        case 0: self = .initial
        case 1: self = .zeroRTT
        case 2: self = .handshake
        default: self = .retry
        }
    }

    var longPacketTypeBits: UInt8 {
        switch self {
        case .initial: 0
        case .zeroRTT: 1
        case .handshake: 2
        default: 3
        }
    }
}

public enum QUICVersion {
    public static let v1: UInt32 = 0x0000_0001
}

/// One packet's header as read from a datagram, before header protection is removed.
///
///     Long Header Packet {                     1-RTT Packet {
///       Header Form (1) = 1,                     Header Form (1) = 0,
///       Fixed Bit (1) = 1,                       Fixed Bit (1) = 1,
///       Long Packet Type (2),                    Spin Bit (1),
///       Type-Specific Bits (4),                  Reserved Bits (2),
///       Version (32),                            Key Phase (1),
///       Destination Connection ID Length (8),    Packet Number Length (2),
///       Destination Connection ID (0..160),      Destination Connection ID (0..160),
///       Source Connection ID Length (8),         Packet Number (8..32),
///       Source Connection ID (0..160),           Packet Payload (8..),
///       Type-Specific Payload (..),            }
///     }
///
/// Initial adds Token Length (i), Token, Length (i); Handshake and 0-RTT add Length (i); then
/// the (protected) Packet Number and payload. Retry carries a token and a 16-byte integrity tag,
/// Version Negotiation a list of 32-bit versions (RFC 9000 §17.2.1).
public struct PacketHeader: Sendable, Hashable {
    public var type: PacketType
    /// The first byte as received (its low bits still masked by header protection).
    public var firstByte: UInt8
    public var version: UInt32
    public var destinationConnectionID: [UInt8]
    public var sourceConnectionID: [UInt8]
    /// Initial: the address validation token. Retry: the Retry Token.
    public var token: [UInt8]
    /// Where the Packet Number field starts (for Retry and Version Negotiation: the header's end).
    public var packetNumberOffset: Int
    /// The packet's bytes in the datagram, header included.
    public var bytes: [UInt8]
    /// Version Negotiation: the versions the server supports.
    public var supportedVersions: [UInt32] = []
    /// The Length field's value and encoded size (long headers with a packet number).
    public var lengthField: (value: Int, size: Int)? {
        get { lengthValue.map { ($0, lengthSize) } }
        set { lengthValue = newValue?.value; lengthSize = newValue?.size ?? 0 }
    }
    private var lengthValue: Int?
    private var lengthSize = 0

    public var isLongHeader: Bool { firstByte & 0x80 != 0 }

    public static func == (a: PacketHeader, b: PacketHeader) -> Bool { a.bytes == b.bytes && a.type == b.type }
    public func hash(into h: inout Hasher) { h.combine(bytes) }

    /// RFC 9000 §17.2: "Endpoints that receive a version 1 long header with a value larger than 20
    /// [for a connection ID length] MUST drop the packet."
    public static let maximumConnectionIDLength = 20

    /// Reads the packet that starts at `offset` in `datagram`. Short headers need the length of
    /// our own connection IDs (they do not carry one). Throws for a packet to drop; the caller
    /// drops what follows in the datagram too, since the packet's end is then unknown.
    public static func parse(_ datagram: [UInt8], at offset: Int, shortHeaderConnectionIDLength: Int) throws -> PacketHeader {
        var r = ByteReader(Array(datagram[offset...]))
        do {
            let first = try r.u8("first byte")
            if first & 0x80 == 0 {
                // §17.3.1: a short header; it runs to the end of the datagram.
                guard first & 0x40 != 0 else { throw QUICError(.protocolViolation, "fixed bit is 0") }
                let dcid = try r.bytes(shortHeaderConnectionIDLength, "Destination Connection ID")
                return PacketHeader(type: .oneRTT, firstByte: first, version: QUICVersion.v1, destinationConnectionID: dcid,
                                    sourceConnectionID: [], token: [], packetNumberOffset: r.offset, bytes: r.bytes)
            }
            let version = try r.u32("Version")
            let dcid = try r.vector(.u8, "Destination Connection ID")
            let scid = try r.vector(.u8, "Source Connection ID")
            if version == 0 {
                // §17.2.1 Version Negotiation: the rest is a list of versions.
                var versions: [UInt32] = []
                while r.remaining >= 4 { versions.append(try r.u32("Supported Version")) }
                return PacketHeader(type: .versionNegotiation, firstByte: first, version: 0, destinationConnectionID: dcid,
                                    sourceConnectionID: scid, token: [], packetNumberOffset: r.offset, bytes: r.bytes,
                                    supportedVersions: versions)
            }
            guard dcid.count <= maximumConnectionIDLength, scid.count <= maximumConnectionIDLength else {
                throw QUICError(.protocolViolation, "connection ID longer than 20 bytes")
            }
            var header = PacketHeader(type: PacketType(longPacketTypeBits: first >> 4), firstByte: first, version: version,
                                      destinationConnectionID: dcid, sourceConnectionID: scid, token: [],
                                      packetNumberOffset: 0, bytes: [])
            guard version == QUICVersion.v1 else {
                // Another version's packet: only its version and connection IDs are readable (RFC 8999).
                header.bytes = r.bytes
                return header
            }
            guard first & 0x40 != 0 else { throw QUICError(.protocolViolation, "fixed bit is 0") }
            if header.type == .retry {
                // §17.2.5: Retry Token, then the 16-byte Retry Integrity Tag.
                guard r.remaining >= RetryIntegrity.tagLength else {
                    throw QUICError(.protocolViolation, "Retry shorter than its integrity tag")
                }
                header.token = try r.bytes(r.remaining - RetryIntegrity.tagLength, "Retry Token")
                header.packetNumberOffset = r.offset
                header.bytes = r.bytes
                return header
            }
            if header.type == .initial {
                header.token = try r.bytes(try r.varintCount("Token Length"), "Token")
            }
            let lengthStart = r.offset
            let length = try r.varintCount("Length")
            header.lengthField = (length, r.offset - lengthStart)
            // §17.2: Length covers the Packet Number and the payload; it must fit in the datagram.
            guard length <= r.remaining else {
                throw QUICError(.protocolViolation, "Length \(length) exceeds the \(r.remaining) bytes left in the datagram")
            }
            header.packetNumberOffset = r.offset
            header.bytes = Array(r.bytes[0..<r.offset + length])
            return header
        } catch let error as QUICError {
            throw error
        } catch {
            throw QUICError.wrapping(error, as: .protocolViolation)
        }
    }
}
