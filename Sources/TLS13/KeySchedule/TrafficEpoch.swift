/// Which way a record key protects: the records we read or the records we write (RFC 8446
/// §7.3: each side writes with its own [sender]_write_key and reads with the peer's).
public enum KeyDirection: String, Hashable, Sendable {
    case read, write
}

/// The keys a connection moves through, in order (RFC 8446 §2.3, §7.3, §4.6.3): the client's
/// 0-RTT key, the handshake keys, and the application keys of each KeyUpdate generation.
/// A typed label: the trace printers put it in words (TLSTool), QUIC maps it to its
/// encryption levels (RFC 9001 §4.1.4).
public enum TrafficEpoch: Hashable, Sendable {
    case early
    case handshake
    case application(generation: Int)
}

/// The three secrets of RFC 8446 §7.1 that HKDF-Extract makes: Early Secret, Handshake Secret
/// and Master Secret; also what each "tls13 derived" salt is for.
public enum KeyScheduleStage: String, Hashable, Sendable {
    case early, handshake, master
}
