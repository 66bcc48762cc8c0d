/// RFC 8446 §4.2.2: sent by the server in a HelloRetryRequest, echoed by the client in its
/// second ClientHello.
///
///     struct {
///         opaque cookie<1..2^16-1>;
///     } Cookie;
public struct Cookie: ExtensionBody, Hashable {
    public var cookie: [UInt8]

    public init(_ cookie: [UInt8]) { self.cookie = cookie }

    public init(decoding r: inout ByteReader) throws {
        cookie = try r.vector(.u16, "cookie", within: 1...0xffff)
    }

    public func encode(into w: inout ByteWriter) throws { try w.opaque(.u16, cookie, field: "cookie") }
}
