/// RFC 8446 §4.2.11, the "pre_shared_key" extension in the ClientHello (parsed and printed;
/// this library does not resume sessions).
///
///     struct {
///         opaque identity<1..2^16-1>;
///         uint32 obfuscated_ticket_age;
///     } PskIdentity;
///
///     opaque PskBinderEntry<32..255>;
///
///     struct {
///         PskIdentity identities<7..2^16-1>;
///         PskBinderEntry binders<33..2^16-1>;
///     } OfferedPsks;
public struct PreSharedKeyClientHello: ExtensionBody, Hashable {
    public struct PSKIdentity: Hashable, Sendable {
        public var identity: [UInt8]
        public var obfuscatedTicketAge: UInt32

        public init(identity: [UInt8], obfuscatedTicketAge: UInt32) {
            self.identity = identity
            self.obfuscatedTicketAge = obfuscatedTicketAge
        }
    }

    public var identities: [PSKIdentity]
    public var binders: [[UInt8]]

    public init(identities: [PSKIdentity], binders: [[UInt8]]) {
        self.identities = identities
        self.binders = binders
    }

    public init(decoding r: inout ByteReader) throws {
        identities = try r.lengthPrefixed(.u16, "identities", within: 7...0xffff) { r in
            var identities: [PSKIdentity] = []
            while !r.isAtEnd {
                let identity = try r.vector(.u16, "identity", within: 1...0xffff)
                identities.append(PSKIdentity(identity: identity, obfuscatedTicketAge: try r.u32("obfuscated_ticket_age")))
            }
            return identities
        }
        binders = try r.lengthPrefixed(.u16, "binders", within: 33...0xffff) { r in
            var binders: [[UInt8]] = []
            while !r.isAtEnd { binders.append(try r.vector(.u8, "PskBinderEntry", within: 32...255)) }
            return binders
        }
        // §4.2.11.2: one binder per identity.
        guard identities.count == binders.count else {
            throw TLSError(.illegalParameter, "pre_shared_key has \(identities.count) identities but \(binders.count) binders")
        }
    }

    public func encode(into w: inout ByteWriter) throws {
        try w.vector(.u16, field: "identities", TraceText.count(identities.count, "identity")) { w in
            for entry in identities {
                try w.group(field: "identity", "") { w in
                    try w.opaque(.u16, entry.identity, field: "identity")
                    w.u32(entry.obfuscatedTicketAge, field: "obfuscated_ticket_age", "\(entry.obfuscatedTicketAge)")
                }
            }
        }
        try w.vector(.u16, field: "binders", TraceText.count(binders.count, "binder")) { w in
            for binder in binders { try w.opaque(.u8, binder, field: "binder") }
        }
    }
}

/// RFC 8446 §4.2.11, the "pre_shared_key" extension in the ServerHello: which offered PSK the
/// server accepted (0-based index into the client's identities).
///
///     select (Handshake.msg_type) {
///         case server_hello: uint16 selected_identity;
///     };
public struct PreSharedKeyServerHello: ExtensionBody, Hashable {
    public var selectedIdentity: UInt16

    public init(selectedIdentity: UInt16) { self.selectedIdentity = selectedIdentity }

    public init(decoding r: inout ByteReader) throws {
        selectedIdentity = try r.u16("selected_identity")
    }

    public func encode(into w: inout ByteWriter) {
        w.u16(selectedIdentity, field: "selected_identity", "\(selectedIdentity)")
    }
}
