import TLSCrypto

/// The client's side of resumption (RFC 8446 §2.2) and 0-RTT (§2.3), one method per step:
///
///     offerPreSharedKey     psk_key_exchange_modes, early_data and pre_shared_key (with its
///                           binder) at the end of the ClientHello (§4.2.9-11)
///     sendEarlyData         the 0-RTT data under the client early traffic key (§2.3)
///     readPreSharedKey      what the ServerHello accepted (§4.2.11)
///     sendEndOfEarlyData    after the server's Finished, when the early data was accepted (§4.5)
///     readNewSessionTicket  each ticket becomes a session to resume later (§4.6.1)
extension TLSConnection {
    /// The configured session, when it can be offered now: unexpired, for this server, and for
    /// a suite we offer (§4.6.1, §4.2.11).
    private func usableSession() -> ResumptionSession? {
        guard let session = configuration.resumptionSession else { return nil }
        let now = configuration.clock()
        guard session.isValid(atMilliseconds: now) else {
            events(.note("the saved session has expired (lifetime \(session.ticketLifetime) s): a full handshake"))
            return nil
        }
        if let name = configuration.serverName, name != session.serverName {
            events(.note("the saved session is for \"\(session.serverName)\", not \"\(name)\": a full handshake"))
            return nil
        }
        guard offeredCipherSuites.contains(session.cipherSuite), CipherSuiteParameters(session.cipherSuite) != nil else {
            events(.note("the saved session's suite \(session.cipherSuite) is not one we offer: a full handshake"))
            return nil
        }
        return session
    }

    /// Adds the PSK offer to a ClientHello's extensions and computes its binder. For a second
    /// ClientHello, `retrying` is the session the first offered and the transcript before it
    /// (message_hash and the HelloRetryRequest, which its binder covers, §4.2.11.2).
    func offerPreSharedKey(_ extensions: inout [Extension], retrying: (session: ResumptionSession?, transcript: TranscriptHash)?,
                           makeHello: ([Extension]) -> ClientHello) throws -> ClientHelloSent.OfferedPSK? {
        let isRetry = retrying != nil
        guard let session = retrying.map({ $0.session }) ?? usableSession(),
              let parameters = CipherSuiteParameters(session.cipherSuite) else { return nil }
        // A configured ClientHello (RFC 8448 §4) names its own identity and age; only the binder is ours.
        let configuredIdentity = try extensions.decode(.preSharedKey, as: PreSharedKeyClientHello.self)?.identities.first
        extensions.removeAll { $0.type == .preSharedKey }
        if extensions.first(.pskKeyExchangeModes) == nil {
            // §4.2.9: psk_dhe_ke only: a resumption keeps forward secrecy.
            extensions.append(try Extension(.pskKeyExchangeModes, PSKKeyExchangeModes(keModes: [.pskDHEKE])))
        }
        // §4.2.10: early data only in the first ClientHello, with a ticket that allows it, for
        // the ALPN protocol of the ticket's connection.
        let alpnMatches = session.applicationProtocol == configuration.applicationProtocols.first
            || (session.applicationProtocol == nil && configuration.applicationProtocols.isEmpty)
        if !isRetry, let data = configuration.earlyData, !data.isEmpty {
            if session.maxEarlyDataSize == 0 {
                events(.note("the ticket allows no early data (no early_data in its NewSessionTicket): the data waits for the handshake"))
            } else if data.count > Int(session.maxEarlyDataSize) {
                events(.note("\(data.count) bytes of early data exceed the ticket's max_early_data_size (\(session.maxEarlyDataSize)): the data waits for the handshake"))
            } else if !alpnMatches {
                events(.note("the ALPN protocol differs from the ticket's: no early data"))
            } else if extensions.first(.earlyData) == nil {
                extensions.append(try Extension(.earlyData, EmptyExtensionData()))
            }
        }
        let now = configuration.clock()
        let identity = configuredIdentity ?? PreSharedKeyClientHello.PSKIdentity(identity: session.ticket,
                                                                                 obfuscatedTicketAge: session.obfuscatedTicketAge(atMilliseconds: now))
        events(.note("offering a ticket (resumption, RFC 8446 §2.2): its age is \(now &- session.receivedAtMilliseconds) ms, sent as (age + ticket_age_add) mod 2^32 = \(identity.obfuscatedTicketAge) so observers cannot link the two connections"))
        // The binder covers the ClientHello up to the binders, so it is computed over the message
        // with a placeholder of the right length, then put in (§4.2.11.2).
        let placeholder = [UInt8](repeating: 0, count: parameters.hash.length)
        extensions.append(try Extension(.preSharedKey, PreSharedKeyClientHello(identities: [identity], binders: [placeholder])))
        let encoded = try HandshakeMessage.clientHello(makeHello(extensions)).encoded
        let prefix = try Self.binderPrefix(of: encoded, binders: [placeholder])
        var binderTranscript = retrying?.transcript ?? TranscriptHash(algorithm: parameters.hash)
        binderTranscript.append(prefix)
        let early = KeySchedule(parameters: parameters, events: events).earlySecret(psk: session.psk)
        let (binder, _) = early.binder(prefix: prefix, transcriptHash: binderTranscript.current)
        extensions[extensions.count - 1] = try Extension(.preSharedKey, PreSharedKeyClientHello(identities: [identity], binders: [binder]))
        return ClientHelloSent.OfferedPSK(session: session, earlySecret: early)
    }

