import Foundation
import Synchronization
import TLS13

/// `--capture FILE`: one side's view of a connection, written as a pcapng file that Wireshark
/// opens and decrypts by itself (the key log travels inside it, see `TCPCapture`).
///
/// The packets are synthesised from the TLS records this side wrote and read, not sniffed: the
/// TCP/IPv4 framing is `TCPCapture`'s, with the server's real port and the client port 49152,
/// and timestamps from a fixed start, so a deterministic run gives a byte-identical file.
public final class CaptureFile: Sendable {
    public let path: String
    private let recording: Mutex<CaptureRecording>
    private let capture: TCPCapture

    public init(path: String, side: Side, serverPort: UInt16) {
        self.path = path
        recording = Mutex(CaptureRecording(side: side))
        capture = TCPCapture(serverPort: serverPort)
    }

    public func observe(_ event: TLSEvent) {
        recording.withLock { $0.record(event) }
    }

    /// Writes the file (replacing it) with everything recorded so far.
    public func write() throws {
        let bytes = recording.withLock { $0.pcapng(capture) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}
