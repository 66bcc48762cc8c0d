/// Which way a record key protects: the records we read or the records we write (RFC 8446
/// §7.3: each side writes with its own [sender]_write_key and reads with the peer's).
public enum KeyDirection: String, Hashable, Sendable {
    case read, write
}

/// The keys a connection moves through, in order (RFC 8446 §2.3, §7.3, §4.6.3): the client's
/// 0-RTT key, the handshake keys, and the application keys of each KeyUpdate generation.
/// A typed label: QUIC maps it to its encryption levels (RFC 9001 §4.1.4), and the trace
/// printers choose their words for it (TLSTool's KeyLabels.swift). `description` is the short
/// name error messages use ("record 0 under the handshake key failed authentication").
public enum TrafficEpoch: Hashable, Sendable, CustomStringConvertible {
    case early
    case handshake
    case application(generation: Int)

    public var description: String {
        switch self {
        case .early: "early data"
        case .handshake: "handshake"
        case .application(0): "application"
        case .application(let n): "application (after \(n) KeyUpdate\(n == 1 ? "" : "s"))"
        }
    }
}

/// The three secrets of RFC 8446 §7.1 that HKDF-Extract makes: Early Secret, Handshake Secret
/// and Master Secret; also what each "tls13 derived" salt is for.
public enum KeyScheduleStage: String, Hashable, Sendable {
    case early, handshake, master
}
