import TLS13

// The words the views give the engine's typed key labels (TLS13 reports `TrafficEpoch`,
// `KeyDirection` and `KeyScheduleStage`): RFC 8448's words for what keys are for. A record's key
// is named by `TrafficEpoch.description`, the name error messages use too.

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
}
