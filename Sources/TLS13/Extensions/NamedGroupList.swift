/// RFC 8446 §4.2.7, the "supported_groups" extension:
///
///     struct {
///         NamedGroup named_group_list<2..2^16-1>;
///     } NamedGroupList;
public struct NamedGroupList: ExtensionBody, Hashable {
    /// In the client's order of preference.
    public var namedGroupList: [NamedGroup]

    public init(_ namedGroupList: [NamedGroup]) { self.namedGroupList = namedGroupList }

    public init(decoding r: inout ByteReader) throws {
        namedGroupList = try r.lengthPrefixed(.u16, "named_group_list", within: 2...0xffff) { r in
            guard r.remaining % 2 == 0 else { throw TLSError(.decodeError, "named_group_list has an odd length") }
            var groups: [NamedGroup] = []
            while !r.isAtEnd { groups.append(NamedGroup(rawValue: try r.u16("named group"))) }
            return groups
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "named_group_list", TraceText.count(namedGroupList.count, "group")) { w in
            for group in namedGroupList { w.u16(group.rawValue, field: "named_group", group.description) }
        }
    }
}
