import TLSCrypto

/// The key-schedule steps both sides take (RFC 8446 §7.1, §7.3), in the order they run: the
/// handshake secrets, installing a traffic key, the application secrets, and the end of the
/// handshake.
extension TLSConnection {
    /// RFC 8446 §7.3: a traffic secret becomes the record key of one direction, in one call:
    /// the key and IV are derived (and reported), and the record layer switches to them.
    /// `beforeSwitching` runs between the two (what must still go out under the old key).
    func install(_ direction: KeyDirection, _ secret: TrafficSecret, epoch: TrafficEpoch,
                 suite: CipherSuiteParameters, beforeSwitching: () -> Void = {}) throws {
        let keys = secret.trafficKeys(direction, epoch: epoch)
        beforeSwitching()
        let protection = try RecordProtection(parameters: suite, keys: keys, epoch: epoch)
        switch direction {
        case .read: try records.changeReadKey(to: protection)
        case .write: records.changeWriteKey(to: protection)
        }
    }

    /// RFC 8446 §7.1: from the shared secret to the handshake traffic secrets and the master
    /// secret. Used by both sides once ClientHello and ServerHello are in `transcript`.
    func deriveHandshakeKeys(suite: CipherSuiteParameters, transcript: TranscriptHash,
                             earlySecret: EarlySecret, sharedSecret: [UInt8]) -> HandshakeKeys {
        if let keyExchangeGroup { events(.sharedSecret(group: keyExchangeGroup, secret: sharedSecret)) }
        let handshakeSecret = earlySecret.handshakeSecret(sharedSecret: sharedSecret)
        let helloHash = transcript.current
        let client = handshakeSecret.clientHandshakeTrafficSecret(transcriptHash: helloHash)
        let server = handshakeSecret.serverHandshakeTrafficSecret(transcriptHash: helloHash)
        let master = handshakeSecret.masterSecret()
        keyLog("CLIENT_HANDSHAKE_TRAFFIC_SECRET", client)
        keyLog("SERVER_HANDSHAKE_TRAFFIC_SECRET", server)
        return HandshakeKeys(suite: suite, transcript: transcript, client: client, server: server, master: master)
    }

    /// RFC 8446 §7.3: the handshake keys of both directions, the one used first first: the server
    /// writes its flight, the client reads it.
    /// With `earlyTrafficSecret` (0-RTT accepted or sent), the client-to-server direction keeps
    /// the client early traffic key until EndOfEarlyData (RFC 8446 §4.2.10, §4.5).
    func installHandshakeKeys(_ keys: HandshakeKeys, earlyTrafficSecret: TrafficSecret? = nil) throws {
        switch side {
        case .server:
            try install(.write, keys.server, epoch: .handshake, suite: keys.suite)
            if let earlyTrafficSecret {
                try install(.read, earlyTrafficSecret, epoch: .early, suite: keys.suite)
            } else {
                try install(.read, keys.client, epoch: .handshake, suite: keys.suite)
            }
        case .client:
            try install(.read, keys.server, epoch: .handshake, suite: keys.suite)
            if earlyTrafficSecret == nil { try install(.write, keys.client, epoch: .handshake, suite: keys.suite) }
        }
    }

    /// The client-to-server direction moves from the early key to the handshake key, after
    /// EndOfEarlyData (RFC 8446 §4.5).
    func installClientHandshakeKeyAfterEarlyData(_ keys: HandshakeKeys) throws {
        try install(side == .client ? .write : .read, keys.client, epoch: .handshake, suite: keys.suite)
    }

    /// RFC 8446 §7.1: the application traffic and exporter secrets, from the transcript through
    /// the server's Finished. Both sides call this at that point.
    func deriveApplicationSecrets(_ keys: HandshakeKeys) -> ApplicationSecrets {
        let hash = keys.transcript.current
        let client = keys.master.clientApplicationTrafficSecret(transcriptHash: hash)
        let server = keys.master.serverApplicationTrafficSecret(transcriptHash: hash)
        let exporter = keys.master.exporterMasterSecret(transcriptHash: hash)
        keyLog("CLIENT_TRAFFIC_SECRET_0", client)
        keyLog("SERVER_TRAFFIC_SECRET_0", server)
        events(.keyLog(label: "EXPORTER_SECRET", clientRandom: clientRandom, secret: exporter))
        return side == .client ? ApplicationSecrets(read: server, write: client) : ApplicationSecrets(read: client, write: server)
    }

    /// RFC 8446 §7.1: the handshake ends with the client's Finished in the transcript; the
    /// resumption master secret is derived from it, and application data may flow both ways.
    func establish(_ keys: HandshakeKeys, application: ApplicationSecrets, postHandshakeAuthOffered: Bool) -> Established {
        Established(suite: keys.suite, transcript: keys.transcript, application: application,
                    resumptionMaster: keys.master.resumptionMasterSecret(transcriptHash: keys.transcript.current),
                    postHandshakeAuthOffered: postHandshakeAuthOffered)
    }

    /// The handshake is over: reported once `state` is `.connected`.
    func completeHandshake() {
        guard let suite = state.suite else { return }
        events(.handshakeComplete(suite: suite.suite, group: keyExchangeGroup, signatureScheme: signatureScheme,
                                  resumed: acceptedPSKIndex != nil))
    }
}
