import Foundation
import Testing
import TLS13
import TLSCrypto

/// RFC 8446 §4.1.4 HelloRetryRequest, §4.1.2 the second ClientHello, §4.2.2 the stateless
/// server's cookie, §4.4.1 the message_hash transcript rewrite.
@Suite("HelloRetryRequest: second ClientHello and stateless cookie")
struct HelloRetryTests {
    static let cookieKey = [UInt8](repeating: 0x5c, count: 32)

    var tls13Only: Extension { get throws { try Extension(.supportedVersions, SupportedVersionsClientHello(versions: [.tls13])) } }
    var x25519Group: Extension { get throws { try Extension(.supportedGroups, NamedGroupList([.x25519])) } }
    var pssSHA256: Extension { get throws { try Extension(.signatureAlgorithms, SignatureSchemeList([.rsaPSSRSAESHA256])) } }
    var noShare: Extension { get throws { try Extension(.keyShare, KeyShareClientHello(clientShares: [])) } }

    func share(_ seed: UInt8) throws -> KeyShareEntry {
        KeyShareEntry(group: .x25519, keyExchange: try X25519.publicKey(privateKey: [UInt8](repeating: seed, count: 32)))
    }

    func keyShare(_ entries: [KeyShareEntry]) throws -> Extension {
        try Extension(.keyShare, KeyShareClientHello(clientShares: entries))
    }

    func clientHello(random: UInt8 = 0xab, _ extensions: [Extension]) -> ClientHello {
        ClientHello(random: [UInt8](repeating: random, count: 32), legacySessionID: [UInt8](repeating: 0x11, count: 32),
                    cipherSuites: [.aes128GCMSHA256], extensions: extensions)
    }

    func record(_ hello: ClientHello) throws -> [UInt8] { try plaintextRecord(.clientHello(hello)) }

    /// The HelloRetryRequest in what the server wrote (its first record).
    func helloRetryRequest(in written: [UInt8]) throws -> HelloRetryRequest? {
        guard let first = splitRecords(written).first,
              case .helloRetryRequest(let request) = try HandshakeMessage(decoding: Array(first[5...]), finishedLength: 32) else { return nil }
        return request
    }

    /// A server that has answered `first` with a HelloRetryRequest; returns it with its cookie.
    func retried(stateless: Bool, first: ClientHello, key: [UInt8] = cookieKey) throws -> (ConnectionPair, cookie: [UInt8]?) {
        let pair = try ConnectionPair(server: { if stateless { $0.statelessRetryKey = key } })
        try pair.server.start()
        try pair.server.receive(record(first))
        let request = try #require(try helloRetryRequest(in: pair.server.takeOutgoing()))
        return (pair, try request.extensions.decode(.cookie, as: Cookie.self)?.cookie)
    }

    func alert(_ pair: ConnectionPair, _ hello: ClientHello) -> AlertDescription? {
        do {
            try pair.server.receive(record(hello))
            return nil
        } catch {
            return (error as? TLSError)?.alert
        }
    }

    @Test("RFC 8446 §4.2.2: a stateless server (--retry) retries with a cookie and completes with our client; both rewrite the transcript alike")
    func statelessRetryWithOurClient() throws {
        let pair = try ConnectionPair(server: { $0.statelessRetryKey = Self.cookieKey })
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        let sentRetry = pair.serverLog.events.contains {
            if case .handshakeMessage(.sent, .serverHello, let bytes, _) = $0 { bytes.count > 38 && Array(bytes[6..<38]) == HelloRetryRequest.specialRandom } else { false }
        }
        #expect(sentRetry)
        func rewrites(_ log: EventLog) -> [([UInt8], [UInt8], Bool)] {
            log.events.compactMap {
                if case .transcriptRewrite(_, let message, let after, let fromCookie) = $0 { (message, after, fromCookie) } else { nil }
            }
        }
        let server = rewrites(pair.serverLog)
        let client = rewrites(pair.clientLog)
        // The server rewrites when it sends the retry and again from the cookie; the client once.
        #expect(server.map(\.2) == [false, true])
        #expect(client.map(\.2) == [false])
        #expect(server.count == 2 && client.count == 1 && server[1].0 == client[0].0 && server[1].1 == client[0].1)
        #expect(client.first.map { $0.0.count == 4 + 32 && $0.0[0] == 254 && $0.0[3] == 32 } == true)
    }

