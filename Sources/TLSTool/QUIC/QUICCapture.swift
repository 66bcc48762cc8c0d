import Foundation
import QUIC
import TLS13

/// `--capture FILE` for the QUIC tools: the datagrams this side sent and received, in
/// synthesised UDP/IPv4 packets (RFC 768; checksum 0, "no checksum", which IPv4 allows), with
/// the TLS key log embedded in a Decryption Secrets Block so Wireshark decrypts every packet by
/// itself. Ports are the real ones; addresses 127.0.0.1.
final class QUICCapture {
    let path: String
    let side: Side
    let localPort: UInt16
    let peerPort: UInt16
    private var packets: [(bytes: [UInt8], microseconds: UInt64)] = []
    private var keyLog = ""
    private let start = UInt64(Date().timeIntervalSince1970 * 1_000_000)
    private let deterministic: Bool

    init(path: String, side: Side, localPort: UInt16, peerPort: UInt16, deterministic: Bool) {
        self.path = path
        self.side = side
        self.localPort = localPort
        self.peerPort = peerPort
        self.deterministic = deterministic
    }

    func observe(_ event: QUICEvent) {
        switch event {
        case .datagram(let direction, let bytes):
            let (source, destination) = direction == .sent ? (localPort, peerPort) : (peerPort, localPort)
            var udp = ByteWriter(reservingCapacity: 8 + bytes.count)
            udp.u16(source); udp.u16(destination); udp.u16(UInt16(8 + bytes.count)); udp.u16(0)
            udp.bytes(bytes)
            let ip = IPv4Header(totalLength: 20 + udp.bytes.count, source: .loopback, destination: .loopback, protocolNumber: 17)
            let time = deterministic ? 1_767_225_600_000_000 + UInt64(packets.count) * 100
                                     : UInt64(Date().timeIntervalSince1970 * 1_000_000)
            packets.append((ip.encoded() + udp.bytes, time))
        case .tls(.keyLog(let label, let random, let secret)):
            keyLog += KeyLogFormat.line(label: label, clientRandom: random, secret: secret)
        default:
            break
        }
    }

    var keyLogText: String { keyLog }

    func write() throws {
        try Data(pcapng()).write(to: URL(fileURLWithPath: path))
    }

    func pcapng() -> [UInt8] {
        var file = PcapngWriter(linkType: .raw, interfaceName: "lo",
                                interfaceDescription: "QUIC datagrams from tls13-swift in synthesised UDP/IPv4 packets",
                                application: "tls13-swift")
        file.writeDecryptionSecrets(tlsKeyLog: keyLog)
        for packet in packets { file.writePacket(packet.bytes, microsecondsSince1970: packet.microseconds) }
        return file.bytes
    }
}
