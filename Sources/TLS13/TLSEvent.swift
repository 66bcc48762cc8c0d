import TLSCrypto

/// Which end of a connection.
public enum Side: String, Hashable, Sendable, CustomStringConvertible {
    case client, server

    public var peer: Side { self == .client ? .server : .client }
    public var description: String { rawValue }
}

/// Whether bytes or a message went out or came in, seen from the side that reports it.
public enum Direction: String, Hashable, Sendable {
    case sent, received
}

/// A node of a message's field tree, as a learner reads it: the RFC's field name, its value in
/// words, and the exact bytes that encode it (empty for a node that only groups children).
///
///     cipher_suite: TLS_CHACHA20_POLY1305_SHA256 (0x1303)    13 03
public struct TraceField: Hashable, Sendable {
    public var name: String
    public var value: String
    public var bytes: [UInt8]
    public var children: [TraceField]

    public init(_ name: String, _ value: String = "", bytes: [UInt8] = [], children: [TraceField] = []) {
        self.name = name
        self.value = value
        self.bytes = bytes
        self.children = children
    }
}

/// One record as it crossed the wire (RFC 8446 §5).
public struct RecordTrace: Hashable, Sendable {
    /// The outer TLSPlaintext.type / TLSCiphertext.opaque_type.
    public var contentType: ContentType
    /// The complete record: 5-byte header and fragment, exactly as written or read.
    public var bytes: [UInt8]
    /// Present for a protected record (TLSCiphertext).
    public var protection: Protection?

    public init(contentType: ContentType, bytes: [UInt8], protection: Protection? = nil) {
        self.contentType = contentType
        self.bytes = bytes
        self.protection = protection
    }

    /// How a TLSCiphertext was (or will be) opened: every input of the AEAD, RFC 8446 §5.2-5.3.
    public struct Protection: Hashable, Sendable {
        /// Which key opened (or sealed) it.
        public var epoch: TrafficEpoch
        public var sequenceNumber: UInt64
        public var key: [UInt8]
        public var iv: [UInt8]
        /// iv XOR (64-bit sequence number, left-padded to iv length).
        public var nonce: [UInt8]
        /// The 5-byte record header used as additional data.
        public var additionalData: [UInt8]
        /// TLSInnerPlaintext.type: the real content type.
        public var innerContentType: ContentType
        /// TLSInnerPlaintext.content: the plaintext without type byte and padding.
        public var content: [UInt8]
        public var paddingLength: Int
        /// The 16-byte AEAD tag at the end of encrypted_record.
        public var tag: [UInt8]

        public init(epoch: TrafficEpoch, sequenceNumber: UInt64, key: [UInt8], iv: [UInt8], nonce: [UInt8],
                    additionalData: [UInt8], innerContentType: ContentType, content: [UInt8],
                    paddingLength: Int, tag: [UInt8]) {
            self.epoch = epoch
            self.sequenceNumber = sequenceNumber
            self.key = key
            self.iv = iv
            self.nonce = nonce
            self.additionalData = additionalData
            self.innerContentType = innerContentType
            self.content = content
            self.paddingLength = paddingLength
            self.tag = tag
        }
    }
}

/// What the library reports while it works. The library never prints: executables (or tests)
/// install an observer and decide how to show each event. The cases follow the steps of RFC 8448's
/// traces, so that a printer can reproduce the RFC's layout value for value.
public enum TLSEvent: Sendable {
    /// RFC 8448 "create an ephemeral x25519 key pair".
    case keyPair(group: NamedGroup, privateKey: [UInt8], publicKey: [UInt8])

    /// A handshake message constructed (sent) or parsed (received). `bytes` is the exact encoding
    /// including the 4-byte handshake header (what enters the transcript hash); `fields` its tree.
    case handshakeMessage(Direction, HandshakeType, bytes: [UInt8], fields: [TraceField])

    /// A record written to or read from the wire. For a sent protected record, `payload` is the
    /// plaintext content it carries (RFC 8448 "payload"); for others it equals the fragment.
    case record(Direction, RecordTrace)

    /// A ChangeCipherSpec record that was ignored, as RFC 8446 §5 allows during the handshake.
    case changeCipherSpecIgnored(Direction)

    /// RFC 8446 §7.4: the (EC)DHE shared secret our private key and the peer's key share give;
    /// the IKM of the handshake secret's HKDF-Extract. For X25519MLKEM768 it is the ML-KEM
    /// shared secret followed by the X25519 one.
    case sharedSecret(group: NamedGroup, secret: [UInt8])

    /// RFC 8446 §7.1 HKDF-Extract: the Early, Handshake or Master Secret.
    case extractSecret(stage: KeyScheduleStage, salt: [UInt8], ikm: [UInt8], secret: [UInt8])

