/// Why a connection failed, and which alert goes (or came) with it.
///
/// A check on peer bytes throws `TLSError(.illegalParameter, "server did not echo the legacy
/// session ID")`; the connection sends that alert and closes (RFC 8446 §6.2). An alert received
/// from the peer surfaces as a `TLSError` whose `origin` is `.peer`.
public struct TLSError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Origin: Hashable, Sendable {
        /// We detected the problem and send `alert`.
        case local
        /// The peer sent `alert`.
        case peer
    }

    public var alert: AlertDescription
    public var reason: String
    public var origin: Origin

    public init(_ alert: AlertDescription, _ reason: String, origin: Origin = .local) {
        self.alert = alert
        self.reason = reason
        self.origin = origin
    }

    public var description: String {
        let name = alert.name ?? "alert \(alert.rawValue)"
        switch origin {
        case .local: return "\(name): \(reason)"
        case .peer: return "peer sent \(name)" + (reason.isEmpty ? "" : ": \(reason)")
        }
    }
}