    @Test("RFC 8446 §4.2.2: stateless retry asks only for the cookie when the client's x25519 share is already there (§4.2.8)")
    func statelessRetryKeepsShare() throws {
        let first = clientHello([try tls13Only, try x25519Group, try pssSHA256, try keyShare([try share(0x42)])])
        let (pair, cookie) = try retried(stateless: true, first: first)
        let cookieValue = try #require(cookie)
        var second = first
        second.extensions.append(try Extension(.cookie, Cookie(cookieValue)))
        try pair.server.receive(record(second))
        let flight = splitRecords(pair.server.takeOutgoing())
        #expect(flight.count >= 2 && flight[0][0] == 22 && flight.last?[0] == 23)
        #expect(pair.serverLog.checks.contains { $0.0.hasPrefix("the cookie is one this server made") && $0.1 })
    }

    @Test("RFC 8446 §4.2.2: a missing cookie → missing_extension; a forged or altered cookie → illegal_parameter")
    func cookieChecks() throws {
        let first = clientHello([try tls13Only, try x25519Group, try pssSHA256, try keyShare([try share(0x42)])])
        let (missing, _) = try retried(stateless: true, first: first)
        #expect(alert(missing, first) == .missingExtension)

        let (altered, cookie) = try retried(stateless: true, first: first)
        var flipped = try #require(cookie)
        flipped[flipped.count / 2] ^= 1
        var second = first
        second.extensions.append(try Extension(.cookie, Cookie(flipped)))
        #expect(alert(altered, second) == .illegalParameter)

        // A cookie from a server with another key is not ours either.
        let (other, _) = try retried(stateless: true, first: first)
        let foreign = try #require(try retried(stateless: true, first: first, key: [UInt8](repeating: 0x77, count: 32)).cookie)
        var withForeign = first
        withForeign.extensions.append(try Extension(.cookie, Cookie(foreign)))
        #expect(alert(other, withForeign) == .illegalParameter)
    }

    @Test("RFC 8446 §4.1.2: a second ClientHello changed beyond the allowed edits → illegal_parameter (stateful and stateless)",
          arguments: [false, true])
    func secondClientHelloMustMatch(stateless: Bool) throws {
        let first = clientHello([try tls13Only, try x25519Group, try pssSHA256, try noShare])
        func second(random: UInt8 = 0xab, _ extra: [Extension] = [], shares: [KeyShareEntry]? = nil, cookie: [UInt8]?) throws -> ClientHello {
            var extensions = [try tls13Only, try x25519Group, try pssSHA256, try keyShare(try shares ?? [share(0x42)])] + extra
            if let cookie { extensions.append(try Extension(.cookie, Cookie(cookie))) }
            return clientHello(random: random, extensions)
        }
        // The allowed edits: the share asked for, the cookie, padding.
        let (good, goodCookie) = try retried(stateless: stateless, first: first)
        #expect(alert(good, try second([Extension(type: .padding, data: [0, 0, 0])], cookie: goodCookie)) == nil)

        let (otherRandom, cookie1) = try retried(stateless: stateless, first: first)
        #expect(alert(otherRandom, try second(random: 0xac, cookie: cookie1)) == .illegalParameter)

        let (addedExtension, cookie2) = try retried(stateless: stateless, first: first)
        let serverName = try Extension(.serverName, ServerNameList(hostName: "localhost"))
        #expect(alert(addedExtension, try second([serverName], cookie: cookie2)) == .illegalParameter)

        // §4.2.8: exactly one share, of the group asked for.
        let (twoShares, cookie3) = try retried(stateless: stateless, first: first)
        #expect(alert(twoShares, try second(shares: [share(0x42), share(0x43)], cookie: cookie3)) == .illegalParameter)

        // §4.2.10: no early_data in the second ClientHello.
        let (earlyData, cookie4) = try retried(stateless: stateless, first: first)
        #expect(alert(earlyData, try second([Extension(.earlyData, EmptyExtensionData())], cookie: cookie4)) == .illegalParameter)

        if !stateless {
            // A cookie the HelloRetryRequest never sent is a change too.
            let (unasked, _) = try retried(stateless: false, first: first)
            #expect(alert(unasked, try second(cookie: [1, 2, 3])) == .illegalParameter)
        }
    }
}
