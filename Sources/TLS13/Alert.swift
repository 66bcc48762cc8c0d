/// RFC 8446 §6
///     enum { warning(1), fatal(2), (255) } AlertLevel;
public struct AlertLevel: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let warning = AlertLevel(rawValue: 1)
    public static let fatal = AlertLevel(rawValue: 2)

    public var name: String? {
        switch self {
        case .warning: "warning"
        case .fatal: "fatal"
        default: nil
        }
    }

    public var description: String { "\(name ?? "unknown") (\(rawValue))" }
}

/// RFC 8446 §6
///     enum { close_notify(0), unexpected_message(10), bad_record_mac(20), ... (255) } AlertDescription;
public struct AlertDescription: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let closeNotify = Self(rawValue: 0)
    public static let unexpectedMessage = Self(rawValue: 10)
    public static let badRecordMAC = Self(rawValue: 20)
    public static let recordOverflow = Self(rawValue: 22)
    public static let handshakeFailure = Self(rawValue: 40)
    public static let badCertificate = Self(rawValue: 42)
    public static let unsupportedCertificate = Self(rawValue: 43)
    public static let certificateRevoked = Self(rawValue: 44)
    public static let certificateExpired = Self(rawValue: 45)
    public static let certificateUnknown = Self(rawValue: 46)
    public static let illegalParameter = Self(rawValue: 47)
    public static let unknownCA = Self(rawValue: 48)
    public static let accessDenied = Self(rawValue: 49)
    public static let decodeError = Self(rawValue: 50)
    public static let decryptError = Self(rawValue: 51)
    public static let protocolVersion = Self(rawValue: 70)
    public static let insufficientSecurity = Self(rawValue: 71)
    public static let internalError = Self(rawValue: 80)
    public static let inappropriateFallback = Self(rawValue: 86)
    public static let userCanceled = Self(rawValue: 90)
    public static let missingExtension = Self(rawValue: 109)
    public static let unsupportedExtension = Self(rawValue: 110)
    public static let unrecognizedName = Self(rawValue: 112)
    public static let badCertificateStatusResponse = Self(rawValue: 113)
    public static let unknownPSKIdentity = Self(rawValue: 115)
    public static let certificateRequired = Self(rawValue: 116)
    public static let noApplicationProtocol = Self(rawValue: 120)

    private static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 22: "record_overflow",
        40: "handshake_failure", 42: "bad_certificate", 43: "unsupported_certificate",
        44: "certificate_revoked", 45: "certificate_expired", 46: "certificate_unknown",
        47: "illegal_parameter", 48: "unknown_ca", 49: "access_denied", 50: "decode_error",
        51: "decrypt_error", 70: "protocol_version", 71: "insufficient_security",
        80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
        109: "missing_extension", 110: "unsupported_extension", 112: "unrecognized_name",
        113: "bad_certificate_status_response", 115: "unknown_psk_identity",
        116: "certificate_required", 120: "no_application_protocol",
    ]

    /// The RFC's name, e.g. "decode_error"; nil for a code point we do not know.
    public var name: String? { Self.names[rawValue] }
    public var description: String { "\(name ?? "unknown") (\(rawValue))" }
}

/// RFC 8446 §6: the content of an alert record, exactly two bytes.
///
///     struct {
///         AlertLevel level;
///         AlertDescription description;
///     } Alert;
public struct Alert: Hashable, Sendable {
    public var level: AlertLevel
    public var description: AlertDescription

    public init(level: AlertLevel, description: AlertDescription) {
        self.level = level
        self.description = description
    }

    /// Decodes an alert record's content: an empty record is an unexpected_message, anything
    /// else but exactly two bytes a decode_error.
    public init(decoding fragment: [UInt8]) throws {
        // RFC 8446 §5.1: "a record with an Alert type MUST contain exactly one message", and
        // "Implementations MUST NOT send zero-length fragments of Handshake types". An empty
        // alert record carries no message at all, not a malformed one: like a zero-length
        // handshake fragment (and as OpenSSL answers it) it is an inappropriate record, an
        // unexpected_message. One byte, or more than two, is an alert that "cannot be parsed
        // according to the syntax" (§6): decode_error.
        guard !fragment.isEmpty else {
            throw TLSError(.unexpectedMessage, "empty alert record (an alert record carries exactly one alert)")
        }
        guard fragment.count == 2 else {
            throw TLSError(.decodeError, "alert record is \(fragment.count) byte(s), not 2")
        }
        self.init(level: AlertLevel(rawValue: fragment[0]), description: AlertDescription(rawValue: fragment[1]))
    }

    public func encode(into w: inout ByteWriter) {
        w.u8(level.rawValue, field: "level", level.description)
        w.u8(description.rawValue, field: "description", description.description)
    }

    public var bytes: [UInt8] {
        var w = ByteWriter(reservingCapacity: 2)
        encode(into: &w)
        return w.bytes
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { encode(into: &$0) } }
}
