import TLS13

/// Peer-controlled values fed into the encoders (issue 11, root cause 8): the bytes a peer
/// chooses and this library sends again. A malicious server's HelloRetryRequest cookie went into
/// the second ClientHello and overflowed its uint16 extensions length, which trapped.
///
/// Input: two bytes giving a cookie length (plus the third byte, so every length up to the
/// largest a cookie<1..2^16-1> extension can hold is reachable), the cookie's filler byte, then a
/// uint16-prefixed extension list standing for what the peer sent. They are built into the messages that carry peer values onwards: a
/// ClientHello with the cookie added (the client's second hello), and a HelloRetryRequest with
/// the cookie (a stateless server's rebuilt one), both echoing a session ID from the input.
/// Each must either encode to bytes that decode to the same message, or throw the writer's
/// internal_error exactly when a length field would overflow; never trap, never anything else.
enum EncoderTargets {
    static func run(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.encoders
        guard bytes.count >= 4 else { return .rejected }
        let cookieLength = min(max(Int(bytes[0]) << 8 | Int(bytes[1]) + Int(bytes[2]), 1), 0xffff - 2)
        let cookie = Extension(type: .cookie, data: [UInt8(cookieLength >> 8), UInt8(cookieLength & 0xff)]
                                                    + [UInt8](repeating: bytes[3], count: cookieLength))
        guard let peerExtensions = try decodeOrReject(target, { () throws -> [Extension] in
            var r = ByteReader(Array(bytes.dropFirst(4)))
            let list = try r.lengthPrefixed(.u16, "extensions") { r in
                var list: [Extension] = []
                while !r.isAtEnd { list.append(try Extension(decoding: &r)) }
                return list
            }
            try r.expectEnd("extensions")
            return list
        }) else { return .rejected }
        let sessionID = Array(bytes.prefix(32))
        let random = [UInt8](repeating: 0x5a, count: 32)

        let secondHello = HandshakeMessage.clientHello(ClientHello(random: random, legacySessionID: sessionID,
                                                                    cipherSuites: [.aes128GCMSHA256], extensions: peerExtensions + [cookie]))
        try requireEncodesOrOverflows(secondHello, extensions: peerExtensions + [cookie], target)
        let retry = HandshakeMessage.helloRetryRequest(HelloRetryRequest(legacySessionIDEcho: sessionID, cipherSuite: .aes128GCMSHA256,
                                                                          extensions: peerExtensions + [cookie]))
        try requireEncodesOrOverflows(retry, extensions: peerExtensions + [cookie], target)
        return .accepted
    }

    /// `message` encodes when its extension block and every extension's data fit their uint16
    /// lengths, and decodes back to itself unless the parser refuses the peer's extensions in
    /// that message (a repeated or misplaced one); otherwise encoding throws internal_error.
    static func requireEncodesOrOverflows(_ message: HandshakeMessage, extensions: [Extension],
                                          _ target: FuzzTarget) throws(InvariantViolation) {
        let fits = extensions.allSatisfy { $0.data.count <= 0xffff }
            && extensions.reduce(0) { $0 + 4 + $1.data.count } <= 0xffff
        let encoded: [UInt8]
        do {
            encoded = try message.encoded
        } catch let error as TLSError where error.alert == .internalError && !fits {
            return
        } catch {
            throw InvariantViolation(target, "\(message.name) with \(extensions.count) extensions (fits: \(fits)) threw \(error)")
        }
        guard fits else {
            throw InvariantViolation(target, "\(message.name) encoded although its extensions overflow a uint16 length")
        }
        let decoded = try decodeOrReject(target, { try HandshakeMessage(decoding: encoded, finishedLength: 32) })
        guard decoded == nil || decoded == message else {
            throw InvariantViolation(target, "\(message.name) encodes to bytes that do not decode to it")
        }
    }
}
