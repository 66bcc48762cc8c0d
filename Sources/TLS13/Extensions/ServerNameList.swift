/// RFC 6066 §3, the "server_name" extension (SNI) in the ClientHello:
///
///     struct {
///         NameType name_type;
///         select (name_type) {
///             case host_name: HostName;
///         } name;
///     } ServerName;
///
///     enum { host_name(0), (255) } NameType;
///     opaque HostName<1..2^16-1>;
///
///     struct {
///         ServerName server_name_list<1..2^16-1>
///     } ServerNameList;
///
/// A server that used the name answers with an empty "server_name" in EncryptedExtensions
/// (`EmptyExtensionData`). Every name type is read as `opaque<1..2^16-1>`, the only shape ever
/// defined, and RFC 6066's "MUST NOT contain more than one name of the same name_type" is
/// enforced (illegal_parameter).
public struct ServerNameList: ExtensionBody, Hashable {
    public struct ServerName: Hashable, Sendable {
        public static let hostNameType: UInt8 = 0

        public var nameType: UInt8
        /// For host_name: the DNS name in ASCII, without a trailing dot (RFC 6066 §3).
        public var name: [UInt8]

        public init(nameType: UInt8, name: [UInt8]) {
            self.nameType = nameType
            self.name = name
        }
    }

    public var serverNameList: [ServerName]

    public init(serverNameList: [ServerName]) { self.serverNameList = serverNameList }

    /// The usual SNI: one host_name.
    public init(hostName: String) {
        self.init(serverNameList: [ServerName(nameType: ServerName.hostNameType, name: Array(hostName.utf8))])
    }

    /// The host_name entry as text, when present and printable ASCII.
    public var hostName: String? {
        guard let entry = serverNameList.first(where: { $0.nameType == ServerName.hostNameType }),
              entry.name.allSatisfy({ (0x21...0x7e).contains($0) }) else { return nil }
        return String(decoding: entry.name, as: UTF8.self)
    }

    public init(decoding r: inout ByteReader) throws {
        serverNameList = try r.lengthPrefixed(.u16, "server_name_list", within: 1...0xffff) { r in
            var names: [ServerName] = []
            while !r.isAtEnd {
                let type = try r.u8("name_type")
                names.append(ServerName(nameType: type, name: try r.vector(.u16, "HostName", within: 1...0xffff)))
            }
            return names
        }
        var types: Set<UInt8> = []
        for entry in serverNameList where !types.insert(entry.nameType).inserted {
            throw TLSError(.illegalParameter, "server_name lists name_type \(entry.nameType) more than once")
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "server_name_list", TraceText.count(serverNameList.count, "name")) { w in
            for entry in serverNameList {
                let isHost = entry.nameType == ServerName.hostNameType
                try w.group(field: "server_name", Self.describe(entry.name)) { w in
                    w.u8(entry.nameType, field: "name_type", isHost ? "host_name (0)" : "unknown (\(entry.nameType))")
                    try w.opaque(.u16, entry.name, field: isHost ? "host_name" : "name", Self.describe(entry.name))
                }
            }
        }
    }

    /// A name in quotes when printable, as bytes otherwise.
    static func describe(_ name: [UInt8]) -> String {
        name.allSatisfy { (0x20...0x7e).contains($0) } ? "\"\(String(decoding: name, as: UTF8.self))\"" : TraceText.opaque(name)
    }
}
