import TLSCrypto

/// RFC 8446 §7.1 Key Schedule (with a PSK, the Early Secret extracts it, and the binder key and
/// the client early traffic secret come from it; see `EarlySecret`):
///
///                  0
///                  |
///                  v
///        0 ->  HKDF-Extract = Early Secret
///                  |
///                  v
///            Derive-Secret(., "derived", "")
///                  |
///                  v
///     (EC)DHE -> HKDF-Extract = Handshake Secret
///                  |
///                  +-----> Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
///                  |                     = client_handshake_traffic_secret
///                  +-----> Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
///                  |                     = server_handshake_traffic_secret
///                  v
///            Derive-Secret(., "derived", "")
///                  |
///                  v
///        0 -> HKDF-Extract = Master Secret
///                  |
///                  +-----> Derive-Secret(., "c ap traffic", ClientHello...server Finished)
///                  +-----> Derive-Secret(., "s ap traffic", ClientHello...server Finished)
///                  +-----> Derive-Secret(., "exp master", ClientHello...server Finished)
///                  +-----> Derive-Secret(., "res master", ClientHello...client Finished)
///
/// Each stage is its own type (`EarlySecret` → `HandshakeSecret` → `MasterSecret`), so a secret
/// can only be derived from the stage that owns it. `KeySchedule` holds what every stage shares:
/// the suite's hash and AEAD, and where the events of each step go.
public struct KeySchedule {
    public let parameters: CipherSuiteParameters
    public let events: EventSink

    public init(parameters: CipherSuiteParameters, events: EventSink) {
        self.parameters = parameters
        self.events = events
    }

    public var hash: HashAlgorithm { parameters.hash }

    /// RFC 8446 §7.1:
    ///
    ///     struct {
    ///         uint16 length = Length;
    ///         opaque label<7..255> = "tls13 " + Label;
    ///         opaque context<0..255> = Context;
    ///     } HkdfLabel;
    public static func hkdfLabel(_ label: String, context: [UInt8], length: Int) throws -> [UInt8] {
        var writer = ByteWriter(reservingCapacity: 10 + label.utf8.count + context.count)
        writer.u16(UInt16(length))
        try writer.lengthPrefixed(.u8) { $0.bytes(("tls13 " + label).utf8) }
        try writer.lengthPrefixed(.u8) { $0.bytes(context) }
        return writer.bytes
    }

    /// HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length);
    /// returns the HkdfLabel (RFC 8448's "info") with the output.
    public func expandLabel(_ secret: [UInt8], _ label: String, context: [UInt8], length: Int) -> (info: [UInt8], output: [UInt8]) {
        do {
            let info = try Self.hkdfLabel(label, context: context, length: length)
            return (info, try hash.expand(secret, info, length))
        } catch {
            // Every length the key schedule asks for is at most Hash.length, far below HKDF's
            // 255 × Hash.length ceiling, and every label and context fits its uint8 length (the
            // labels are ours; a context is a hash or a ticket_nonce<0..255>, bounded when it
            // was decoded): reaching this is a bug in this file, not peer input.
            preconditionFailure("HKDF-Expand-Label(\(label)) failed for \(length) bytes: \(error)")
        }
    }

    /// HKDF-Extract(salt, IKM), reported as RFC 8448's `extract secret "name"`.
    public func extract(_ stage: KeyScheduleStage, salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        let secret = hash.extract(salt, ikm)
        events(.extractSecret(stage: stage, salt: salt, ikm: ikm, secret: secret))
        return secret
    }

    /// Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length).
    /// `transcriptHash` is the already computed Transcript-Hash(Messages).
    public func deriveSecret(_ secret: [UInt8], _ label: String, transcriptHash: [UInt8], purpose: KeyScheduleStage? = nil) -> [UInt8] {
        let (info, derived) = expandLabel(secret, label, context: transcriptHash, length: hash.length)
        events(.deriveSecret(label: "tls13 " + label, purpose: purpose, prk: secret, hash: transcriptHash,
                             info: info, secret: derived))
        return derived
    }

    /// The first stage. Without a PSK both inputs are Hash.length zero bytes (RFC 8446 §7.1:
    /// "If a given secret is not available, then the 0-value consisting of a string of
    /// Hash.length bytes set to zeros is used").
    public func earlySecret() -> EarlySecret {
        let zeros = [UInt8](repeating: 0, count: hash.length)
        return EarlySecret(schedule: self, secret: extract(.early, salt: zeros, ikm: zeros))
    }

    /// Early Secret = HKDF-Extract(0, PSK): a resumption (RFC 8446 §7.1, §4.6.1).
    public func earlySecret(psk: [UInt8]) -> EarlySecret {
        let zeros = [UInt8](repeating: 0, count: hash.length)
        return EarlySecret(schedule: self, secret: extract(.early, salt: zeros, ikm: psk))
    }
}

