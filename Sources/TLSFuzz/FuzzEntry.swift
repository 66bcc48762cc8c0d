import TLS13

/// The one function every fuzz input goes through: the libFuzzer build of `tls13-fuzz` calls
/// it for each generated input, the normal build replays files through it, and a test replays
/// the committed corpus (Tests/Fuzz/corpus) through it.
///
/// Beyond "never crash, never trap", each target checks properties that must hold for every
/// input: a parsed value re-encodes to the bytes it came from (or, where decoding normalises,
/// to bytes that decode to the same value), its field trace reads back to its encoding, and a
/// connection that fails has queued its alert and stays failed. A thrown `TLSError` (a
/// `CryptoError` for X.509 and keys) is the normal answer to bad bytes; a broken property is
/// an `InvariantViolation`.
public enum FuzzEntry {
    @discardableResult
    public static func run(_ input: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        guard let selector = input.first, let target = FuzzTarget(rawValue: selector) else { return .noTarget }
        let rest = Array(input.dropFirst())
        switch target {
        case .handshakeMessage: return try WireFormatTargets.handshakeMessage(rest)
        case .extensionList: return try WireFormatTargets.extensionList(rest)
        case .alert: return try WireFormatTargets.alert(rest)
        case .changeCipherSpec: return try WireFormatTargets.changeCipherSpec(rest)
        case .encoders: return try EncoderTargets.run(rest)
        case .certificate: return try CertificateTargets.certificate(rest)
        case .pem: return try CertificateTargets.pem(rest)
        case .privateKey: return try CertificateTargets.privateKey(rest)
        case .recordLayer: return try RecordLayerTarget.run(rest)
        case .server: return try ConnectionTargets.server(rest)
        case .client: return try ConnectionTargets.client(rest)
        }
    }
}

/// What became of one input.
public enum FuzzOutcome: Hashable, Sendable {
    /// The first byte selects no target.
    case noTarget
    /// Refused with the error the code is meant to throw for bad bytes.
    case rejected
    /// Parsed, or (record layer, connections) consumed to the end without an error.
    case accepted
    /// A connection target got through its whole handshake.
    case handshakeCompleted
}

/// A property that should hold for every input was broken: a bug, like a crash.
public struct InvariantViolation: Error, CustomStringConvertible {
    public var target: FuzzTarget
    public var reason: String

    public init(_ target: FuzzTarget, _ reason: String) {
        self.target = target
        self.reason = reason
    }

    public var description: String { "\(target): \(reason)" }
}

/// Runs code on outside bytes: nil when it refuses them with an error of `expected` type (the
/// library's answer to malformed input); any other error breaks the rule that errors from
/// outside data are that type (for TLS: that they carry their alert).
func decodeOrReject<T>(_ target: FuzzTarget, expecting expected: any Error.Type = TLSError.self,
                       _ decode: () throws -> T) throws(InvariantViolation) -> T? {
    do {
        return try decode()
    } catch where ObjectIdentifier(type(of: error)) == ObjectIdentifier(expected) {
        return nil
    } catch {
        throw InvariantViolation(target, "threw \(type(of: error)) (\(error)), not a \(expected)")
    }
}

/// A validation that may refuse with a `TLSError`, and must not fail otherwise.
func runCheck(_ target: FuzzTarget, _ check: () throws -> Void) throws(InvariantViolation) {
    _ = try decodeOrReject(target, check)
}

/// Encodes a value that was decoded from bytes: it fitted its length fields on the way in, so
/// it must fit them on the way out; a thrown overflow is a bug.
func mustEncode(_ target: FuzzTarget, _ what: @autoclosure () -> String,
                _ encode: (inout ByteWriter) throws -> Void) throws(InvariantViolation) -> [UInt8] {
    var writer = ByteWriter()
    do {
        try encode(&writer)
    } catch {
        throw InvariantViolation(target, "\(what()) was decoded but does not encode again: \(error)")
    }
    return writer.bytes
}
