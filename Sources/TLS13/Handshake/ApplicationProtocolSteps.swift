/// RFC 7301 ALPN, the two handshake steps: the server's choice while reading the ClientHello,
/// the client's check while reading EncryptedExtensions.
extension TLSConnection {
    /// Server, RFC 7301 §3.2: with a configured list, the first of ours the client offered, or
    /// no_application_protocol; without a list, or when the client offered none, no ALPN at all.
    /// Runs before the ServerHello, so the alert goes out in the clear as §3.2 expects.
    func selectApplicationProtocol(offeredIn hello: ClientHello) throws {
        let offered = try hello.extensions.decode(.applicationLayerProtocolNegotiation, as: ProtocolNameList.self)
        guard let offered, !configuration.applicationProtocols.isEmpty else { return }
        do {
            applicationProtocol = try ApplicationProtocolSelection.serverSelect(
                offered: offered, supported: configuration.applicationProtocols)
        } catch {
            events(.check("client offers an application protocol we speak (RFC 7301 §3.2)", passed: false, rule: Self.alpnServerRule))
            throw error
        }
        let name = applicationProtocol.map(ProtocolNameList.describe) ?? ""
        events(.check("ALPN: client offers \(name), selected (RFC 7301 §3.2)", passed: true, rule: Self.alpnServerRule))
    }

    /// Client, RFC 7301 §3.1: the server's answer names exactly one protocol, one we offered.
    func readSelectedApplicationProtocol(in message: EncryptedExtensions, sentHello: ClientHello) throws {
        guard let answer = try message.extensions.decode(.applicationLayerProtocolNegotiation, as: ProtocolNameList.self) else {
            return
        }
        let offered = try sentHello.extensions.decode(.applicationLayerProtocolNegotiation, as: ProtocolNameList.self)
        do {
            applicationProtocol = try ApplicationProtocolSelection.clientCheck(answer: answer, offered: offered)
        } catch {
            events(.check("server selected one application protocol we offered (RFC 7301 §3.1)", passed: false, rule: Self.alpnClientRule))
            throw error
        }
        let name = applicationProtocol.map(ProtocolNameList.describe) ?? ""
        events(.check("ALPN: server selected \(name), one we offered (RFC 7301 §3.1)", passed: true, rule: Self.alpnClientRule))
    }
}

// The RFC text behind this file's checks, shown with each check's outcome (TLSEvent.check).
extension TLSConnection {
    static let alpnServerRule = "RFC 7301 §3.2: with a configured list, the first of ours the client offered, or no_application_protocol; without a list, or when the client offered none, no ALPN at all. Runs before the ServerHello, so the alert goes out in the clear as §3.2 expects."
    static let alpnClientRule = "RFC 7301 §3.1: the server's answer names exactly one protocol, one we offered."
}
