import TLSCrypto

/// Steps both sides take around the key exchange: finding a group's implementation, turning a
/// bad peer share into the alert RFC 8446 names, and restarting the transcript after a
/// HelloRetryRequest.
extension TLSConnection {
    /// The implementation of a group this connection chose or was asked for; only implemented
    /// groups are ever offered or chosen.
    static func keyExchange(_ group: NamedGroup) throws -> any KeyExchangeGroup {
        guard let implementation = KeyExchangeGroups.named(group) else {
            throw TLSError(.internalError, "no implementation of \(group)")
        }
        return implementation
    }

    /// Runs a key exchange step on the peer's share. RFC 8446 §4.2.8.1-§4.2.8.2 define the shares'
    /// format and §7.4 the checks ("Peers MUST validate each other's public key"); a share that
    /// fails them is refused with illegal_parameter, as Go's crypto/tls does: the peer's
    /// parameter is unacceptable.
    static func sharedSecret<Result>(group: NamedGroup, peer: Side, _ step: () throws -> Result) throws -> Result {
        do {
            return try step()
        } catch let error as CryptoError {
            throw TLSError(.illegalParameter, "the \(peer)'s \(group) key share is unusable: \(error.reason)")
        }
    }

    /// RFC 8446 §4.4.1: after a HelloRetryRequest the transcript restarts from
    /// message_hash(ClientHello1). Reported, so a learner sees the synthetic message and the
    /// hash before and after; `fromCookie` when a stateless server rebuilt it (§4.2.2).
    func transcriptAfterHelloRetry(algorithm: HashAlgorithm, clientHello1Hash: [UInt8], fromCookie: Bool) -> TranscriptHash {
        let transcript = TranscriptHash(algorithm: algorithm, messageHashOf: clientHello1Hash)
        events(.transcriptRewrite(clientHello1Hash: clientHello1Hash,
                                  message: TranscriptHash.messageHashMessage(clientHello1Hash: clientHello1Hash),
                                  transcriptHash: transcript.current, fromCookie: fromCookie))
        return transcript
    }
}

extension TLSConnection {
    /// One RFC MUST, one line: when `condition` fails the handshake ends with `alert` (RFC 8446
    /// §6.2). With `check`, the trace also shows the check and its outcome, and `rule` is the
    /// RFC text behind it (shown by the HTML page).
    func require(_ condition: Bool, _ alert: AlertDescription, _ failure: @autoclosure () -> String,
                 check: String? = nil, rule: String? = nil) throws {
        if let check { events(.check(check, passed: condition, rule: rule)) }
        guard condition else { throw TLSError(alert, failure()) }
    }
}
