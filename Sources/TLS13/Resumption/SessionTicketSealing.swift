import Foundation
import TLSCrypto

/// What a server puts inside the tickets it issues (RFC 8446 §4.6.1 leaves the format to the
/// server: "the ticket itself is an opaque label"). Everything needed to resume lives here, so
/// the server keeps no per-session state: any number of clients, any number of server processes
/// sharing the key.
///
///     struct {
///         uint8  version = 1;
///         uint16 cipher_suite;            the suite whose hash the PSK belongs to (§4.2.11)
///         uint64 issued_at_ms;            to check ticket_lifetime and the client's ticket age
///         uint32 ticket_age_add;          to undo the client's obfuscation (§4.2.11.1)
///         uint32 ticket_lifetime;         seconds (§4.6.1: at most 604800, 7 days)
///         uint32 max_early_data_size;     0: this ticket allows no 0-RTT (§4.2.10)
///         opaque psk<1..255>;             HKDF-Expand-Label(resumption_master_secret,
///                                         "resumption", ticket_nonce, Hash.length)
///         opaque alpn<0..255>;            0-RTT only with the same ALPN protocol (§4.2.10)
///         opaque server_name<0..2^16-1>;  for the trace
///     } TicketContents;
///
/// Sealed as `key_name (16) ‖ nonce (12) ‖ AES-256-GCM(key, nonce, contents, aad = key_name)`:
/// the key name, in the clear, says which key opens it; the AEAD keeps the PSK secret (a ticket
/// travels in the clear in the ClientHello) and makes a forged or altered ticket fail to open.
public struct TicketContents: Hashable, Sendable {
    public var cipherSuite: CipherSuite
    public var issuedAtMilliseconds: UInt64
    public var ticketAgeAdd: UInt32
    public var ticketLifetime: UInt32
    public var maxEarlyDataSize: UInt32
    public var psk: [UInt8]
    public var applicationProtocol: [UInt8]
    public var serverName: [UInt8]

    public init(cipherSuite: CipherSuite, issuedAtMilliseconds: UInt64, ticketAgeAdd: UInt32, ticketLifetime: UInt32,
                maxEarlyDataSize: UInt32, psk: [UInt8], applicationProtocol: [UInt8] = [], serverName: [UInt8] = []) {
        self.cipherSuite = cipherSuite
        self.issuedAtMilliseconds = issuedAtMilliseconds
        self.ticketAgeAdd = ticketAgeAdd
        self.ticketLifetime = ticketLifetime
        self.maxEarlyDataSize = maxEarlyDataSize
        self.psk = psk
        self.applicationProtocol = applicationProtocol
        self.serverName = serverName
    }

    static let version: UInt8 = 1

    func encoded() throws -> [UInt8] {
        var w = ByteWriter(reservingCapacity: 96)
        w.u8(Self.version)
        w.u16(cipherSuite.rawValue)
        w.u64(issuedAtMilliseconds)
        w.u32(ticketAgeAdd)
        w.u32(ticketLifetime)
        w.u32(maxEarlyDataSize)
        try w.lengthPrefixed(.u8) { $0.bytes(psk) }
        try w.lengthPrefixed(.u8) { $0.bytes(applicationProtocol) }
        try w.lengthPrefixed(.u16) { $0.bytes(serverName) }
        return w.bytes
    }

    init(decoding bytes: [UInt8]) throws {
        var r = ByteReader(bytes)
        guard try r.u8("ticket version") == Self.version else { throw TLSError(.decodeError, "unknown ticket version") }
        cipherSuite = CipherSuite(rawValue: try r.u16("cipher_suite"))
        issuedAtMilliseconds = try r.u64("issued_at_ms")
        ticketAgeAdd = try r.u32("ticket_age_add")
        ticketLifetime = try r.u32("ticket_lifetime")
        maxEarlyDataSize = try r.u32("max_early_data_size")
        psk = try r.vector(.u8, "psk", within: 1...255)
        applicationProtocol = try r.vector(.u8, "alpn")
        serverName = try r.vector(.u16, "server_name")
        try r.expectEnd("ticket contents")
    }
}

/// One ticket key: a 16-byte name, sent in the clear at the front of each ticket, and a 32-byte
/// AES-256-GCM key.
public struct TicketKey: Hashable, Sendable {
    public let name: [UInt8]
    let key: [UInt8]

