import TLS13

/// Bytes one end of a connection wrote to its socket, in the order they were written.
public struct TCPChunk: Hashable, Sendable {
    public var from: Side
    public var bytes: [UInt8]

    public init(from: Side, _ bytes: [UInt8]) {
        self.from = from
        self.bytes = bytes
    }
}

/// Turns the two byte streams of one TLS connection into the IPv4 packets a capture on the
/// loopback interface would have shown, and writes them as a pcapng file that Wireshark opens
/// and decrypts by itself (the key log travels inside the file).
///
/// We never see real packets: the engine is sans-I/O and the records may come from an in-memory
/// run. So the TCP/IPv4 framing is synthesised here, following the rules a real stack follows,
/// so that Wireshark's TCP reassembly and TLS dissector accept it:
///
/// - three-way handshake SYN, SYN-ACK, ACK, each SYN carrying an MSS option (RFC 9293 §3.5, §3.7.1);
/// - consecutive chunks from the same side are sent as one flight (as one `write` would be), cut
///   into segments of at most `maximumSegmentSize` bytes; sequence numbers advance by the payload,
///   every segment acknowledges everything received so far, the last segment of a flight has PSH;
/// - the receiver acknowledges every second full-sized segment of a long flight (RFC 9293
///   §3.8.6.3 / RFC 1122 §4.2.3.2), so a large transfer never outruns the advertised window;
///   the end of a flight is acknowledged by the peer's next segment;
/// - the side that spoke last closes first: FIN-ACK, FIN-ACK, ACK (RFC 9293 §3.6);
/// - timestamps start at `startTime` and advance by `packetInterval`, so the file is reproducible.
///
/// Packets are raw IPv4 datagrams (LINKTYPE_RAW): loopback has no Ethernet header to show, and
/// inventing MAC addresses would teach nothing.
public struct TCPCapture: Sendable {
    public var clientAddress: IPv4Address
    public var serverAddress: IPv4Address
    public var clientPort: UInt16
    public var serverPort: UInt16
    /// The largest TCP payload per segment: 1460 is what Ethernet's 1500-byte MTU allows, so a
    /// certificate flight is split into several segments as it would be on a real network.
    public var maximumSegmentSize: Int
    /// Capture time of the first packet, in microseconds since 1970 (default 2026-01-01T00:00:00Z).
    public var startTime: UInt64
    /// Time between consecutive packets, in microseconds.
    public var packetInterval: UInt64

    public init(clientAddress: IPv4Address = .loopback, serverAddress: IPv4Address = .loopback,
                clientPort: UInt16 = 49152, serverPort: UInt16 = 50007, maximumSegmentSize: Int = 1460,
                startTime: UInt64 = 1_767_225_600_000_000, packetInterval: UInt64 = 100) {
        precondition(maximumSegmentSize > 0 && maximumSegmentSize <= 65_495, "MSS must fit an IPv4 datagram")
        self.clientAddress = clientAddress
        self.serverAddress = serverAddress
        self.clientPort = clientPort
        self.serverPort = serverPort
        self.maximumSegmentSize = maximumSegmentSize
        self.startTime = startTime
        self.packetInterval = packetInterval
    }

    /// The pcapng file: Section Header, Interface Description, Decryption Secrets Block holding
    /// `keyLog` (NSS key log text), then one Enhanced Packet Block per IPv4 packet.
    public func pcapng(chunks: [TCPChunk], keyLog: String) -> [UInt8] {
        var file = PcapngWriter(
            linkType: .raw, interfaceName: "lo",
            interfaceDescription: "TLS records from tls13-swift in synthesised TCP/IPv4 packets",
            application: "tls13-swift")
        file.writeDecryptionSecrets(tlsKeyLog: keyLog)
        for (index, packet) in packets(chunks: chunks).enumerated() {
            file.writePacket(packet, microsecondsSince1970: startTime + UInt64(index) * packetInterval)
        }
        return file.bytes
    }

    /// The IPv4 datagrams of the whole conversation, in order.
    public func packets(chunks: [TCPChunk]) -> [[UInt8]] {
        segments(flights: Self.flights(chunks)).map(datagram)
    }