    /// §2.3: with early_data offered, the 0-RTT data goes right after the ClientHello, under
    /// client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).
    /// Returns the early traffic secret, or nil when no early data went out.
    func sendEarlyData(_ hello: ClientHello, bytes: [UInt8], psk: ClientHelloSent.OfferedPSK?) throws -> TrafficSecret? {
        guard hello.extensions.first(.earlyData) != nil, let data = configuration.earlyData,
              let early = psk?.earlySecret else { return nil }
        let hash = early.schedule.hash.hash(bytes)
        let secret = early.clientEarlyTrafficSecret(transcriptHash: hash)
        _ = early.earlyExporterMasterSecret(transcriptHash: hash)
        keyLog("CLIENT_EARLY_TRAFFIC_SECRET", secret)
        // §D.4: with early data, the compatibility change_cipher_spec follows the ClientHello at once.
        try install(.write, secret, epoch: .early, suite: early.schedule.parameters, beforeSwitching: sendChangeCipherSpecForCompatibility)
        try send(earlyData: data)
        resumption.sentEarlyData = data
        return secret
    }

    /// ServerHello's pre_shared_key: which Early Secret the key schedule continues from.
    /// §4.2.11: "Clients MUST verify that the server's selected_identity is within the range
    /// supplied by the client, that the server selected a cipher suite indicating a Hash
    /// associated with the PSK, and that a server "key_share" extension is present if required
    /// by the ClientHello "psk_key_exchange_modes" extension" (illegal_parameter).
    func readPreSharedKey(_ hello: ServerHello, parameters: CipherSuiteParameters, offered: ClientHelloSent.OfferedPSK?) throws -> EarlySecret {
        guard let selected = try hello.extensions.decode(.preSharedKey, as: PreSharedKeyServerHello.self) else {
            if offered != nil {
                events(.note("the server declined our ticket: a full handshake (with certificate) follows"))
            }
            // §7.1: without a PSK, Early Secret = HKDF-Extract(0, 0).
            return KeySchedule(parameters: parameters, events: events).earlySecret()
        }
        guard let session = offered?.session, let early = offered?.earlySecret, selected.selectedIdentity == 0 else {
            throw TLSError(.illegalParameter, "ServerHello selects PSK identity \(selected.selectedIdentity), which we did not offer")
        }
        guard let ticketSuite = CipherSuiteParameters(session.cipherSuite), ticketSuite.hash.name == parameters.hash.name else {
            throw TLSError(.illegalParameter, "ServerHello selects \(parameters.suite), whose hash is not the PSK's")
        }
        events(.check("server accepts our ticket (pre_shared_key selected_identity 0): resumption, no certificate this time", passed: true))
        acceptedPSKIndex = 0
        // The same Early Secret, now under the negotiated suite's key and IV lengths.
        return EarlySecret(schedule: KeySchedule(parameters: parameters, events: events), secret: early.secret)
    }

