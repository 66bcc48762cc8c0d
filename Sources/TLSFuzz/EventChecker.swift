import Synchronization
import TLS13

/// An observer that checks what the library reports about the bytes it handles: every traced
/// handshake message's field tree reads back to the message's bytes, and every traced record's
/// header describes the record. Learners read these traces; a wrong one teaches the wrong thing.
final class EventChecker: Sendable {
    let target: FuzzTarget
    private let firstProblem = Mutex<String?>(nil)

    init(_ target: FuzzTarget) {
        self.target = target
    }

    var observer: TLSObserver {
        { [self] event in
            guard let problem = Self.problem(in: event) else { return }
            firstProblem.withLock { $0 = $0 ?? problem }
        }
    }

    func check() throws(InvariantViolation) {
        if let problem = firstProblem.withLock({ $0 }) { throw InvariantViolation(target, problem) }
    }

    static func problem(in event: TLSEvent) -> String? {
        switch event {
        case .handshakeMessage(let direction, let type, let bytes, let fields):
            let traced = fields.flatMap(\.encodedBytes)
            guard traced == bytes else {
                return "the field trace of a \(direction) \(type.messageName) reads \(traced.hexString), not its bytes \(bytes.hexString)"
            }
        case .record(let direction, let record):
            let bytes = record.bytes
            guard bytes.count >= 5, bytes[0] == record.contentType.rawValue,
                  Int(bytes[3]) << 8 | Int(bytes[4]) == bytes.count - 5 else {
                return "a \(direction) record trace's header does not describe it: \(bytes.prefix(16).hexString)"
            }
        default:
            break
        }
        return nil
    }
}
