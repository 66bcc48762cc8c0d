/// RFC 8446 §4.2.9: enum { psk_ke(0), psk_dhe_ke(1), (255) } PskKeyExchangeMode;
public struct PSKKeyExchangeMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// PSK-only key establishment.
    public static let pskKE = Self(rawValue: 0)
    /// PSK with (EC)DHE key establishment.
    public static let pskDHEKE = Self(rawValue: 1)

    public var name: String? {
        switch rawValue {
        case 0: "psk_ke"
        case 1: "psk_dhe_ke"
        default: nil
        }
    }

    public var description: String { "\(name ?? "unknown") (\(rawValue))" }
}

/// RFC 8446 §4.2.9
///
///     struct {
///         PskKeyExchangeMode ke_modes<1..255>;
///     } PskKeyExchangeModes;
public struct PSKKeyExchangeModes: ExtensionBody, Hashable {
    public var keModes: [PSKKeyExchangeMode]

    public init(keModes: [PSKKeyExchangeMode]) { self.keModes = keModes }

    public init(decoding r: inout ByteReader) throws {
        keModes = try r.vector(.u8, "ke_modes", within: 1...255).map(PSKKeyExchangeMode.init(rawValue:))
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u8, field: "ke_modes", TraceText.count(keModes.count, "mode")) { w in
            for mode in keModes { w.u8(mode.rawValue, field: "ke_mode", mode.description) }
        }
    }
}
