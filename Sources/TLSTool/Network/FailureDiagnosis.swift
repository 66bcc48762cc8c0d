import TLS13

/// What a learner needs next to a failed handshake to see why (issue 12, "Diagnosable
/// failures"): on handshake_failure, what this side offered or supports; when the peer's first
/// bytes did not parse, those bytes and what a TLS peer would have sent instead; on
/// protocol_version, a ClientHello whose legacy_version is SSL 3.0.
public enum FailureDiagnosis {
    /// How many of the peer's first bytes are kept and shown.
    public static let shownByteCount = 64

    static let httpMethods = ["GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ", "PRI * HTTP/2"]

    /// Lines for stderr, or none when the failure explains itself. `peerFirstMessageParsed` says
    /// a handshake message from the peer decoded (`TLSConnection.decodedPeerHandshakeMessage`):
    /// then the peer speaks TLS, a later failure is about a message its own text names, and the
    /// peer's first bytes would only mislead.
    public static func lines(for failure: SessionFailure, side: Side, configuration: TLSConfiguration,
                             peerFirstBytes: [UInt8], peerFirstMessageParsed: Bool, handshakeComplete: Bool) -> [String] {
        guard case .tls(let error) = failure, !handshakeComplete else { return [] }
        var lines: [String] = []
        if error.alert == .handshakeFailure {
            let verb = side == .client ? "we offered" : "we support"
            lines.append("\(verb) cipher suites: \(configuration.cipherSuites.map(\.description).joined(separator: ", "))")
            lines.append("\(verb) signature schemes: \(configuration.signatureSchemes.map(\.description).joined(separator: ", "))")
            if error.origin == .peer {
                lines.append("the \(side.peer) found nothing it accepts among them (its own log or trace says which part)")
            }
        }
        let unparseable: Set<AlertDescription> = [.decodeError, .unexpectedMessage, .recordOverflow, .protocolVersion, .illegalParameter]
        if error.origin == .local, unparseable.contains(error.alert), !peerFirstMessageParsed, !peerFirstBytes.isEmpty {
            lines += unparsedBytes(peerFirstBytes, side: side)
        }
        if side == .server, error.origin == .local, error.alert == .protocolVersion,
           clientHelloLegacyVersion(in: peerFirstBytes) == 0x0300 {
            lines.append("the client's ClientHello has legacy_version 03 00 (SSL 3.0), which RFC 8446 Appendix D.5 refuses "
                         + "with protocol_version: a TLS 1.3 client sends 03 03 there and lists 03 04 in supported_versions (§4.2.1)")
        }
        return lines
    }

    /// RFC 8446 §4.1.2: the legacy_version of a ClientHello at the start of `bytes`, or nil when
    /// they do not begin with one: a handshake record (§5.1, type 22) whose fragment holds at
    /// least the 4-byte handshake header (type 1, ClientHello) and the 2 version bytes. The
    /// record's own version (bytes 1-2) is not looked at: §5.1, legacy_record_version "MUST be
    /// ignored for all purposes", and real TLS 1.3 clients put 03 01 there.
    static func clientHelloLegacyVersion(in bytes: [UInt8]) -> UInt16? {
        let fragment = 5, legacyVersion = fragment + 4
        guard bytes.count >= legacyVersion + 2, bytes[0] == 0x16, bytes[fragment] == 0x01,
              Int(bytes[3]) << 8 | Int(bytes[4]) >= legacyVersion + 2 - fragment else { return nil }
        return UInt16(bytes[legacyVersion]) << 8 | UInt16(bytes[legacyVersion + 1])
    }

    /// The hexdump of the peer's first bytes, what was expected, and a guess when they are plainly
    /// another protocol. No guess comes from a record's version bytes: RFC 8446 §5.1 says
    /// legacy_record_version "MUST be ignored for all purposes", so 16 03 00 says nothing about
    /// the version the peer speaks.
    static func unparsedBytes(_ bytes: [UInt8], side: Side) -> [String] {
        let expected = side == .server
            ? "a ClientHello in a handshake record: 16 03 01 (or 03 03), a 2-byte length, then 01"
            : "a ServerHello in a handshake record: 16 03 03, a 2-byte length, then 02"
        var lines = ["the \(side.peer)'s first \(bytes.count) bytes (expected \(expected)):"]
        lines += HexFormatting.hexdump(Array(bytes.prefix(shownByteCount))).map { "  " + $0 }
        let text = String(decoding: bytes.prefix(16), as: UTF8.self)
        if httpMethods.contains(where: { text.hasPrefix($0) }) {
            lines.append("this looks like HTTP: is the peer speaking TLS? (a browser or curl needs https://, not http://)")
        } else if text.hasPrefix("HTTP/") {
            lines.append("this looks like an HTTP response: the server speaks plain HTTP, not TLS")
        } else if text.hasPrefix("SSH-") {
            lines.append("this looks like SSH: the port belongs to an SSH server, not TLS")
        }
        return lines
    }
}
