/// RFC 8446 §4.6.1: a ticket the client may later use to resume (this library reads and
/// prints it, and does not resume).
///
///     struct {
///         uint32 ticket_lifetime;
///         uint32 ticket_age_add;
///         opaque ticket_nonce<0..255>;
///         opaque ticket<1..2^16-1>;
///         Extension extensions<0..2^16-2>;
///     } NewSessionTicket;
public struct NewSessionTicket: Hashable, Sendable {
    /// Seconds; "Servers MUST NOT use any value greater than 604800 seconds (7 days)".
    public var ticketLifetime: UInt32
    public var ticketAgeAdd: UInt32
    public var ticketNonce: [UInt8]
    public var ticket: [UInt8]
    public var extensions: [Extension]

    public init(ticketLifetime: UInt32, ticketAgeAdd: UInt32, ticketNonce: [UInt8], ticket: [UInt8],
                extensions: [Extension] = []) {
        self.ticketLifetime = ticketLifetime
        self.ticketAgeAdd = ticketAgeAdd
        self.ticketNonce = ticketNonce
        self.ticket = ticket
        self.extensions = extensions
    }

    public init(decoding r: inout ByteReader) throws {
        ticketLifetime = try r.u32("ticket_lifetime")
        ticketAgeAdd = try r.u32("ticket_age_add")
        ticketNonce = try r.vector(.u8, "ticket_nonce")
        ticket = try r.vector(.u16, "ticket", within: 1...0xffff)
        extensions = try Extension.decodeList(&r, in: .newSessionTicket, within: 0...0xfffe)
    }

    public func encode(into w: inout ByteWriter) throws {
        w.u32(ticketLifetime, field: "ticket_lifetime", "\(ticketLifetime) seconds")
        w.u32(ticketAgeAdd, field: "ticket_age_add", "\(ticketAgeAdd)")
        try w.opaque(.u8, ticketNonce, field: "ticket_nonce")
        try w.opaque(.u16, ticket, field: "ticket")
        try Extension.encodeList(extensions, in: .newSessionTicket, into: &w)
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { try encode(into: &$0) } }
}
