/// The one error type of this module: a kind a caller can switch on, and a reason a human can read.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
        case invalidKeySize
        case invalidNonceSize
        case invalidParameter
        /// An AEAD tag did not match: the message was forged or damaged.
        case authenticationFailure
        /// A signature did not verify.
        case invalidSignature
        /// X25519 produced the all-zero shared secret (a low-order peer point, RFC 7748 §6.1).
        case zeroSharedSecret
        /// A peer's elliptic-curve public key is not a usable point: wrong length or form, a
        /// coordinate out of range, off the curve, or the point at infinity (SEC 1 §3.2.2.1).
        case invalidPublicKey
        /// DER, PEM or another encoding is malformed.
        case malformedEncoding
        case unsupported
        case randomSourceFailure
    }

    public let kind: Kind
    public let reason: String

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(kind.rawValue): \(reason)" }
}