    /// Consecutive chunks from one side merged: TCP does not keep write boundaries.
    static func flights(_ chunks: [TCPChunk]) -> [TCPChunk] {
        var flights: [TCPChunk] = []
        for chunk in chunks where !chunk.bytes.isEmpty {
            if let last = flights.last, last.from == chunk.from {
                flights[flights.count - 1].bytes += chunk.bytes
            } else {
                flights.append(chunk)
            }
        }
        return flights
    }

    /// Initial sequence numbers. Fixed, so captures are reproducible; Wireshark shows sequence
    /// numbers relative to them anyway.
    private static let clientInitialSequence: UInt32 = 0x1A2B_3C4D
    private static let serverInitialSequence: UInt32 = 0x5E6F_7081

    private func segments(flights: [TCPChunk]) -> [TCPSegment] {
        var next: [Side: UInt32] = [.client: Self.clientInitialSequence, .server: Self.serverInitialSequence]
        var out: [TCPSegment] = []
        let mss = UInt16(maximumSegmentSize)

        func send(_ from: Side, _ flags: TCPSegment.Flags, payload: ArraySlice<UInt8> = [], mss: UInt16? = nil) {
            let ack = flags.contains(.ack) ? next[from.peer, default: 0] : 0
            out.append(TCPSegment(from: from, sequenceNumber: next[from, default: 0], acknowledgmentNumber: ack,
                                  flags: flags, maximumSegmentSize: mss, payload: Array(payload)))
            // SYN and FIN each occupy one sequence number (RFC 9293 §3.4).
            let length = UInt32(payload.count) + (flags.contains(.syn) ? 1 : 0) + (flags.contains(.fin) ? 1 : 0)
            next[from, default: 0] &+= length
        }

        send(.client, [.syn], mss: mss)
        send(.server, [.syn, .ack], mss: mss)
        send(.client, [.ack])
        for flight in flights {
            var offset = 0
            var unacknowledged = 0
            while offset < flight.bytes.count {
                let end = min(offset + maximumSegmentSize, flight.bytes.count)
                send(flight.from, end == flight.bytes.count ? [.ack, .psh] : [.ack], payload: flight.bytes[offset..<end])
                unacknowledged += end - offset
                offset = end
                if unacknowledged >= 2 * maximumSegmentSize && offset < flight.bytes.count {
                    send(flight.from.peer, [.ack])
                    unacknowledged = 0
                }
            }
        }
        let closer = flights.last?.from ?? .client
        send(closer, [.fin, .ack])
        send(closer.peer, [.fin, .ack])
        send(closer, [.ack])
        return out
    }

    private func datagram(_ segment: TCPSegment) -> [UInt8] {
        let (source, destination) = segment.from == .client
            ? ((clientAddress, clientPort), (serverAddress, serverPort))
            : ((serverAddress, serverPort), (clientAddress, clientPort))
        let tcp = segment.encoded(sourcePort: source.1, destinationPort: destination.1,
                                  sourceAddress: source.0, destinationAddress: destination.0)
        return IPv4Header(totalLength: 20 + tcp.count, source: source.0, destination: destination.0).encoded() + tcp
    }
}

/// An IPv4 address as four octets, most significant first.
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    public var octets: (UInt8, UInt8, UInt8, UInt8)

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) { octets = (a, b, c, d) }

    public static let loopback = IPv4Address(127, 0, 0, 1)

    public var bytes: [UInt8] { [octets.0, octets.1, octets.2, octets.3] }
    public var description: String { bytes.map(String.init).joined(separator: ".") }

    public static func == (l: IPv4Address, r: IPv4Address) -> Bool { l.bytes == r.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}

/// RFC 791 §3.1 Internet Header, without options (IHL = 5):
///
///     Version(4) IHL(4) | Type of Service(8) | Total Length(16)
///     Identification(16)                     | Flags(3) Fragment Offset(13)
///     Time to Live(8) | Protocol(8)          | Header Checksum(16)
///     Source Address(32)
///     Destination Address(32)
///
/// Don't Fragment is set and Identification is 0, as Linux does for DF datagrams (RFC 6864 §4.1
/// lets a sender use any value for atomic datagrams). Protocol 6 is TCP, 17 UDP.
struct IPv4Header {
    var totalLength: Int
    var source: IPv4Address
    var destination: IPv4Address
    var protocolNumber: UInt8 = 6