    /// EncryptedExtensions' early_data: the server took our 0-RTT data (§4.2.10). Without it,
    /// our early records were skipped, and the data must be sent again after the handshake.
    func readEarlyDataAcceptance(_ message: EncryptedExtensions, _ state: inout ClientKeysEstablished) throws {
        guard state.earlyData != nil else { return }
        let accepted = message.extensions.first(.earlyData) != nil
        resumption.earlyDataAccepted = accepted
        state.earlyDataAccepted = accepted
        events(.check("server accepts our 0-RTT early data (early_data in EncryptedExtensions)", passed: accepted, rule: "RFC 8446 §4.2.10: a server that accepts early data sends an early_data extension in EncryptedExtensions; without it our early records were skipped, and the data must be sent again after the handshake."))
        if !accepted {
            events(.note("the \(resumption.sentEarlyData.count) bytes of early data were not accepted: they go again after the handshake"))
            // No EndOfEarlyData then: our handshake key takes over now (anything we write from
            // here, an alert included, must be readable by the server).
            try installClientHandshakeKeyAfterEarlyData(state.keys)
        }
    }

    /// §4.5: after the server's Finished, EndOfEarlyData under the early key, then our handshake
    /// key for the rest of the flight. Without accepted early data, the handshake key takes over
    /// from the early key right away (§4.2.10: no EndOfEarlyData then).
    func finishEarlyData(_ state: ClientKeysEstablished, transcript: inout TranscriptHash) throws {
        guard state.earlyDataAccepted else { return }
        try queue(.endOfEarlyData, into: &transcript)
        try flushFlight()
        try installClientHandshakeKeyAfterEarlyData(state.keys)
    }

    /// §4.6.1: a ticket, with the PSK it stands for: HKDF-Expand-Label(resumption_master_secret,
    /// "resumption", ticket_nonce, Hash.length).
    func readNewSessionTicket(_ ticket: NewSessionTicket, _ established: Established) throws {
        let suite = established.suite
        // §4.6.1: "Servers MUST NOT use any value greater than 604800 seconds (7 days)".
        guard ticket.ticketLifetime <= 604_800 else {
            throw TLSError(.illegalParameter, "NewSessionTicket lifetime \(ticket.ticketLifetime) s is over 7 days")
        }
        let psk = established.resumptionMaster.resumptionSecret(ticketNonce: ticket.ticketNonce)
        let maxEarly = try ticket.extensions.decode(.earlyData, as: EarlyDataIndication.self)?.maxEarlyDataSize ?? 0
        let session = ResumptionSession(cipherSuite: suite.suite, psk: psk, ticket: ticket.ticket, ticketAgeAdd: ticket.ticketAgeAdd,
                                        ticketLifetime: ticket.ticketLifetime, receivedAtMilliseconds: configuration.clock(),
                                        maxEarlyDataSize: maxEarly, serverName: configuration.serverName ?? "",
                                        applicationProtocol: negotiatedApplicationProtocol)
        resumption.sessions.append(session)
        events(.note("ticket \(resumption.sessions.count) kept (lifetime \(ticket.ticketLifetime) s\(maxEarly > 0 ? ", up to \(maxEarly) bytes of 0-RTT" : ", no 0-RTT")): --sess-out saves it, --sess-in offers it next time"))
    }
}
