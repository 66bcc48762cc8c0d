import TLSCrypto

/// The client's answer to a HelloRetryRequest (RFC 8446 §4.1.4): check what the server asks for,
/// make the share it names, restart the transcript from message_hash, and send ClientHello again.
extension TLSConnection {
    /// RFC 8446 §4.1.4 HelloRetryRequest: the server wants a different ClientHello.
    func readHelloRetryRequest(_ request: HelloRetryRequest, bytes: [UInt8], after sent: ClientHelloSent) throws -> HandshakeState {
        // §4.1.4: "If a client receives a second HelloRetryRequest in the same connection (i.e.,
        // where the ClientHello was itself in response to a HelloRetryRequest), it MUST abort the
        // handshake with an "unexpected_message" alert."
        guard case .firstHello(let clientHello1) = sent.transcript else {
            throw TLSError(.unexpectedMessage, "a second HelloRetryRequest")
        }
        let parameters = try checkServerHelloCommonFields(
            legacyVersion: request.legacyVersion, random: nil, legacySessionIDEcho: request.legacySessionIDEcho,
            cipherSuite: request.cipherSuite, extensions: request.extensions, context: .helloRetryRequest, sentHello: sent.hello,
            requireTLS13LegacyFields: request.requireTLS13LegacyFields)
        var keyShares = sent.keyShares
        // §4.2.8: "the client MUST verify that (1) the selected_group field corresponds to a group
        // which was provided in the "supported_groups" extension in the original ClientHello and
        // (2) the selected_group field does not correspond to a group which was provided in the
        // "key_share" extension in the original ClientHello. If either of these checks fails,
        // then the client MUST abort the handshake with an "illegal_parameter" alert."
        if let keyShare = try request.extensions.decode(.keyShare, as: KeyShareHelloRetryRequest.self) {
            let group = keyShare.selectedGroup
            let offered = offeredGroups.contains(group)
            let alreadyShared = sent.keyShares.contains { $0.group == group }
            events(.check("HelloRetryRequest asks for a group we offered but sent no share for (\(group))", passed: offered && !alreadyShared, rule: "RFC 8446 §4.2.8: \"the client MUST verify that (1) the selected_group field corresponds to a group which was provided in the \"supported_groups\" extension in the original ClientHello and (2) the selected_group field does not correspond to a group which was provided in the \"key_share\" extension in the original ClientHello. If either of these checks fails, then the client MUST abort the handshake with an \"illegal_parameter\" alert.\""))
            guard offered, !alreadyShared else {
                throw TLSError(.illegalParameter, offered
                    ? "HelloRetryRequest asks for \(group), whose share the ClientHello already carried"
                    : "HelloRetryRequest asks for \(group), which we did not offer")
            }
            let share = try Self.keyExchange(group).makeKeyShare(random: configuration.random, fixedPrivateKey: configuration.retryKeySharePrivateKey)
            events(.keyPair(group: share.group, privateKey: share.privateKey, publicKey: share.keyExchange))
            keyShares = [share]
        } else {
            // §4.1.4: "Clients MUST abort the handshake with an "illegal_parameter" alert if the
            // HelloRetryRequest would not result in any change in the ClientHello."
            guard request.extensions.first(.cookie) != nil else {
                throw TLSError(.illegalParameter, "HelloRetryRequest asks for nothing new (no key_share group, no cookie)")
            }
            events(.check("HelloRetryRequest asks us to repeat the ClientHello with its cookie", passed: true, rule: "RFC 8446 §4.1.4: \"Clients MUST abort the handshake with an \"illegal_parameter\" alert if the HelloRetryRequest would not result in any change in the ClientHello.\""))
        }
        // §4.2.2: the cookie goes back in the second ClientHello, whose extensions must still fit
        // "Extension extensions<8..2^16-1>" (§4.1.2). A cookie too long for that parsed, so it
        // is no decode_error; its value is inconsistent with the message it must travel in:
        // "illegal_parameter: A field in the handshake was incorrect or inconsistent with other
        // fields" (§6.2).
        if let cookie = request.extensions.first(.cookie) {
            let secondHelloExtensions = Extension.encodedLength(of: sent.hello.extensions + [cookie])
            guard secondHelloExtensions <= 0xffff else {
                events(.check("the HelloRetryRequest's cookie fits in our second ClientHello", passed: false, rule: "RFC 8446 §4.2.2: the cookie goes back in the second ClientHello, whose extensions must still fit \"Extension extensions<8..2^16-1>\" (§4.1.2). A cookie too long for that parsed, so it is no decode_error; its value is inconsistent with the message it must travel in: \"illegal_parameter: A field in the handshake was incorrect or inconsistent with other fields\" (§6.2)."))
                throw TLSError(.illegalParameter, "the HelloRetryRequest's cookie (\(cookie.data.count) bytes) would make the second ClientHello's extensions \(secondHelloExtensions) bytes, over 2^16-1")
            }
        }
        // §4.4.1: ClientHello1 is replaced by message_hash in the transcript.
        var transcript = transcriptAfterHelloRetry(algorithm: parameters.hash, clientHello1Hash: parameters.hash.hash(clientHello1),
                                                   fromCookie: false)
        transcript.append(bytes)
        return .expectServerHello(try sendClientHello(retrying: Retry(request: request, transcript: transcript, keyShares: keyShares,
                                                                         offeredSession: sent.offeredPSK?.session)))
    }
}
