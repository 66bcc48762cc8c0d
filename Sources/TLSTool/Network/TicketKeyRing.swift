import Foundation
import Synchronization
import TLS13
import TLSCrypto

/// The server's ticket keys for the life of the process (RFC 8446 §4.6.1 leaves their handling to
/// the server). From `--ticket-key FILE` (created with mode 0600 when missing, so several server
/// processes can share one file and resume each other's sessions), or made at start and rotated
/// every `rotationSeconds`, the previous key kept so tickets stay valid for their lifetime.
final class TicketKeyRing: Sendable {
    private struct State {
        var keys: TicketKeys
        var rotatedAt: ContinuousClock.Instant
    }
    private let state: Mutex<State>
    private let rotates: Bool
    let rotationSeconds: Int

    init(keys: TicketKeys, rotates: Bool, rotationSeconds: Int) {
        state = Mutex(State(keys: keys, rotatedAt: .now))
        self.rotates = rotates
        self.rotationSeconds = rotationSeconds
    }

    /// The keys to use now, rotated first when due.
    var current: TicketKeys {
        state.withLock { state in
            if rotates, ContinuousClock.now - state.rotatedAt >= .seconds(rotationSeconds),
               let next = try? state.keys.rotated(SystemRandom()) {
                state = State(keys: next, rotatedAt: .now)
            }
            return state.keys
        }
    }

    /// The key file's keys, or a new file with a fresh key (mode 0600: it holds every ticket's PSK).
    static func load(path: String) throws -> TicketKeys {
        if FileManager.default.fileExists(atPath: path) {
            return try TicketKeys(fileText: String(contentsOfFile: path, encoding: .utf8))
        }
        let keys = try TicketKeys.random(SystemRandom())
        guard FileManager.default.createFile(atPath: path, contents: Data(keys.fileText.utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return keys
    }

    /// Under --deterministic: a fixed key, so that runs and transcripts repeat (anyone can open
    /// these tickets, as anyone can recompute those connections' keys).
    static let deterministicKeys: TicketKeys = {
        let seed = SHA256.hash(Array("tls13-server --deterministic ticket key".utf8))
        // 16 + 32 bytes from the seed: a name and a key.
        let key = try? TicketKey(name: Array(seed.prefix(16)), key: SHA256.hash(seed))
        return try! TicketKeys([key!])
    }()
}

/// Under --deterministic the clock stands still at 2026-01-01 00:00:00 UTC, so ticket contents,
/// ages and lifetimes repeat from run to run.
public enum DeterministicClock {
    public static let milliseconds: UInt64 = 1_767_225_600_000
}
