import TLS13
import TLSCrypto

/// What a pcapng capture of one connection needs, gathered from one endpoint's events: every
/// record it wrote or read, in the order it happened, and its NSS key-log lines.
///
/// One endpoint sees the whole conversation: the records it sends are its own chunks and the
/// records it receives are the peer's, with their exact wire bytes (`RecordTrace.bytes`). So the
/// same recording serves a socket run (only our side exists) and an in-memory run (observe
/// either side).
public struct CaptureRecording: Sendable {
    /// The endpoint whose events are recorded.
    public let side: Side
    public private(set) var chunks: [TCPChunk] = []
    /// Key log text in the NSS Key Log Format (draft-ietf-tls-keylogfile): one
    /// `LABEL <client_random hex> <secret hex>` line per secret.
    public private(set) var keyLog = ""

    public init(side: Side) {
        self.side = side
    }

    public mutating func record(_ event: TLSEvent) {
        switch event {
        case .record(.sent, let record):
            chunks.append(TCPChunk(from: side, record.bytes))
        case .record(.received, let record):
            chunks.append(TCPChunk(from: side.peer, record.bytes))
        case .keyLog(let label, let clientRandom, let secret):
            keyLog += "\(label) \(clientRandom.hexString) \(secret.hexString)\n"
        default:
            break
        }
    }

    /// The capture as a pcapng file that Wireshark decrypts with no extra file.
    public func pcapng(_ capture: TCPCapture = TCPCapture()) -> [UInt8] {
        capture.pcapng(chunks: chunks, keyLog: keyLog)
    }
}
