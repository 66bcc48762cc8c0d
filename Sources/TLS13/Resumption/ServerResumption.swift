import TLSCrypto

/// A PSK offer the server can take: which identity, what its ticket holds, and how the key
/// exchange will run.
struct AcceptedPSK {
    var index: Int
    var psk: [UInt8]
    /// The ticket it came from; nil for an external PSK (configured on both ends, RFC 8446 §2.2).
    var ticket: TicketContents?
    var mode: PSKKeyExchangeMode
    var offered: PreSharedKeyClientHello
    /// The client's age of the ticket minus ours, in milliseconds (§8.3).
    var ageSkewMilliseconds: Int64
}

/// The server's side of resumption (RFC 8446 §2.2) and 0-RTT (§2.3), one method per step:
///
///     choosePreSharedKey   which offered ticket, if any, we can use (§4.2.11, §4.2.9)
///     verifyBinder         the client holds the ticket's PSK (§4.2.11.2)
///     acceptsEarlyData     whether the client's 0-RTT data is taken (§4.2.10, §8)
///     issueSessionTickets  NewSessionTicket after each handshake (§4.6.1)
extension TLSConnection {
    /// §4.2.11: "the server MUST ... select a single PSK or none". We take the first identity that
    /// is a ticket we sealed (another key, another server, a forgery: skipped), for a suite with
    /// the hash of the one just chosen, and still within its lifetime. None: a full handshake.
    func choosePreSharedKey(_ hello: ClientHello, parameters: CipherSuiteParameters) throws -> AcceptedPSK? {
        guard let offered = try hello.extensions.decode(.preSharedKey, as: PreSharedKeyClientHello.self) else { return nil }
        // §4.2.9: "If clients offer "pre_shared_key" without a "psk_key_exchange_modes"
        // extension, servers MUST abort the handshake."
        guard let modes = try hello.extensions.decode(.pskKeyExchangeModes, as: PSKKeyExchangeModes.self) else {
            throw TLSError(.missingExtension, "the ClientHello offers pre_shared_key without psk_key_exchange_modes")
        }
        guard configuration.ticketKeys != nil || !configuration.externalPSKs.isEmpty || configuration.replayedTicket != nil else {
            events(.note("client offers a pre-shared key (resumption); declined: this server issues no tickets, so a full handshake follows"))
            return nil
        }
        // §4.2.9: "Servers MUST NOT select a key exchange mode that is not listed by the client."
        guard let mode = configuration.pskKeyExchangeModes.first(where: modes.keModes.contains) else {
            events(.note("client's PSK modes (\(modes.keModes.map(\.description).joined(separator: ", "))) are none we accept: a full handshake"))
            return nil
        }
        let now = configuration.clock()
        for (index, identity) in offered.identities.enumerated() {
            // An external PSK is known by its identity (RFC 8446 §4.2.11; no age, no ticket).
            if let external = configuration.externalPSKs.first(where: { $0.identity == identity.identity }) {
                guard external.hashName == parameters.hash.name else {
                    events(.note("PSK identity \(index): the external PSK \"\(external.identityText)\" is for \(external.hashName): skipped"))
                    continue
                }
                events(.check("PSK identity \(index) is our external PSK \"\(external.identityText)\"", passed: true, rule: "RFC 8446 §4.2.11: an external PSK is known by its identity alone; it has no ticket and no age."))
                return AcceptedPSK(index: index, psk: external.secret, ticket: nil, mode: mode, offered: offered, ageSkewMilliseconds: 0)
            }
            let replayed = configuration.replayedTicket.flatMap { $0.ticket == identity.identity ? $0.contents : nil }
            guard let contents = replayed ?? configuration.ticketKeys?.open(identity.identity) else {
                events(.note("PSK identity \(index): not a ticket our keys open (another server, an old key, or altered): skipped"))
                continue
            }
            events(.sessionTicket(.received, contents: contents, ticket: identity.identity))
            guard let ticketSuite = CipherSuiteParameters(contents.cipherSuite), ticketSuite.hash.name == parameters.hash.name else {
                events(.note("PSK identity \(index): the ticket is for \(contents.cipherSuite), whose hash is not \(parameters.hash.name): skipped"))
                continue
            }
            let ourAge = now >= contents.issuedAtMilliseconds ? now - contents.issuedAtMilliseconds : 0
            guard ourAge < UInt64(min(contents.ticketLifetime, 604_800)) * 1000 else {
                events(.check("the ticket is within its lifetime (\(contents.ticketLifetime) s)", passed: false))
                continue
            }
            // §4.2.11.1: the client's age is obfuscated_ticket_age - ticket_age_add (mod 2^32).
            let clientAge = identity.obfuscatedTicketAge &- contents.ticketAgeAdd
            events(.check("the ticket is within its lifetime (\(contents.ticketLifetime) s; issued \(ourAge) ms ago, the client says \(clientAge) ms)", passed: true, rule: "RFC 8446 §4.2.11.1: the client's age is obfuscated_ticket_age - ticket_age_add (mod 2^32)."))
            return AcceptedPSK(index: index, psk: contents.psk, ticket: contents, mode: mode, offered: offered,
                               ageSkewMilliseconds: Int64(clientAge) - Int64(ourAge))
        }
        return nil
    }