/// RFC 8446 §7.1 Early Secret = HKDF-Extract(0, PSK or 0).
public struct EarlySecret {
    public let schedule: KeySchedule
    public let secret: [UInt8]

    /// binder_key = Derive-Secret(Early Secret, "res binder", "") for a ticket's PSK, "ext binder"
    /// for an external PSK (RFC 8446 §7.1), so a PSK of one kind can never pass as the other.
    public func resumptionBinderKey(external: Bool = false) -> [UInt8] {
        schedule.deriveSecret(secret, external ? "ext binder" : "res binder", transcriptHash: schedule.hash.hash([]))
    }

    /// RFC 8446 §4.2.11.2: binder = HMAC(finished_key, Transcript-Hash(Truncate(ClientHello)))
    /// where finished_key comes from binder_key as a Finished key does from its base key (§4.4.4).
    /// `received`: the client's binder, checked in constant time (nil computes ours).
    public func binder(prefix: [UInt8], transcriptHash: [UInt8], received: [UInt8]? = nil, external: Bool = false) -> (binder: [UInt8], matched: Bool?) {
        let binderKey = resumptionBinderKey(external: external)
        let (info, finishedKey) = schedule.expandLabel(binderKey, "finished", context: [], length: schedule.hash.length)
        let binder = schedule.hash.hmac(finishedKey, transcriptHash)
        let matched = received.map { constantTimeEquals(binder, $0) }
        schedule.events(.pskBinder(prefix: prefix, binderHash: transcriptHash, binderKey: binderKey, info: info,
                                   finishedKey: finishedKey, binder: binder, matched: matched))
        return (binder, matched)
    }

    /// client_early_traffic_secret = Derive-Secret(Early Secret, "c e traffic", ClientHello).
    public func clientEarlyTrafficSecret(transcriptHash: [UInt8]) -> TrafficSecret {
        TrafficSecret(schedule: schedule, secret: schedule.deriveSecret(secret, "c e traffic", transcriptHash: transcriptHash))
    }

    /// early_exporter_master_secret = Derive-Secret(Early Secret, "e exp master", ClientHello).
    public func earlyExporterMasterSecret(transcriptHash: [UInt8]) -> [UInt8] {
        schedule.deriveSecret(secret, "e exp master", transcriptHash: transcriptHash)
    }

    /// Handshake Secret = HKDF-Extract(Derive-Secret(Early Secret, "derived", ""), (EC)DHE shared secret).
    public func handshakeSecret(sharedSecret: [UInt8]) -> HandshakeSecret {
        let salt = schedule.deriveSecret(secret, "derived", transcriptHash: schedule.hash.hash([]), purpose: .handshake)
        return HandshakeSecret(schedule: schedule, secret: schedule.extract(.handshake, salt: salt, ikm: sharedSecret))
    }
}

/// RFC 8446 §7.1 Handshake Secret: the source of the handshake traffic secrets.
public struct HandshakeSecret {
    public let schedule: KeySchedule
    public let secret: [UInt8]

    /// client_handshake_traffic_secret = Derive-Secret(., "c hs traffic", ClientHello...ServerHello)
    public func clientHandshakeTrafficSecret(transcriptHash: [UInt8]) -> TrafficSecret {
        TrafficSecret(schedule: schedule, secret: schedule.deriveSecret(secret, "c hs traffic", transcriptHash: transcriptHash))
    }

    /// server_handshake_traffic_secret = Derive-Secret(., "s hs traffic", ClientHello...ServerHello)
    public func serverHandshakeTrafficSecret(transcriptHash: [UInt8]) -> TrafficSecret {
        TrafficSecret(schedule: schedule, secret: schedule.deriveSecret(secret, "s hs traffic", transcriptHash: transcriptHash))
    }

    /// Master Secret = HKDF-Extract(Derive-Secret(Handshake Secret, "derived", ""), 0).
    public func masterSecret() -> MasterSecret {
        let salt = schedule.deriveSecret(secret, "derived", transcriptHash: schedule.hash.hash([]), purpose: .master)
        let zeros = [UInt8](repeating: 0, count: schedule.hash.length)
        return MasterSecret(schedule: schedule, secret: schedule.extract(.master, salt: salt, ikm: zeros))
    }
}

/// RFC 8446 §7.1 Master Secret: the source of the application traffic, exporter and resumption secrets.
public struct MasterSecret {
    public let schedule: KeySchedule
    public let secret: [UInt8]

    /// client_application_traffic_secret_0 = Derive-Secret(., "c ap traffic", ClientHello...server Finished)
    public func clientApplicationTrafficSecret(transcriptHash: [UInt8]) -> TrafficSecret {
        TrafficSecret(schedule: schedule, secret: schedule.deriveSecret(secret, "c ap traffic", transcriptHash: transcriptHash))
    }