    /// RFC 8446 §7.1 Derive-Secret(PRK, label, messages) = HKDF-Expand-Label(PRK, label, hash, Hash.length).
    /// `label` includes the "tls13 " prefix as RFC 8448 prints it; `purpose` is "handshake" or
    /// "master" for the two "tls13 derived" steps ("derive secret for handshake") and nil otherwise.
    case deriveSecret(label: String, purpose: KeyScheduleStage?, prk: [UInt8], hash: [UInt8], info: [UInt8], secret: [UInt8])

    /// RFC 8446 §7.3 traffic key and IV: `usage` is "write" or "read", `epoch` "handshake data",
    /// "application data", etc. (RFC 8448's words).
    case trafficKeys(direction: KeyDirection, epoch: TrafficEpoch, suite: CipherSuite, secret: [UInt8],
                     keyInfo: [UInt8], key: [UInt8], ivInfo: [UInt8], iv: [UInt8])

    /// RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length),
    /// verify_data = HMAC(finished_key, transcript hash). `of` is whose Finished this is.
    /// `matched` is nil when we compute our own Finished, true/false when checking the peer's.
    case finished(of: Side, baseKey: [UInt8], hash: [UInt8], info: [UInt8], finishedKey: [UInt8],
                  verifyData: [UInt8], matched: Bool?)

    /// RFC 8446 §4.6.1: resumption secret for one ticket, HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
    case resumptionSecret(prk: [UInt8], nonce: [UInt8], info: [UInt8], secret: [UInt8])

    /// RFC 8446 §4.2.11.2 PSK binder (RFC 8448 "calculate PSK binder"): `prefix` is the
    /// ClientHello up to its binders, `binderHash` the transcript hash through it, `binderKey`
    /// Derive-Secret(Early Secret, "res binder", ""), and binder = HMAC(finished_key, binderHash)
    /// with finished_key = HKDF-Expand-Label(binderKey, "finished", "", Hash.length). `matched` is
    /// nil for the client's own binder, true/false when the server checks the client's.
    case pskBinder(prefix: [UInt8], binderHash: [UInt8], binderKey: [UInt8], info: [UInt8], finishedKey: [UInt8],
                   binder: [UInt8], matched: Bool?)

    /// RFC 8446 §4.6.1: a ticket the server sealed (sent) or opened from a ClientHello (received),
    /// with what it holds, which only the server can read.
    case sessionTicket(Direction, contents: TicketContents, ticket: [UInt8])

    /// RFC 8446 §4.2.10: 0-RTT application data, under the client early traffic key.
    case earlyData(Direction, [UInt8])

    /// RFC 8446 §4.4.3: the exact content signed or verified in CertificateVerify.
    /// `verified` is nil when we sign, true/false when we check the peer's signature.
    case certificateVerify(scheme: SignatureScheme, content: [UInt8], signature: [UInt8], verified: Bool?)

    /// One verification the endpoint performed, in words, and its outcome (certificate chain,
    /// validity, name, ...). Printed as a check mark or a cross.
    /// `rule`: the RFC text behind the check, when the code cites one (shown by the HTML page).
    case check(String, passed: Bool, rule: String? = nil)

    /// RFC 8446 §4.4.1: after a HelloRetryRequest the transcript restarts from a synthetic
    /// message_hash message standing in for ClientHello1. `clientHello1Hash` is the transcript
    /// hash before the rewrite (Hash(ClientHello1)), `message` the synthetic message
    /// (fe 00 00 Hash.length, then that hash), `transcriptHash` the hash right after it.
    /// `fromCookie` is true when a stateless server rebuilt it from the cookie (§4.2.2).
    case transcriptRewrite(clientHello1Hash: [UInt8], message: [UInt8], transcriptHash: [UInt8], fromCookie: Bool)

    /// A key update (RFC 8446 §4.6.3): which direction's secret moved to which generation.
    case keyUpdated(direction: KeyDirection, generation: Int, secret: [UInt8])

    /// An alert sent or received.
    case alert(Direction, level: AlertLevel, description: AlertDescription)

    /// Application data sent or received (plaintext).
    case applicationData(Direction, [UInt8])

    /// An NSS key-log line's content (label, client_random, secret), for SSLKEYLOGFILE/--keylog.
    case keyLog(label: String, clientRandom: [UInt8], secret: [UInt8])

    /// The handshake is complete; names what was negotiated. `group` is nil for a psk_ke
    /// resumption (no key exchange), `signatureScheme` nil for any resumption (the PSK
    /// authenticates, RFC 8446 §2.2), `resumed` true when a PSK was accepted.
    case handshakeComplete(suite: CipherSuite, group: NamedGroup?, signatureScheme: SignatureScheme?, resumed: Bool = false)

    /// Anything else worth a line for a learner (e.g. "the server declined our ticket: a full handshake (with certificate) follows").
    case note(String)
}

/// Receives events as they happen, on the thread that drives the connection.
public typealias TLSObserver = @Sendable (TLSEvent) -> Void