    /// §4.2.11.2: the binder is an HMAC over the ClientHello up to the binders, keyed from the
    /// PSK: only a client that holds the PSK can make it, and it ties the PSK to this very
    /// ClientHello. "If this value is not present or does not validate, the server MUST abort
    /// the handshake" (decrypt_error, §6.2: "validate ... a PSK binder").
    func verifyBinder(_ psk: AcceptedPSK, clientHello bytes: [UInt8], early: EarlySecret, transcriptBefore: TranscriptHash) throws {
        let prefix = try Self.binderPrefix(of: bytes, binders: psk.offered.binders)
        var transcript = transcriptBefore
        transcript.append(prefix)
        let (_, matched) = early.binder(prefix: prefix, transcriptHash: transcript.current, received: psk.offered.binders[psk.index],
                                        external: psk.ticket == nil)
        events(.check("binder \(psk.index) proves the client holds the ticket's PSK", passed: matched == true, rule: "RFC 8446 §4.2.11.2: the binder is an HMAC over the ClientHello up to the binders, keyed from the PSK: only a client that holds the PSK can make it, and it ties the PSK to this very ClientHello. \"If this value is not present or does not validate, the server MUST abort the handshake\" (decrypt_error, §6.2: \"validate ... a PSK binder\")."))
        guard matched == true else {
            throw TLSError(.decryptError, "the PSK binder of identity \(psk.index) does not validate")
        }
    }

    /// §4.2.11.2 Truncate(ClientHello): the message without its binders list, which is last
    /// (pre_shared_key is the last extension, §4.2.11): 2 bytes of length and each binder with
    /// its length byte.
    static func binderPrefix(of clientHello: [UInt8], binders: [[UInt8]]) throws -> [UInt8] {
        let length = 2 + binders.reduce(0) { $0 + 1 + $1.count }
        guard length < clientHello.count else { throw TLSError(.decodeError, "the binders are longer than the ClientHello") }
        return Array(clientHello.prefix(clientHello.count - length))
    }

    /// §4.2.10: the server takes 0-RTT data only when every condition holds; otherwise it says
    /// nothing (no early_data in EncryptedExtensions) and skips the client's early records.
    /// The conditions: the client offered it, with the first PSK, which we accepted; the ticket
    /// allows it, under the same suite and ALPN protocol; no HelloRetryRequest came between;
    /// the client's ticket age is close to ours (§8.3); and this ClientHello was never
    /// accepted before (§8.2, the strike register).
    func acceptsEarlyData(_ hello: ClientHello, psk: AcceptedPSK?, parameters: CipherSuiteParameters, afterRetry: Bool) -> Bool {
        guard hello.extensions.first(.earlyData) != nil else { return false }
        let reason: String?
        if let psk, let ticket = psk.ticket {
            let skew = psk.ageSkewMilliseconds.magnitude
            if psk.index != 0 {
                reason = "it was sent with the first PSK, and we accepted another"
            } else if ticket.maxEarlyDataSize == 0 || configuration.maxEarlyDataSize == 0 {
                reason = "this server allows no early data (--early-data)"
            } else if ticket.cipherSuite != parameters.suite {
                reason = "the ticket's suite \(ticket.cipherSuite) is not this connection's"
            } else if ticket.applicationProtocol != (applicationProtocol ?? []) {
                reason = "the ALPN protocol differs from the ticket's"
            } else if afterRetry {
                reason = "a HelloRetryRequest came between"
            } else if skew > configuration.ticketAgeWindowMilliseconds {
                reason = "the client's ticket age is \(skew) ms off ours, outside the \(configuration.ticketAgeWindowMilliseconds) ms window (§8.3)"
            } else if let register = configuration.strikeRegister {
                switch register.record(psk.offered.binders[0], atMilliseconds: configuration.clock()) {
                case .fresh: reason = nil
                case .replayed: reason = "this ClientHello was accepted before: a replay (§8.2)"
                case .full: reason = "the anti-replay memory is full"
                }
            } else {
                reason = "no anti-replay memory is configured"
            }
        } else {
            reason = psk == nil ? "no PSK was accepted" : "we take 0-RTT only with our own tickets, not with an external PSK"
        }
        if let reason {
            events(.check("0-RTT early data accepted", passed: false))
            events(.note("declining the client's 0-RTT early data: \(reason); its records will fail to open and be skipped, and the handshake goes on in 1-RTT"))
            return false
        }
        events(.check("0-RTT early data accepted (first PSK, same suite and ALPN, fresh ticket age, never seen before)", passed: true))
        return true
    }

    /// §4.6.1: tickets after the handshake, each with a fresh ticket_nonce (so each has its own
    /// PSK) and ticket_age_add, sealed with everything resumption needs.
    func issueSessionTickets(_ established: Established) throws {
        guard let keys = configuration.ticketKeys, configuration.ticketCount > 0 else { return }
        let suite = established.suite
        for number in 0..<configuration.ticketCount {
            let nonce = [UInt8(truncatingIfNeeded: number)]
            let psk = established.resumptionMaster.resumptionSecret(ticketNonce: nonce)
            let ageAdd = try configuration.random.bytes(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let lifetime = min(configuration.ticketLifetime, 604_800)
            let contents = TicketContents(cipherSuite: suite.suite, issuedAtMilliseconds: configuration.clock(),
                                          ticketAgeAdd: ageAdd, ticketLifetime: lifetime,
                                          maxEarlyDataSize: configuration.maxEarlyDataSize, psk: psk,
                                          applicationProtocol: applicationProtocol ?? [],
                                          serverName: Array((requestedServerName ?? "").utf8))
            let ticket = try keys.seal(contents, random: configuration.random)
            events(.sessionTicket(.sent, contents: contents, ticket: ticket))
            let extensions = try configuration.maxEarlyDataSize > 0
                ? [Extension(.earlyData, EarlyDataIndication(maxEarlyDataSize: configuration.maxEarlyDataSize))] : []
            try queue(.newSessionTicket(NewSessionTicket(ticketLifetime: lifetime, ticketAgeAdd: ageAdd,
                                                         ticketNonce: nonce, ticket: ticket, extensions: extensions)))
        }
        try flushFlight()
    }
}
