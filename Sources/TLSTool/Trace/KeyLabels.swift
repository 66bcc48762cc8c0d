import TLS13

// The words the views give the engine's typed key labels (TLS13 reports `TrafficEpoch`,
// `KeyDirection` and `KeyScheduleStage`; only here are they put in words, RFC 8448's where it
// has them).

extension TrafficEpoch {
    /// RFC 8448's words for what a key pair is for: "derive write traffic keys for handshake data".
    var keyPurpose: String {
        switch self {
        case .early: "early application data"
        case .handshake: "handshake data"
        case .application(0): "application data"
        case .application(let n): "application data (generation \(n))"
        }
    }

    /// The name of the key a record is under: "protected with handshake keys".
    var recordName: String {
        switch self {
        case .early: "early data"
        case .handshake: "handshake"
        case .application(0): "application"
        case .application(let n): "application (after \(n) KeyUpdate\(n == 1 ? "" : "s"))"
        }
    }
}
