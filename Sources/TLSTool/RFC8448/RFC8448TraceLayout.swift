import RFC8448Reader
import TLS13
import TLSCrypto

/// The trace in RFC 8448's own layout (`--trace rfc8448`), so our output can be diffed against
/// the RFC's example traces or held against them with `tls13-compare`:
///
///        {server}  derive secret "tls13 c hs traffic":
///
///           PRK (32 octets):  1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01
///              04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac
///
/// Step names, labels, indentation and wrapping are the RFC's: headings at column 3 tagged with
/// the side, values at column 6, continuation lines at column 9, no line longer than 72
/// characters, a blank line after each heading and each value. Like the RFC, only what a side
/// does is shown (what it constructs, derives and sends); received messages and records are not,
/// since the peer's trace shows them being sent. When both sides print to one page
/// (`peerShownAbove`), a value the peer already printed becomes the RFC's
/// `{client}  derive secret "tls13 c hs traffic" (same as server)`.
///
/// The order is the order our engine works in, which differs from the RFC's in a few places
/// (the RFC's server, for instance, derives its early secret before its key pair); the RFC's
/// values, labels and steps are all there, which is what `tls13-compare` checks.
public struct RFC8448TraceLayout: TraceLayout {
    public var side: Side
    public var style: TextStyle
    public var peerShownAbove: SharedValues?

    /// RFC 8448 §3 prints the client's `derive secret for handshake "tls13 derived"` in full
    /// although the server printed the same values just before; following it keeps the diff clean.
    static let printedByBothSidesInRFC: Set<String> = ["derive secret for handshake \"tls13 derived\""]

    /// The RFC's text width: no line of its traces is longer.
    static let width = 72

    public init(side: Side, style: TextStyle, peerShownAbove: SharedValues? = nil) {
        self.side = side
        self.style = style
        self.peerShownAbove = peerShownAbove
    }

    /// A labelled value of a step.
    enum Value {
        case octets([UInt8])
        /// RFC 8448 writes the zero salt of HKDF-Extract as `salt:  0 (all zero octets)`.
        case allZero
    }

    /// Set by the check of a replayed CertificateVerify signature, until that message is shown.
    private var signatureReplayed = false
    /// The ClientHello prefix our binder covered, for the ClientHello that follows it.
    private var binderPrefix: [UInt8]?

    public mutating func render(_ event: TLSEvent) -> RenderedEvent? {
        if case .check(TLSConnection.replayedSignatureCheck, true, _) = event { signatureReplayed = true }
        if case .pskBinder(let prefix, _, _, _, _, _, nil) = event { binderPrefix = prefix }
        guard let step = step(for: event) else { return nil }
        if let sameAs = step.sameAs, !Self.printedByBothSidesInRFC.contains(step.title),
           let peer = shownByPeer(step.sharedKey) {
            return RenderedEvent(text: heading("\(step.title) (same as \(peer)\(sameAs))") + "\n", beginsStep: true)
        }
        var text = heading(step.title + ":") + "\n"
        for (label, value) in step.values {
            text += Self.valueLines(label: label, value: value).joined(separator: "\n") + "\n\n"
        }
        if signatureReplayed, case .handshakeMessage(.sent, .certificateVerify, _, _) = event {
            // Not an RFC line (tls13-compare skips it): which value is the RFC's, not ours.
            signatureReplayed = false
            text += "      (the signature is the RFC's, replayed: the RFC withholds this\n"
                  + "      key; it verified with the certificate's public key first)\n\n"
        }
        return RenderedEvent(text: text, beginsStep: true)
    }

    public mutating func finish() -> String { "" }

    /// One step of the RFC: its title, its values, and how the RFC says a peer computed the same.
    private struct Step {
        var title: String
        var values: [(String, Value)]
        /// What follows "(same as server" when the peer printed the step's result first: "" for
        /// most steps, " early secret" or " handshake data write traffic keys" for some. Nil for
        /// steps only one side takes (constructing and sending).
        var sameAs: String?
        /// The bytes that identify the step's result among those both sides print.
        var sharedKey: [UInt8] = []
    }

