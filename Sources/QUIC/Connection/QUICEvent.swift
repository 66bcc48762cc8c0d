import TLS13

/// One packet as it was sent or received: its header as parsed from the protected bytes, the
/// level, every input and output of its protection (RFC 9001 §5.3, §5.4) and its frames.
public struct PacketRecord: Sendable {
    public var level: EncryptionLevel
    public var header: PacketHeader
    /// The packet as it travels (header protection applied).
    public var protectedBytes: [UInt8]
    public var protection: ProtectionTrace
    public var frames: [Frame]
    /// 1-RTT only: the Key Phase bit (RFC 9001 §6).
    public var keyPhase: Bool
}

/// What the QUIC layer reports while it works. Like `TLSEvent`, it is the only way the library
/// speaks: the tools decide how each event is shown. TLS's own events arrive wrapped in `.tls`,
/// in the order they happened between the packets.
public enum QUICEvent: Sendable {
    /// RFC 9001 §5.2: the Initial secrets, from the Destination Connection ID the client chose
    /// (again after a Retry, from the server's new connection ID).
    case initialSecrets(InitialSecrets)
    /// RFC 9001 §5.1: packet protection keys made from a TLS traffic secret.
    case packetKeys(EncryptionLevel, Direction, PacketKeys)
    /// RFC 9001 §4.9: keys discarded; packets of this level are dropped from now on.
    case keysDiscarded(EncryptionLevel)
    /// A UDP datagram, whole.
    case datagram(Direction, [UInt8])
    case packet(Direction, PacketRecord)
    /// A packet that could not be used, and why (RFC 9000 §12.2, RFC 9001 §9.5: dropped
    /// silently, never answered).
    case packetDropped(bytes: [UInt8], reason: String)
    /// RFC 9000 §17.2.5: a Retry sent (server) or received and checked (client).
    case retry(Direction, header: PacketHeader, originalDestinationConnectionID: [UInt8], integrityTag: [UInt8], tagValid: Bool)
    /// RFC 9002 §6.1: a packet declared lost, and why; its data goes out again in new packets.
    case packetLost(EncryptionLevel, packetNumber: UInt64, frames: [Frame], byTime: Bool)
    /// RFC 9002 §6.2: the probe timeout fired (the count is the backoff exponent).
    case probeTimeout(count: Int, level: EncryptionLevel?)
    /// RFC 9001 §6: 1-RTT keys moved to the next generation.
    case keyUpdate(generation: Int, initiatedLocally: Bool, next: PacketKeys)
    /// RFC 9001 §4.1.2: the handshake is confirmed (HANDSHAKE_DONE sent or received).
    case handshakeConfirmed
    /// RFC 9000 §18: the peer's transport parameters, decoded.
    case peerTransportParameters(TransportParameters, bytes: [UInt8])
    /// A rule checked on peer input (the trace shows ✓ or ✗ with the RFC text).
    case check(String, passed: Bool, rule: String)
    /// §10: the connection ends: sent or received CONNECTION_CLOSE, the idle timeout, or an error.
    case closed(QUICError?, how: CloseReason)
    case tls(TLSEvent)

    public enum CloseReason: String, Sendable {
        case localClose = "we closed"
        case peerClose = "the peer closed"
        case idleTimeout = "idle timeout"
    }
}

public typealias QUICObserver = (QUICEvent) -> Void

/// What a QUIC endpoint needs besides TLS's own configuration.
public struct QUICConfiguration {
    /// The TLS side: certificates, trust, ALPN (required), random source. Its
    /// quic_transport_parameters and compatibility-mode settings are filled in by the connection.
    public var tls: TLSConfiguration
    /// Our transport parameters; the connection IDs in them are filled in by the connection.
    public var transportParameters: TransportParameters
    /// Length of the connection IDs we choose (RFC 9000 §5.1; 8 bytes, as most stacks).
    public var connectionIDLength = 8
    /// RFC 9000 §14: the datagram size we send (1200: every path must carry it).
    public var maxDatagramSize = 1200

    public init(tls: TLSConfiguration) {
        self.tls = tls
        var p = TransportParameters()
        p.maxIdleTimeout = 30_000
        p.initialMaxData = 1 << 20
        p.initialMaxStreamDataBidiLocal = 256 << 10
        p.initialMaxStreamDataBidiRemote = 256 << 10
        p.initialMaxStreamDataUni = 0
        p.initialMaxStreamsBidi = 100
        p.initialMaxStreamsUni = 0
        p.maxUDPPayloadSize = 1452
        self.transportParameters = p
    }
}
