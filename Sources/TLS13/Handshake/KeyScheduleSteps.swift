import TLSCrypto

/// The key-schedule steps both sides take (RFC 8446 §7.1, §7.3), in the order they run: the
/// early secret, the handshake secrets and keys (with the early key kept for 0-RTT), the
/// application secrets, and the end of the handshake.
extension TLSConnection {
    /// RFC 8446 §7.1 Early Secret = HKDF-Extract(0, 0) without a PSK: it needs only the suite's
    /// hash. (With a PSK, `KeySchedule.earlySecret(psk:)` gives it, and the binders are checked
    /// with it: Resumption/.)
    func earlySecret() -> EarlySecret {
        guard let suite else { preconditionFailure("early secret before the suite is known") }
        return KeySchedule(parameters: suite, events: events).earlySecret()
    }

    /// RFC 8446 §7.1: from the shared secret to the handshake traffic secrets and the master
    /// secret. Used by both sides once ClientHello and ServerHello are in the transcript.
    func deriveHandshakeSecrets(earlySecret: EarlySecret, sharedSecret: [UInt8]) {
        guard let transcript else { preconditionFailure("handshake secrets without a transcript") }
        if let keyExchangeGroup { events(.sharedSecret(group: keyExchangeGroup, secret: sharedSecret)) }
        let handshakeSecret = earlySecret.handshakeSecret(sharedSecret: sharedSecret)
        let helloHash = transcript.current
        let client = handshakeSecret.clientHandshakeTrafficSecret(transcriptHash: helloHash)
        let server = handshakeSecret.serverHandshakeTrafficSecret(transcriptHash: helloHash)
        clientHandshakeTrafficSecret = client
        serverHandshakeTrafficSecret = server
        masterSecret = handshakeSecret.masterSecret()
        keyLog("CLIENT_HANDSHAKE_TRAFFIC_SECRET", client)
        keyLog("SERVER_HANDSHAKE_TRAFFIC_SECRET", server)
    }

    /// RFC 8446 §7.3: the handshake keys of both directions, the one used first first: the server
    /// writes its flight, the client reads it.
    /// With `earlyTrafficSecret` (0-RTT accepted or sent), the client-to-server direction keeps
    /// the client early traffic key until EndOfEarlyData (RFC 8446 §4.2.10, §4.5).
    func installHandshakeKeys(earlyTrafficSecret: TrafficSecret? = nil) throws {
        guard let suite, let clientHandshakeTrafficSecret, let serverHandshakeTrafficSecret else {
            preconditionFailure("handshake keys before the handshake secrets")
        }
        let (mine, theirs) = side == .client
            ? (clientHandshakeTrafficSecret, serverHandshakeTrafficSecret)
            : (serverHandshakeTrafficSecret, clientHandshakeTrafficSecret)
        func installWriteKey() throws {
            let keys = mine.trafficKeys(usage: "write", epoch: "handshake data")
            records.changeWriteKey(to: try RecordProtection(parameters: suite, keys: keys, epoch: "handshake"))
        }
        func installReadKey() throws {
            let keys = theirs.trafficKeys(usage: "read", epoch: "handshake data")
            try records.changeReadKey(to: RecordProtection(parameters: suite, keys: keys, epoch: "handshake"))
        }
        if side == .server {
            try installWriteKey()
            if let earlyTrafficSecret {
                let keys = earlyTrafficSecret.trafficKeys(usage: "read", epoch: "early application data")
                try records.changeReadKey(to: RecordProtection(parameters: suite, keys: keys, epoch: "early data"))
            } else {
                try installReadKey()
            }
        } else {
            try installReadKey()
            if earlyTrafficSecret == nil { try installWriteKey() }
        }
    }

    /// The client-to-server direction moves from the early key to the handshake key, after
    /// EndOfEarlyData (RFC 8446 §4.5).
    func installClientHandshakeKeyAfterEarlyData() throws {
        guard let suite, let clientHandshakeTrafficSecret else { preconditionFailure("handshake keys before the handshake secrets") }
        let keys = clientHandshakeTrafficSecret.trafficKeys(usage: side == .client ? "write" : "read", epoch: "handshake data")
        let protection = try RecordProtection(parameters: suite, keys: keys, epoch: "handshake")
        if side == .client { records.changeWriteKey(to: protection) } else { try records.changeReadKey(to: protection) }
    }

    /// RFC 8446 §7.1: the application traffic and exporter secrets, from the transcript through
    /// the server's Finished. Both sides call this at that point.
    func deriveApplicationSecrets() {
        guard let masterSecret, let transcript else { preconditionFailure("master secret missing") }
        let hash = transcript.current
        let client = masterSecret.clientApplicationTrafficSecret(transcriptHash: hash)
        let server = masterSecret.serverApplicationTrafficSecret(transcriptHash: hash)
        let exporter = masterSecret.exporterMasterSecret(transcriptHash: hash)
        keyLog("CLIENT_TRAFFIC_SECRET_0", client)
        keyLog("SERVER_TRAFFIC_SECRET_0", server)
        events(.keyLog(label: "EXPORTER_SECRET", clientRandom: clientRandom, secret: exporter))
        (writeApplicationSecret, readApplicationSecret) = side == .client ? (client, server) : (server, client)
    }

    /// The handshake is over: application data may flow both ways.
    func completeHandshake() {
        guard let suite else { preconditionFailure("handshake complete without a suite") }
        state = .connected
        events(.handshakeComplete(suite: suite.suite, group: keyExchangeGroup, signatureScheme: signatureScheme,
                                  resumed: acceptedPSKIndex != nil))
    }
}