    private func step(for event: TLSEvent) -> Step? {
        switch event {
        case .keyPair(let group, let privateKey, let publicKey):
            // RFC 8448 §5 calls secp256r1 by its FIPS name.
            let name = group == .secp256r1 ? "P-256" : group.name ?? group.description
            return Step(title: "create an ephemeral \(name) key pair",
                        values: [("private key", .octets(privateKey)), ("public key", .octets(publicKey))])

        case .handshakeMessage(.sent, let type, let bytes, _):
            let name = type.messageName
            // RFC 8448 §4 shows a ClientHello with a PSK as constructed before its binders exist.
            if type == .clientHello, let prefix = binderPrefix, bytes.starts(with: prefix) {
                return Step(title: "construct a ClientHello handshake message", values: [(name, .octets(prefix))])
            }
            let article = "AEIOU".contains(name.prefix(1)) ? "an" : "a"
            return Step(title: "construct \(article) \(name) handshake message", values: [(name, .octets(bytes))])

        case .record(.sent, let record):
            let carried = record.protection?.innerContentType ?? record.contentType
            let payload = record.protection?.content ?? Array(record.bytes.dropFirst(5))
            return Step(title: "send \(carried.name ?? "\(carried.rawValue)") record",
                        values: [("payload", .octets(payload)), ("complete record", .octets(record.bytes))])

        case .extractSecret(let stage, let salt, let ikm, let secret):
            return Step(title: "extract secret \"\(stage.rawValue)\"",
                        values: [("salt", salt.allSatisfy { $0 == 0 } ? .allZero : .octets(salt)),
                                 ("IKM", .octets(ikm)), ("secret", .octets(secret))],
                        sameAs: " \(stage.rawValue) secret", sharedKey: secret)

        case .deriveSecret(let label, let purpose, let prk, let hash, let info, let secret):
            let title = purpose.map { "derive secret for \($0.rawValue) \"\(label)\"" } ?? "derive secret \"\(label)\""
            return Step(title: title,
                        values: [("PRK", .octets(prk)), ("hash", .octets(hash)), ("info", .octets(info)),
                                 ("expanded", .octets(secret))],
                        sameAs: "", sharedKey: secret)

        case .trafficKeys(let direction, let epoch, _, let secret, let keyInfo, let key, let ivInfo, let iv):
            let peerUsage = direction == .write ? "read" : "write"
            return Step(title: "derive \(direction.rawValue) traffic keys for \(epoch.keyPurpose)",
                        values: [("PRK", .octets(secret)), ("key info", .octets(keyInfo)), ("key expanded", .octets(key)),
                                 ("iv info", .octets(ivInfo)), ("iv expanded", .octets(iv))],
                        sameAs: " \(epoch.keyPurpose) \(peerUsage) traffic keys", sharedKey: key + iv)

        case .finished(_, let baseKey, _, let info, let finishedKey, let verifyData, _):
            // finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length) (RFC 8446
            // §4.4.4): the RFC's "hash" here is that empty context, not the transcript hash.
            return Step(title: "calculate finished \"tls13 finished\"",
                        values: [("PRK", .octets(baseKey)), ("hash", .octets([])), ("info", .octets(info)),
                                 ("expanded", .octets(finishedKey)), ("finished", .octets(verifyData))],
                        sameAs: "", sharedKey: verifyData)

        case .resumptionSecret(let prk, let nonce, let info, let secret):
            // The ticket_nonce is the context of HKDF-Expand-Label, which RFC 8448 labels "hash".
            return Step(title: "generate resumption secret \"tls13 resumption\"",
                        values: [("PRK", .octets(prk)), ("hash", .octets(nonce)), ("info", .octets(info)),
                                 ("expanded", .octets(secret))],
                        sameAs: "", sharedKey: secret)

        case .pskBinder(let prefix, let binderHash, let binderKey, let info, let finishedKey, let binder, _):
            // RFC 8448 §4 "calculate PSK binder": the binder key is the PRK, the empty context
            // its "hash", the finished key "expanded", the binder "finished".
            return Step(title: "calculate PSK binder",
                        values: [("ClientHello prefix", .octets(prefix)), ("binder hash", .octets(binderHash)),
                                 ("PRK", .octets(binderKey)), ("hash", .octets([])), ("info", .octets(info)),
                                 ("expanded", .octets(finishedKey)), ("finished", .octets(binder))],
                        sameAs: "", sharedKey: binder)

        case .keyUpdated(let direction, let generation, let secret):
            return Step(title: "update \(direction.rawValue) traffic secret to generation \(generation) \"tls13 traffic upd\"",
                        values: [("secret", .octets(secret))])

        default:
            return nil
        }
    }

    /// The side that already printed `key`, when it is the peer.
    private func shownByPeer(_ key: [UInt8]) -> Side? {
        guard !key.isEmpty, let shown = peerShownAbove?.firstShown(key, by: side), shown != side else { return nil }
        return shown
    }

    /// `   {client}  title`, wrapped at the RFC's width with continuation lines at column 6.
    private func heading(_ title: String) -> String {
        let tag = "{\(side)}"
        var lines: [String] = []
        var line = "   " + tag + " "
        for word in title.split(separator: " ") {
            if line.count + 1 + word.count > Self.width, !line.hasSuffix(tag + " ") {
                lines.append(line)
                line = "      " + word
            } else {
                line += " " + word
            }
        }
        lines.append(line)
        let text = lines.joined(separator: "\n")
        return text.replacingOccurrences(of: tag, with: style.side(tag, side)) + "\n"
    }

    /// `      label (N octets):  hex ...` and its continuation lines, at most 72 characters wide.
    static func valueLines(label: String, value: Value) -> [String] {
        guard case .octets(let bytes) = value else { return ["      \(label):  0 (all zero octets)"] }
        let head = "      \(label) (\(bytes.count) octets):  "
        guard !bytes.isEmpty else { return [head + "(empty)"] }
        var lines: [String] = []
        var line = head
        var lineHasBytes = false
        for byte in bytes {
            let word = [byte].hexString
            if !lineHasBytes {
                line += word
            } else if line.count + 3 <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = "         " + word
            }
            lineHasBytes = true
        }
        lines.append(line)
        return lines
    }
}