    /// server_application_traffic_secret_0 = Derive-Secret(., "s ap traffic", ClientHello...server Finished)
    public func serverApplicationTrafficSecret(transcriptHash: [UInt8]) -> TrafficSecret {
        TrafficSecret(schedule: schedule, secret: schedule.deriveSecret(secret, "s ap traffic", transcriptHash: transcriptHash))
    }

    /// exporter_master_secret = Derive-Secret(., "exp master", ClientHello...server Finished)
    public func exporterMasterSecret(transcriptHash: [UInt8]) -> [UInt8] {
        schedule.deriveSecret(secret, "exp master", transcriptHash: transcriptHash)
    }

    /// resumption_master_secret = Derive-Secret(., "res master", ClientHello...client Finished)
    public func resumptionMasterSecret(transcriptHash: [UInt8]) -> ResumptionMasterSecret {
        ResumptionMasterSecret(schedule: schedule,
                               secret: schedule.deriveSecret(secret, "res master", transcriptHash: transcriptHash))
    }
}

/// RFC 8446 §4.6.1: the secret a NewSessionTicket's PSK is derived from.
public struct ResumptionMasterSecret {
    public let schedule: KeySchedule
    public let secret: [UInt8]

    /// HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
    public func resumptionSecret(ticketNonce: [UInt8]) -> [UInt8] {
        let (info, psk) = schedule.expandLabel(secret, "resumption", context: ticketNonce, length: schedule.hash.length)
        schedule.events(.resumptionSecret(prk: secret, nonce: ticketNonce, info: info, secret: psk))
        return psk
    }
}

/// The key and IV one direction of the record layer uses (RFC 8446 §7.3).
public struct TrafficKeys {
    public let key: [UInt8]
    public let iv: [UInt8]

    public init(key: [UInt8], iv: [UInt8]) {
        self.key = key
        self.iv = iv
    }
}

/// A handshake or application traffic secret: what record keys, Finished keys and the next
/// generation of application secrets (KeyUpdate) come from.
public struct TrafficSecret {
    public let schedule: KeySchedule
    public let secret: [UInt8]
    /// 0 for a secret fresh from the key schedule, N after N KeyUpdates.
    public var generation: Int = 0

    public init(schedule: KeySchedule, secret: [UInt8], generation: Int = 0) {
        self.schedule = schedule
        self.secret = secret
        self.generation = generation
    }

    /// RFC 8446 §7.3:
    ///
    ///     [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
    ///     [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv", "", iv_length)
    ///
    /// `direction` and `epoch` only label the event.
    public func trafficKeys(_ direction: KeyDirection, epoch: TrafficEpoch) -> TrafficKeys {
        let parameters = schedule.parameters
        let (keyInfo, key) = schedule.expandLabel(secret, "key", context: [], length: parameters.keyLength)
        let (ivInfo, iv) = schedule.expandLabel(secret, "iv", context: [], length: parameters.ivLength)
        schedule.events(.trafficKeys(direction: direction, epoch: epoch, suite: parameters.suite, secret: secret,
                                     keyInfo: keyInfo, key: key, ivInfo: ivInfo, iv: iv))
        return TrafficKeys(key: key, iv: iv)
    }

    /// RFC 8446 §4.4.4:
    ///
    ///     finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
    ///     verify_data = HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))
    ///
    /// where this secret is the BaseKey. Computes our own Finished (`of` is our side).
    public func finishedVerifyData(of side: Side, transcriptHash: [UInt8]) -> [UInt8] {
        let (info, finishedKey, verifyData) = finished(transcriptHash: transcriptHash)
        schedule.events(.finished(of: side, baseKey: secret, hash: transcriptHash, info: info,
                                  finishedKey: finishedKey, verifyData: verifyData, matched: nil))
        return verifyData
    }

    /// Checks the peer's Finished.verify_data against the value we compute, in constant time
    /// (RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct").
    public func verifyFinished(of side: Side, transcriptHash: [UInt8], received: [UInt8]) -> Bool {
        let (info, finishedKey, verifyData) = finished(transcriptHash: transcriptHash)
        let matched = constantTimeEquals(verifyData, received)
        schedule.events(.finished(of: side, baseKey: secret, hash: transcriptHash, info: info,
                                  finishedKey: finishedKey, verifyData: verifyData, matched: matched))
        return matched
    }

    private func finished(transcriptHash: [UInt8]) -> (info: [UInt8], finishedKey: [UInt8], verifyData: [UInt8]) {
        let (info, finishedKey) = schedule.expandLabel(secret, "finished", context: [], length: schedule.hash.length)
        return (info, finishedKey, schedule.hash.hmac(finishedKey, transcriptHash))
    }

    /// RFC 8446 §7.2:
    ///
    ///     application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
    public func nextGeneration() -> TrafficSecret {
        let (_, next) = schedule.expandLabel(secret, "traffic upd", context: [], length: schedule.hash.length)
        return TrafficSecret(schedule: schedule, secret: next, generation: generation + 1)
    }
}
