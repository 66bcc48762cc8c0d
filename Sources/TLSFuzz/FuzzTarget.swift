/// Which code a fuzz input exercises: the first byte of every input selects a target, the rest
/// is that target's input. Fixed byte values (not an index) so that a committed corpus file
/// keeps meaning the same thing when targets are added; a byte naming no target is an input
/// that does nothing.
public enum FuzzTarget: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// One complete handshake message, 4-byte header included (`HandshakeMessage(decoding:)`,
    /// every message's `init(decoding:)` behind it).
    case handshakeMessage = 0x01
    /// A byte choosing the message (the `ExtensionContext`), then a uint16-prefixed
    /// `Extension extensions<..>` list, each extension's data decoded as that message's body.
    case extensionList = 0x02
    /// The content of an alert record.
    case alert = 0x03
    /// The content of a change_cipher_spec record.
    case changeCipherSpec = 0x04
    /// Peer-controlled values (a cookie of any length, a session ID, extensions) built into the
    /// messages that send them on; see `EncoderTargets`.
    case encoders = 0x05
    /// An X.509 certificate in DER (`Certificate(der:)`).
    case certificate = 0x10
    /// PEM text (`PEM.decode`), its certificate and key blocks parsed.
    case pem = 0x11
    /// A format byte (even: PKCS #1, odd: PKCS #8), then an RSA private key in DER.
    case privateKey = 0x12
    /// The record layer's reader; see `RecordLayerTarget`.
    case recordLayer = 0x20
    /// Our server state machine fed a client's bytes; see `ConnectionTargets`.
    case server = 0x30
    /// Our client state machine fed a server's bytes after its ClientHello.
    case client = 0x31

    public var description: String {
        switch self {
        case .handshakeMessage: "handshake message"
        case .extensionList: "extension list"
        case .alert: "alert"
        case .changeCipherSpec: "change_cipher_spec"
        case .encoders: "encoders"
        case .certificate: "X.509 certificate"
        case .pem: "PEM"
        case .privateKey: "RSA private key"
        case .recordLayer: "record layer"
        case .server: "server"
        case .client: "client"
        }
    }
}
