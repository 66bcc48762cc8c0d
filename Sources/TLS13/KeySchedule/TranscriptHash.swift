import TLSCrypto

/// RFC 8446 §4.4.1 The Transcript Hash:
///
///     Transcript-Hash(M1, M2, ... Mn) = Hash(M1 || M2 || ... || Mn)
///
/// fed with the exact bytes of each handshake message (4-byte header included, record framing
/// excluded) in the order they were sent or received. The hash runs incrementally; reading the
/// current value finalises a copy, so the transcript can go on growing afterwards.
public struct TranscriptHash {
    public let algorithm: HashAlgorithm
    private var running: any HashFunction

    public init(algorithm: HashAlgorithm) {
        self.algorithm = algorithm
        self.running = algorithm.makeRunningHash()
    }

    public mutating func append(_ handshakeMessage: [UInt8]) {
        running.update(handshakeMessage)
    }

    /// Transcript-Hash of everything appended so far.
    public var current: [UInt8] { running.finalize() }

    /// RFC 8446 §4.4.1: when the server answers with a HelloRetryRequest, the first ClientHello
    /// is replaced in the transcript by a synthetic message carrying only its hash:
    ///
    ///     Transcript-Hash(ClientHello1, HelloRetryRequest, ... Mn) =
    ///         Hash(message_hash ||        /* Handshake type */
    ///              00 00 Hash.length  ||  /* Handshake message length (bytes) */
    ///              Hash(ClientHello1) ||  /* Hash of ClientHello1 */
    ///              HelloRetryRequest  || ... || Mn)
    ///
    /// Call this when exactly ClientHello1 has been appended, before the HelloRetryRequest.
    public mutating func replaceWithMessageHash() {
        self = TranscriptHash(algorithm: algorithm, messageHashOf: current)
    }

    /// The transcript as it stands after the rewrite, from Hash(ClientHello1) alone: what a
    /// stateless server rebuilds from its cookie (RFC 8446 §4.2.2).
    public init(algorithm: HashAlgorithm, messageHashOf clientHello1Hash: [UInt8]) {
        self.init(algorithm: algorithm)
        running.update(Self.messageHashMessage(clientHello1Hash: clientHello1Hash))
    }

    /// message_hash (254), a 3-byte length of Hash.length, then Hash(ClientHello1).
    public static func messageHashMessage(clientHello1Hash: [UInt8]) -> [UInt8] {
        [HandshakeType.messageHash.rawValue, 0, 0, UInt8(clientHello1Hash.count)] + clientHello1Hash
    }
}
