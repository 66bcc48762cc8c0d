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
        w.u32(ticketLifetime)
        w.u32(ticketAgeAdd)
        try w.lengthPrefixed(.u8) { $0.bytes(ticketNonce) }
        try w.lengthPrefixed(.u16) { $0.bytes(ticket) }
        try Extension.encodeList(extensions, into: &w)
    }

    public var traceFields: [TraceField] {
        [
            .uint("ticket_lifetime", "\(ticketLifetime) seconds", UInt64(ticketLifetime), width: 4),
            .uint("ticket_age_add", "\(ticketAgeAdd)", UInt64(ticketAgeAdd), width: 4),
            .opaque("ticket_nonce", ticketNonce, prefix: .u8),
            .opaque("ticket", ticket, prefix: .u16),
            Extension.traceList(extensions, in: .newSessionTicket),
        ]
    }
}
