import Foundation
import TLSCrypto

/// What a client keeps of one NewSessionTicket to resume later (RFC 8446 §4.6.1, §4.2.11): the
/// ticket itself (opaque to the client), the PSK it stands for, and what the next ClientHello
/// needs to offer it (the suite's hash, the age obfuscation, the 0-RTT allowance).
public struct ResumptionSession: Hashable, Sendable {
    /// The suite of the connection that received the ticket: the PSK is for its hash, and 0-RTT
    /// must use this very suite (§4.2.10).
    public var cipherSuite: CipherSuite
    /// HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
    public var psk: [UInt8]
    public var ticket: [UInt8]
    public var ticketAgeAdd: UInt32
    /// Seconds from `receivedAtMilliseconds` the ticket may be used.
    public var ticketLifetime: UInt32
    /// When the ticket arrived, in milliseconds since 1970: the client's ticket age counts from here.
    public var receivedAtMilliseconds: UInt64
    /// From the ticket's early_data extension; 0 when the server allows no 0-RTT with it.
    public var maxEarlyDataSize: UInt32
    /// The server the ticket came from (§4.6.1: resume only with the same SNI).
    public var serverName: String
    /// The ALPN protocol of the original connection (0-RTT needs the same, §4.2.10).
    public var applicationProtocol: String?

    public init(cipherSuite: CipherSuite, psk: [UInt8], ticket: [UInt8], ticketAgeAdd: UInt32, ticketLifetime: UInt32,
                receivedAtMilliseconds: UInt64, maxEarlyDataSize: UInt32, serverName: String, applicationProtocol: String?) {
        self.cipherSuite = cipherSuite
        self.psk = psk
        self.ticket = ticket
        self.ticketAgeAdd = ticketAgeAdd
        self.ticketLifetime = ticketLifetime
        self.receivedAtMilliseconds = receivedAtMilliseconds
        self.maxEarlyDataSize = maxEarlyDataSize
        self.serverName = serverName
        self.applicationProtocol = applicationProtocol
    }

    /// §4.6.1: "Clients MUST NOT cache tickets for longer than 7 days, regardless of the
    /// ticket_lifetime", and not beyond the lifetime the server gave.
    public func isValid(atMilliseconds now: UInt64) -> Bool {
        let lifetime = UInt64(min(ticketLifetime, 604_800)) * 1000
        return now >= receivedAtMilliseconds && now - receivedAtMilliseconds < lifetime
    }

    /// §4.2.11.1: "obfuscated_ticket_age = (ticket age in milliseconds + ticket_age_add) mod 2^32".
    public func obfuscatedTicketAge(atMilliseconds now: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: now &- receivedAtMilliseconds) &+ ticketAgeAdd
    }

    // MARK: The session file (--sess-out, --sess-in)

    /// A text file a learner can read: one `name: value` line per field, bytes in hex, under a
    /// header naming what it is. The PSK is in it: whoever has the file can resume as us.
    public var fileText: String {
        var lines = ["# TLS 1.3 session (tls13-client --sess-out): a ticket and its PSK. Keep it secret.",
                     "cipher_suite: \(cipherSuite.rawValue.hexString4)",
                     "psk: \(psk.hexString)",
                     "ticket: \(ticket.hexString)",
                     "ticket_age_add: \(ticketAgeAdd)",
                     "ticket_lifetime: \(ticketLifetime)",
                     "received_at_ms: \(receivedAtMilliseconds)",
                     "max_early_data_size: \(maxEarlyDataSize)",
                     "server_name: \(serverName)"]
        if let applicationProtocol { lines.append("alpn: \(applicationProtocol)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads `fileText`; a damaged or foreign file throws with the line at fault.
    public init(fileText: String) throws {
        var fields: [String: String] = [:]
        for (index, line) in fileText.split(whereSeparator: \.isNewline).enumerated() where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else {
                throw SessionFileError("line \(index + 1) is not \"name: value\"")
            }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        }
        func field(_ name: String) throws -> String {
            guard let value = fields[name], !value.isEmpty else { throw SessionFileError("no \(name)") }
            return value
        }
        func hex(_ name: String) throws -> [UInt8] {
            guard let bytes = [UInt8](hex: try field(name)), !bytes.isEmpty else { throw SessionFileError("\(name) is not hex") }
            return bytes
        }
        func number<T: FixedWidthInteger>(_ name: String, _: T.Type) throws -> T {
            guard let value = T(try field(name)) else { throw SessionFileError("\(name) is not a number") }
            return value
        }
        guard let suiteValue = [UInt8](hex: try field("cipher_suite")), suiteValue.count == 2 else {
            throw SessionFileError("cipher_suite is not 4 hex digits")
        }
        cipherSuite = CipherSuite(rawValue: UInt16(suiteValue[0]) << 8 | UInt16(suiteValue[1]))
        psk = try hex("psk")
        ticket = try hex("ticket")
        guard (1...0xffff).contains(ticket.count), (1...255).contains(psk.count) else {
            throw SessionFileError("ticket or psk has an impossible length")
        }
        ticketAgeAdd = try number("ticket_age_add", UInt32.self)
        ticketLifetime = try number("ticket_lifetime", UInt32.self)
        receivedAtMilliseconds = try number("received_at_ms", UInt64.self)
        maxEarlyDataSize = try number("max_early_data_size", UInt32.self)
        serverName = try field("server_name")
        applicationProtocol = fields["alpn"]
    }
}

public struct SessionFileError: Error, CustomStringConvertible {
    public var description: String
    init(_ reason: String) { description = "not a session file: \(reason)" }
}

extension UInt16 {
    /// "1301": a cipher suite as the session file writes it.
    var hexString4: String { [UInt8(self >> 8), UInt8(self & 0xff)].hexString }
}