    public init(name: [UInt8], key: [UInt8]) throws {
        guard name.count == 16, key.count == 32 else {
            throw TLSError(.internalError, "a ticket key is a 16-byte name and a 32-byte key")
        }
        self.name = name
        self.key = key
    }

    public static func random(_ source: any RandomSource) throws -> TicketKey {
        try TicketKey(name: source.bytes(16), key: source.bytes(32))
    }

    /// One line of a ticket key file: the name and the key in hex, separated by a space.
    public var fileLine: String { name.hexString + " " + key.hexString }
}

/// The server's ticket keys, newest first: tickets are sealed with the first and opened with any
/// whose name they carry, so rotating in a new key (`rotated`) keeps the tickets of the previous
/// one valid until they expire.
public struct TicketKeys: Sendable {
    public private(set) var keys: [TicketKey]

    public init(_ keys: [TicketKey]) throws {
        guard !keys.isEmpty else { throw TLSError(.internalError, "no ticket key") }
        self.keys = keys
    }

    public static func random(_ source: any RandomSource) throws -> TicketKeys {
        try TicketKeys([TicketKey.random(source)])
    }

    /// A new current key; the one before stays for opening (at most two are kept).
    public func rotated(_ source: any RandomSource) throws -> TicketKeys {
        try TicketKeys([TicketKey.random(source)] + keys.prefix(1))
    }

    /// A key file's text: one `NAME KEY` line per key, newest first; `#` starts a comment.
    public init(fileText: String) throws {
        var keys: [TicketKey] = []
        for line in fileText.split(whereSeparator: \.isNewline) {
            let text = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = text.split(separator: " ")
            if words.isEmpty { continue }
            guard words.count == 2, let name = [UInt8](hex: String(words[0])), let key = [UInt8](hex: String(words[1])) else {
                throw TLSError(.internalError, "a ticket key line is NAME KEY in hex (16 and 32 bytes)")
            }
            keys.append(try TicketKey(name: name, key: key))
        }
        try self.init(keys)
    }

    public var fileText: String {
        "# tls13-server ticket keys (newest first): 16-byte name, 32-byte AES-256-GCM key. Keep secret.\n"
            + keys.map(\.fileLine).joined(separator: "\n") + "\n"
    }

    public func seal(_ contents: TicketContents, random: any RandomSource) throws -> [UInt8] {
        let current = keys[0]
        let nonce = try random.bytes(12)
        let sealed = try AES256GCM(key: current.key).seal(nonce: nonce, plaintext: contents.encoded(), additionalData: current.name)
        return current.name + nonce + sealed
    }

    /// The contents of a ticket one of our keys sealed, or nil (another server's ticket, an old
    /// key, a forgery: a full handshake follows, never an alert, RFC 8446 §4.2.11).
    public func open(_ ticket: [UInt8]) -> TicketContents? {
        guard ticket.count > 16 + 12 + 16 else { return nil }
        let name = Array(ticket[0..<16])
        // The key name is public; which key matches says nothing secret.
        guard let key = keys.first(where: { $0.name == name }),
              let plaintext = try? AES256GCM(key: key.key).open(nonce: Array(ticket[16..<28]),
                                                                ciphertextAndTag: Array(ticket[28...]), additionalData: name) else {
            return nil
        }
        return try? TicketContents(decoding: plaintext)
    }
}

/// A PSK agreed outside TLS (RFC 8446 §2.2), known by its identity; SHA-256 unless said otherwise
/// (RFC 8446 §4.2.11: "the Hash algorithm ... MUST be ... SHA-256 if none is provisioned").
public struct ExternalPSK: Hashable, Sendable {
    public var identity: [UInt8]
    public var secret: [UInt8]
    public var hashName: String

    public init(identity: [UInt8], secret: [UInt8], hashName: String = "SHA-256") {
        self.identity = identity
        self.secret = secret
        self.hashName = hashName
    }

    var identityText: String { String(decoding: identity, as: UTF8.self) }
}

/// A ticket from a published trace, and the contents we take it to have (RFC 8448 §4).
public struct ReplayedTicket: Sendable {
    public var ticket: [UInt8]
    public var contents: TicketContents

    public init(ticket: [UInt8], contents: TicketContents) {
        self.ticket = ticket
        self.contents = contents
    }
}
