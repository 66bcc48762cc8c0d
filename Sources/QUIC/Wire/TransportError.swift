import TLS13

/// RFC 9000 §20.1 transport error codes, an open set: unknown values are carried and printed.
/// 0x0100-0x01ff are TLS alerts (RFC 9001 §4.8: "0x0100 plus the alert description").
public struct TransportErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let noError = Self(rawValue: 0x00)
    public static let internalError = Self(rawValue: 0x01)
    public static let connectionRefused = Self(rawValue: 0x02)
    public static let flowControlError = Self(rawValue: 0x03)
    public static let streamLimitError = Self(rawValue: 0x04)
    public static let streamStateError = Self(rawValue: 0x05)
    public static let finalSizeError = Self(rawValue: 0x06)
    public static let frameEncodingError = Self(rawValue: 0x07)
    public static let transportParameterError = Self(rawValue: 0x08)
    public static let connectionIDLimitError = Self(rawValue: 0x09)
    public static let protocolViolation = Self(rawValue: 0x0a)
    public static let invalidToken = Self(rawValue: 0x0b)
    public static let applicationError = Self(rawValue: 0x0c)
    public static let cryptoBufferExceeded = Self(rawValue: 0x0d)
    public static let keyUpdateError = Self(rawValue: 0x0e)
    public static let aeadLimitReached = Self(rawValue: 0x0f)
    public static let noViablePath = Self(rawValue: 0x10)

    /// RFC 9001 §4.8: CRYPTO_ERROR carrying a TLS alert.
    public static func crypto(_ alert: AlertDescription) -> Self { Self(rawValue: 0x100 + UInt64(alert.rawValue)) }

    public var name: String? {
        switch rawValue {
        case 0x00: "NO_ERROR"
        case 0x01: "INTERNAL_ERROR"
        case 0x02: "CONNECTION_REFUSED"
        case 0x03: "FLOW_CONTROL_ERROR"
        case 0x04: "STREAM_LIMIT_ERROR"
        case 0x05: "STREAM_STATE_ERROR"
        case 0x06: "FINAL_SIZE_ERROR"
        case 0x07: "FRAME_ENCODING_ERROR"
        case 0x08: "TRANSPORT_PARAMETER_ERROR"
        case 0x09: "CONNECTION_ID_LIMIT_ERROR"
        case 0x0a: "PROTOCOL_VIOLATION"
        case 0x0b: "INVALID_TOKEN"
        case 0x0c: "APPLICATION_ERROR"
        case 0x0d: "CRYPTO_BUFFER_EXCEEDED"
        case 0x0e: "KEY_UPDATE_ERROR"
        case 0x0f: "AEAD_LIMIT_REACHED"
        case 0x10: "NO_VIABLE_PATH"
        case 0x100...0x1ff:
            "CRYPTO_ERROR (TLS alert \(AlertDescription(rawValue: UInt8(rawValue - 0x100)).name ?? String(rawValue - 0x100)))"
        default: nil
        }
    }

    public var description: String {
        let hex = "0x" + String(rawValue, radix: 16)
        return name.map { "\($0) (\(hex))" } ?? hex
    }
}

/// Why a QUIC connection fails: the transport error code to send in CONNECTION_CLOSE, the frame
/// type that caused it (0 when none), and a reason phrase for the peer and the trace.
public struct QUICError: Error, Hashable, Sendable, CustomStringConvertible {
    public var code: TransportErrorCode
    public var frameType: UInt64
    public var reason: String
    /// True when the peer closed the connection with this error.
    public var fromPeer: Bool

    public init(_ code: TransportErrorCode, _ reason: String, frameType: UInt64 = 0, fromPeer: Bool = false) {
        self.code = code
        self.reason = reason
        self.frameType = frameType
        self.fromPeer = fromPeer
    }

    public var description: String {
        (fromPeer ? "peer closed the connection: " : "") + "\(code)" + (reason.isEmpty ? "" : ": \(reason)")
    }
}

extension QUICError {
    /// A decoding failure of the wire helpers (a `TLSError` decode_error) as the QUIC error of the
    /// context it happened in.
    static func wrapping(_ error: Error, as code: TransportErrorCode, frameType: UInt64 = 0) -> QUICError {
        if let quic = error as? QUICError { return quic }
        if let tls = error as? TLSError { return QUICError(code, tls.reason, frameType: frameType) }
        return QUICError(code, "\(error)", frameType: frameType)
    }
}
