import TLS13

/// The one function every fuzz input goes through: the libFuzzer build of `tls13-fuzz` calls
/// it for each generated input, the normal build replays files through it, and a test replays
/// the committed corpus (Tests/Fuzz/corpus) through it.
///
/// Beyond "never crash, never trap", each target checks properties that must hold for every
/// input a parser accepts: the value re-encodes to the bytes it came from (or, where decoding
/// normalises, to bytes that decode to the same value), and its field trace reads back to the
/// encoding. A thrown `TLSError` is the normal answer to bad bytes; a broken property is an
/// `InvariantViolation`.
public enum FuzzEntry {
    public static func run(_ input: [UInt8]) throws(InvariantViolation) {
        guard let selector = input.first, let target = FuzzTarget(rawValue: selector) else { return }
        let rest = Array(input.dropFirst())
        switch target {
        case .handshakeMessage: try WireFormatTargets.handshakeMessage(rest)
        case .extensionList: try WireFormatTargets.extensionList(rest)
        case .alert: try WireFormatTargets.alert(rest)
        case .changeCipherSpec: try WireFormatTargets.changeCipherSpec(rest)
        }
    }
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

/// Runs a parser on outside bytes: nil when it rejects them with a `TLSError` (the expected
/// answer to malformed input); any other error breaks the rule that peer-data errors carry
/// their alert.
func decodeOrReject<T>(_ target: FuzzTarget, _ decode: () throws -> T) throws(InvariantViolation) -> T? {
    do {
        return try decode()
    } catch is TLSError {
        return nil
    } catch {
        throw InvariantViolation(target, "threw \(type(of: error)) (\(error)), not a TLSError")
    }
}
