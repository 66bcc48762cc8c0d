import Synchronization

/// RFC 8446 §8.2 "Client Hello Recording": 0-RTT data can be replayed by anyone who recorded
/// it, so a server that accepts it remembers each accepted ClientHello (by its first PSK binder,
/// which an attacker cannot change without knowing the PSK) and refuses early data from the same
/// ClientHello again. Entries are kept for the freshness window only: a ClientHello older than
/// that is refused by the ticket-age check (§8.3) instead, so it need not be remembered.
///
/// Bounded: when `capacity` entries are live, early data is refused (never accepted unchecked);
/// the handshake itself goes on as 1-RTT, as §8 says a server may always do.
public final class StrikeRegister: Sendable {
    public let windowMilliseconds: UInt64
    public let capacity: Int
    private let seen = Mutex<[[UInt8]: UInt64]>([:])

    public init(windowMilliseconds: UInt64 = 10_000, capacity: Int = 100_000) {
        self.windowMilliseconds = windowMilliseconds
        self.capacity = capacity
    }

    public enum Verdict: Sendable, Equatable {
        case fresh
        case replayed
        case full
    }

    /// Records `binder` seen at `now` and says whether early data may be accepted for it.
    public func record(_ binder: [UInt8], atMilliseconds now: UInt64) -> Verdict {
        seen.withLock { seen in
            if seen.count >= capacity {
                seen = seen.filter { now < $0.value + windowMilliseconds }
            }
            if let at = seen[binder], now < at + windowMilliseconds { return .replayed }
            guard seen.count < capacity else { return .full }
            seen[binder] = now
            return .fresh
        }
    }

    public var count: Int { seen.withLock { $0.count } }
}