    func encoded() -> [UInt8] {
        precondition(totalLength <= Int(UInt16.max), "IPv4 datagram too long")
        var w = ByteWriter(reservingCapacity: 20)
        w.u8(0x45)
        w.u8(0)
        w.u16(UInt16(totalLength))
        w.u16(0)
        w.u16(0x4000)
        w.u8(64)
        w.u8(protocolNumber)
        w.u16(0)
        w.bytes(source.bytes)
        w.bytes(destination.bytes)
        var header = w.bytes
        let checksum = internetChecksum(header)
        header[10] = UInt8(checksum >> 8)
        header[11] = UInt8(checksum & 0xff)
        return header
    }
}

/// RFC 9293 §3.1 TCP header:
///
///     Source Port(16)                  | Destination Port(16)
///     Sequence Number(32)
///     Acknowledgment Number(32)
///     DOffset(4) Rsrvd(4) Flags(8)     | Window(16)
///     Checksum(16)                     | Urgent Pointer(16)
///     Options (SYN only here: MSS, kind 2, length 4, §3.7.1)
///     Data
struct TCPSegment {
    struct Flags: OptionSet {
        let rawValue: UInt8
        static let fin = Flags(rawValue: 0x01)
        static let syn = Flags(rawValue: 0x02)
        static let psh = Flags(rawValue: 0x08)
        static let ack = Flags(rawValue: 0x10)
    }

    var from: Side
    var sequenceNumber: UInt32
    var acknowledgmentNumber: UInt32
    var flags: Flags
    var maximumSegmentSize: UInt16?
    var payload: [UInt8]

    /// The receive window we advertise: the largest value without the window-scale option.
    static let window: UInt16 = 65535

    func encoded(sourcePort: UInt16, destinationPort: UInt16,
                 sourceAddress: IPv4Address, destinationAddress: IPv4Address) -> [UInt8] {
        let optionLength = maximumSegmentSize == nil ? 0 : 4
        let headerLength = 20 + optionLength
        var w = ByteWriter(reservingCapacity: headerLength + payload.count)
        w.u16(sourcePort)
        w.u16(destinationPort)
        w.u32(sequenceNumber)
        w.u32(acknowledgmentNumber)
        w.u8(UInt8(headerLength / 4) << 4)
        w.u8(flags.rawValue)
        w.u16(Self.window)
        w.u16(0)
        w.u16(0)
        if let mss = maximumSegmentSize {
            w.u8(2)
            w.u8(4)
            w.u16(mss)
        }
        w.bytes(payload)
        var segment = w.bytes

        // §3.1 Checksum: over a pseudo-header (source, destination, zero, protocol, TCP length)
        // followed by the segment with its checksum field zero.
        var pseudo = ByteWriter(reservingCapacity: 12 + segment.count)
        pseudo.bytes(sourceAddress.bytes)
        pseudo.bytes(destinationAddress.bytes)
        pseudo.u8(0)
        pseudo.u8(6)
        pseudo.u16(UInt16(segment.count))
        pseudo.bytes(segment)
        let checksum = internetChecksum(pseudo.bytes)
        segment[16] = UInt8(checksum >> 8)
        segment[17] = UInt8(checksum & 0xff)
        return segment
    }
}

/// RFC 1071 Internet checksum, used by IPv4 (RFC 791) and TCP (RFC 9293): the ones' complement
/// of the ones' complement sum of the 16-bit big-endian words, an odd last byte padded with zero.
public func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
    var sum: UInt32 = 0
    var index = 0
    while index + 1 < bytes.count {
        sum += UInt32(bytes[index]) << 8 | UInt32(bytes[index + 1])
        index += 2
    }
    if index < bytes.count { sum += UInt32(bytes[index]) << 8 }
    while sum > 0xffff { sum = (sum & 0xffff) + (sum >> 16) }
    return ~UInt16(sum)
}
