/// RFC 7301 §3.1, the "application_layer_protocol_negotiation" extension (ALPN): the client
/// lists the protocols it can speak over this connection, the server answers in
/// EncryptedExtensions (RFC 8446 §4.2) with the one it picked.
///
///     opaque ProtocolName<1..2^8-1>;
///
///     struct {
///         ProtocolName protocol_name_list<2..2^16-1>
///     } ProtocolNameList;
///
/// Names are bytes, compared byte for byte ("http/1.1", "h2", "h3"); a GREASE name (RFC 8701
/// §3.1, e.g. "\u{0a}\u{0a}") is simply one we do not speak.
public struct ProtocolNameList: ExtensionBody, Hashable {
    public var protocolNameList: [[UInt8]]

    public init(protocolNameList: [[UInt8]]) { self.protocolNameList = protocolNameList }

    public init(_ names: [String]) { self.init(protocolNameList: names.map { Array($0.utf8) }) }

    public init(decoding r: inout ByteReader) throws {
        protocolNameList = try r.lengthPrefixed(.u16, "protocol_name_list", within: 2...0xffff) { r in
            var names: [[UInt8]] = []
            // RFC 7301 §3.1: "Empty strings MUST NOT be included" (ProtocolName<1..2^8-1>).
            while !r.isAtEnd { names.append(try r.vector(.u8, "ProtocolName", within: 1...0xff)) }
            return names
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "protocol_name_list", TraceText.count(protocolNameList.count, "protocol")) { w in
            for name in protocolNameList { try w.opaque(.u8, name, field: "protocol_name", Self.describe(name)) }
        }
    }

    /// `"http/1.1"` for a printable name, `GREASE (0x0a0a)` or hex otherwise.
    public static func describe(_ name: [UInt8]) -> String {
        if name.count == 2, case let value = UInt16(name[0]) << 8 | UInt16(name[1]), IANANames.isGREASE(value) {
            return "GREASE (\(hex16(value)))"
        }
        if name.allSatisfy({ (0x21...0x7e).contains($0) }) { return "\"" + String(decoding: name, as: UTF8.self) + "\"" }
        return TraceText.opaque(name)
    }
}

/// RFC 7301 §3.2: the server's choice among the client's protocols.
enum ApplicationProtocolSelection {
    /// The first of `supported` (server preference order) that the client offered, or nil when the
    /// client sent no ALPN or the server has no list (then the server sends no ALPN extension).
    /// "In the event that the server supports no protocols that the client advertises, then the
    /// server SHALL respond with a fatal "no_application_protocol" alert."
    static func serverSelect(offered: ProtocolNameList?, supported: [String]) throws -> [UInt8]? {
        guard let offered, !supported.isEmpty else { return nil }
        for name in supported.map({ Array($0.utf8) }) where offered.protocolNameList.contains(name) {
            return name
        }
        let list = offered.protocolNameList.map(ProtocolNameList.describe).joined(separator: ", ")
        throw TLSError(.noApplicationProtocol,
                       "the client offers ALPN \(list); this server speaks only \(supported.joined(separator: ", "))")
    }

    /// RFC 7301 §3.1: the server's "ProtocolNameList" holds "exactly one" name, and it must be one
    /// the client offered (RFC 8446 §6.2 illegal_parameter: "inconsistent with other fields").
    static func clientCheck(answer: ProtocolNameList, offered: ProtocolNameList?) throws -> [UInt8] {
        guard answer.protocolNameList.count == 1, let name = answer.protocolNameList.first else {
            throw TLSError(.illegalParameter,
                           "the server's ALPN answer lists \(answer.protocolNameList.count) protocols, not exactly one")
        }
        guard offered?.protocolNameList.contains(name) ?? false else {
            throw TLSError(.illegalParameter, "the server selected ALPN \(ProtocolNameList.describe(name)), which we did not offer")
        }
        return name
    }
}
