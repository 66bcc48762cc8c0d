import Foundation
import Synchronization
import TLS13
import TLSCrypto

/// Collects the events of a connection, from one side or both, in the order they happen: what
/// `HTMLPage` renders. Put `observer(for:)` next to the trace printer's observer.
public final class HTMLRecorder: Sendable {
    private let recorded = Mutex<[(Side, TLSEvent)]>([])

    public init() {}

    public func observer(for side: Side) -> TLSObserver {
        { event in self.record(side, event) }
    }

    public func record(_ side: Side, _ event: TLSEvent) { recorded.withLock { $0.append((side, event)) } }

    public var events: [(Side, TLSEvent)] { recorded.withLock { $0 } }
}

/// The illustrated page of one connection (issue 16): a self-contained HTML document rendered
/// from the same `TLSEvent`s as the terminal trace, with the same labelled byte spans
/// (`RecordSpans`), field trees (`TraceField`) and explanations (`Explanations`). No second
/// parser of the wire format: every byte shown is labelled by the code the terminal uses.
///
/// The page reads top to bottom as a ladder: the client's steps on the left, the server's on the
/// right, in the order they happened. Each record opens to its bytes, coloured by field, with a
/// table naming each field, its value, its RFC section and why it exists; a protected record
/// adds the key, IV, sequence number, nonce and additional data that open it, and its inner
/// plaintext, labelled. The key schedule follows, each secret linked from the records it protects.
public struct HTMLPage {
    public var title: String
    public var language: Language
    public var events: [(Side, TLSEvent)]
    /// A link to the same page in the other language (`tls13-server --http`): href and label.
    public var alternateLanguage: (href: String, label: String)?

    public init(title: String, language: Language = .en, events: [(Side, TLSEvent)]) {
        self.title = title
        self.language = language
        self.events = events
    }

    private var sides: Set<Side> { Set(events.map(\.0)) }
    private func word(_ key: String) -> String { Explanations.word(key, language) }

    public func render() -> String {
        var body = header() + "<h2 id=\"ladder\">\(escapeHTML(word("client"))) ⇄ \(escapeHTML(word("server")))</h2>\n<div class=\"ladder\">\n"
        var index = 0
        // Which messages each side's transcript hashes cover, as the terminal view says them.
        var coverage: [Side: TranscriptCoverage] = [.client: TranscriptCoverage(), .server: TranscriptCoverage()]
        for (side, event) in events {
            switch event {
            case .handshakeMessage(let direction, let type, let bytes, _):
                coverage[side]?.add(type: type, bytes: bytes, direction: direction, side: side)
            case .transcriptRewrite(_, let message, _, _):
                coverage[side]?.rewrite(messageHash: message)
            case .handshakeComplete:
                coverage[side]?.close()
            default:
                break
            }
            if var block = render(event, side: side, index: index) {
                if let hash = transcriptHash(of: event), let messages = coverage[side]?.covered(by: hash) {
                    block = block.replacingOccurrences(of: "</div>\n", with: "<div class=\"why\">\(escapeHTML(word("transcript hash of"))): \(escapeHTML(messages))</div></div>\n", options: .backwards, range: block.startIndex..<block.endIndex)
                }
                body += block
            }
            index += 1
        }
        body += "</div>\n" + keySchedule()
        return Self.document(title: title, language: language, body: body)
    }

    /// The document around a page's body, for the TLS and the QUIC page alike: the
    /// Content-Security-Policy that allows exactly its inline styles and script, the stylesheet
    /// (and `extraStyle`, a page's additions), the script last.
    static func document(title: String, language: Language = .en, body: String, extraStyle: String? = nil) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(language == .zh ? "zh-Hans" : "en")">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(HTMLAssets.contentSecurityPolicy(extraStyle: extraStyle))">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escapeHTML(title))</title>
        <style>\(HTMLAssets.style)</style>
        \(extraStyle.map { "<style>\($0)</style>\n" } ?? "")</head>
        <body>
        \(body)<script>\(HTMLAssets.script)</script>
        </body>
        </html>

        """
    }

    // MARK: Header

    private func header() -> String {
        var rows: [(String, String)] = []
        for case (_, .handshakeComplete(let suite, let group, let scheme, let resumed)) in events {
            rows = [("cipher suite", suite.description), ("key exchange", group?.description ?? "psk_ke"),
                    ("signature", scheme?.description ?? "none (PSK)"), ("resumed", resumed ? "yes" : "no")]
            break
        }
        let table = rows.map { "<tr><th>\(escapeHTML($0.0))</th><td class=\"v\">\(escapeHTML($0.1))</td></tr>" }.joined()
        return """
            <h1>\(escapeHTML(title))</h1>
            <nav><a href="#ladder">\(escapeHTML(word("client"))) ⇄ \(escapeHTML(word("server")))</a><a href="#keys">\(escapeHTML(word("key schedule")))</a>\(alternateLanguage.map { "<a href=\"\(escapeHTML($0.href))\" hreflang=\"\($0.href.contains("zh") ? "zh-Hans" : "en")\">\(escapeHTML($0.label))</a>" } ?? "")</nav>
            <table class="summary">\(table)</table>

            """
    }

    // MARK: Events

    private func render(_ event: TLSEvent, side: Side, index: Int) -> String? {
        let peerOnPage = sides.contains(side.peer)
        var inner = ""
        switch event {
        case .keyLog:
            return nil
        case .record(let direction, let record):
            if direction == .received && peerOnPage { return nil }
            inner = recordBlock(record, direction: direction, id: "r\(index)")
            // On a one-sided page what arrived stands in the sender's column of the ladder.
            return "<div class=\"ev \(direction == .received ? side.peer : side)\">\(inner)</div>\n"
        case .handshakeMessage(let direction, let type, let bytes, _):
            if direction == .received && peerOnPage {
                return line(side, "\(direction == .sent ? "→" : "←") \(TraceStep.messageName(type, bytes)) (\(bytes.count) bytes)")
            }
            return messageStep(event, side: side)
        case .check(let what, let passed, let rule):
            let behind = rule.map { "<div class=\"why\">\(escapeHTML($0))</div>" } ?? ""
            return "<div class=\"ev \(side)\"><span class=\"\(passed ? "ok" : "bad")\">\(passed ? "✓" : "✗")</span> \(escapeHTML(what))\(behind)</div>\n"
        case .note(let text):
            return "<div class=\"ev \(side)\"><span class=\"why\">· \(escapeHTML(text))</span></div>\n"
        case .applicationData(_, let data), .earlyData(_, let data):
            inner = "<div class=\"hex\">\(escapeHTML(printable(data)))</div>"
        case .alert(_, let level, let description):
            inner = "<span class=\"v\">\(escapeHTML(level.description)) · \(escapeHTML(description.description))</span>"
        default:
            inner = valueTable(values(of: event))
        }
        return step(event, side: side, inner: inner)
    }

    /// A handshake message as a step of the ladder: its title, why it exists, its field tree.
    /// The QUIC page draws the TLS messages its CRYPTO frames carry with it.
    func messageStep(_ event: TLSEvent, side: Side) -> String? {
        guard case .handshakeMessage(_, let type, let bytes, let fields) = event else { return nil }
        return step(event, side: side, inner: tree(withHeader(fields, type: type, bytes: bytes), message: type.name ?? "unknown"))
    }

    /// A step of the ladder in its column: its title, why it happens, then `inner`.
    private func step(_ event: TLSEvent, side: Side, inner: String) -> String {
        var why = ""
        if let explanation = Explanations.step(event, language) {
            why = "<div class=\"why\"><b>\(escapeHTML(word("why"))):</b> \(escapeHTML(explanation.text)) (\(escapeHTML(explanation.section)))</div>"
        }
        let anchor = anchorID(of: event).map { " id=\"\($0)\"" } ?? ""
        var column = side
        if case .handshakeMessage(.received, _, _, _) = event { column = side.peer }
        return "<div class=\"ev \(column)\"\(anchor)><div class=\"t\">\(escapeHTML(TraceStep.title(of: event)))</div>\(why)\(inner)</div>\n"
    }

    private func line(_ side: Side, _ text: String) -> String {
        "<div class=\"ev \(side)\"><span class=\"why\">\(escapeHTML(text))</span></div>\n"
    }

    /// A record: summary line, coloured bytes, the table of its fields; protected, also what opens it.
    private func recordBlock(_ record: RecordTrace, direction: Direction, id: String) -> String {
        let spans = RecordSpans(record)
        var summary = "\(word("record")) \(direction == .sent ? "→" : "←") \(record.contentType), \(record.bytes.count) \(word("bytes"))"
        if let protection = record.protection {
            summary += " · \(protection.innerContentType.name ?? "?") (\(protection.epoch))"
        }
        var out = "<details class=\"rec\" id=\"\(id)\"><summary>\(escapeHTML(summary))</summary>"
        out += labelled(spans.wire, prefix: id)
        if let protection = record.protection {
            var rows: [(String, String, String?)] = []
            for (label, value) in spans.opening {
                switch value {
                case .bytes(let bytes):
                    let link = label == "key" && keyAnchors.contains(Self.anchor("key", bytes)) ? Self.anchor("key", bytes) : nil
                    rows.append((label, bytes.hexString, link))
                case .text(let text):
                    rows.append((label, text, nil))
                }
            }
            rows.append(("tag", protection.tag.hexString, nil))
            out += "<div class=\"why\">\(escapeHTML(word("opened with"))) (RFC 8446 §5.2, §5.3)</div>"
            out += "<table class=\"k\">" + rows.map { row in
                let value = row.2.map { "<a href=\"#\($0)\">\(escapeHTML(row.1))</a>" } ?? escapeHTML(row.1)
                return "<tr><td>\(escapeHTML(row.0))</td><td class=\"v\">\(value)</td></tr>"
            }.joined() + "</table>"
            if let inner = spans.innerPlaintext {
                out += "<div class=\"why\">\(escapeHTML(word("inner plaintext"))) (TLSInnerPlaintext, RFC 8446 §5.2)</div>"
                out += labelled(inner, prefix: id + "i")
            }
        }
        return out + "</details>"
    }

    /// Bytes coloured by span, then one row per span: name, value, RFC section, why.
    private func labelled(_ labelled: LabelledBytes, prefix: String) -> String {
        var hex = "<div class=\"hex\">"
        var rows = ""
        for (number, span) in labelled.spans.enumerated() {
            let color = "c\(number % 8)"
            let field = "\(prefix)-\(number)"
            let tip = escapeHTML("\(span.name): \(span.value) (\(span.section))")
            for byte in labelled.bytes(of: span) {
                hex += "<span class=\"b \(color)\" data-f=\"\(field)\" title=\"\(tip)\">\([byte].hexString)</span> "
            }
            let why = Explanations.field(span.id, language).map { escapeHTML($0.text) } ?? ""
            rows += "<tr data-f=\"\(field)\"><td><span class=\"sw \(color)\"></span> <span class=\"n\">\(escapeHTML(span.name))</span></td>"
                + "<td class=\"v\">\(escapeHTML(span.value))</td><td>\(escapeHTML(span.section))</td><td class=\"why\">\(why)</td></tr>"
        }
        hex += "</div>"
        let head = "<tr><th>\(escapeHTML(word("field")))</th><th>\(escapeHTML(word("value")))</th><th>\(escapeHTML(word("section")))</th><th>\(escapeHTML(word("why")))</th></tr>"
        return hex + "<table class=\"spans\">\(head)\(rows)</table>"
    }

    /// A message's fields as a tree: name, value, bytes, and on hover (always in print) why.
    private func tree(_ fields: [TraceField], message: String, parent: String? = nil) -> String {
        guard !fields.isEmpty else { return "" }
        var out = "<ul class=\"tree\">"
        for field in fields {
            let key = Explanations.fieldKey(name: field.name, value: field.value, parent: parent, message: message)
            out += "<li tabindex=\"0\"><span class=\"n\">\(escapeHTML(field.name))</span>"
            if !field.value.isEmpty { out += ": \(escapeHTML(field.value))" }
            if !field.bytes.isEmpty {
                let shown = field.bytes.count > 64 ? Array(field.bytes.prefix(64)) : field.bytes
                out += " <span class=\"hex\">\(shown.hexString)\(field.bytes.count > 64 ? "… (\(field.bytes.count) \(escapeHTML(word("bytes"))))" : "")</span>"
            }
            if let why = Explanations.field(key, language) {
                out += "<div class=\"why\">\(escapeHTML(why.text)) (\(escapeHTML(why.section)))</div>"
            }
            out += tree(field.children, message: message, parent: field.name) + "</li>"
        }
        return out + "</ul>"
    }

    /// RFC 8446 §4: the 4-byte handshake header heads the tree, as in the terminal view.
    private func withHeader(_ fields: [TraceField], type: HandshakeType, bytes: [UInt8]) -> [TraceField] {
        guard fields.first?.name != "msg_type", bytes.count >= 4 else { return fields }
        let length = Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        return [TraceField("msg_type", type.description, bytes: [bytes[0]]),
                TraceField("length", String(length), bytes: Array(bytes[1..<4]))] + fields
    }

    private func valueTable(_ rows: [(String, [UInt8])]) -> String {
        guard !rows.isEmpty else { return "" }
        return "<table class=\"k\">" + rows.map { "<tr><td>\(escapeHTML($0.0))</td><td class=\"v hex\">\(Self.hexValue($0.1))</td></tr>" }.joined() + "</table>"
    }

    /// Up to 48 bytes in full; a longer value (an ML-KEM key, a signature) folds after 32.
    static func hexValue(_ bytes: [UInt8]) -> String {
        guard !bytes.isEmpty else { return "(empty)" }
        guard bytes.count > 48 else { return bytes.hexString }
        return "<details><summary>\(bytes.prefix(32).hexString)… (\(bytes.count) bytes)</summary>\(bytes.hexString)</details>"
    }

    /// The labelled values of a key-schedule step, as the terminal shows them.
    private func values(of event: TLSEvent) -> [(String, [UInt8])] {
        switch event {
        case .keyPair(_, let privateKey, let publicKey): [("private key", privateKey), ("public key", publicKey)]
        case .sharedSecret(_, let secret): [("shared secret", secret)]
        case .extractSecret(_, let salt, let ikm, let secret): [("salt", salt), ("IKM", ikm), ("secret", secret)]
        case .deriveSecret(_, _, let prk, let hash, let info, let secret): [("PRK", prk), ("hash", hash), ("info", info), ("expanded", secret)]
        case .trafficKeys(_, _, _, let secret, let keyInfo, let key, let ivInfo, let iv):
            [("PRK", secret), ("key info", keyInfo), ("key", key), ("iv info", ivInfo), ("iv", iv)]
        case .finished(_, let baseKey, let hash, _, let finishedKey, let verifyData, _):
            [("base key", baseKey), ("transcript hash", hash), ("finished_key", finishedKey), ("verify_data", verifyData)]
        case .certificateVerify(_, let content, let signature, _): [("content", content), ("signature", signature)]
        case .resumptionSecret(let prk, let nonce, _, let secret): [("PRK", prk), ("ticket_nonce", nonce), ("PSK", secret)]
        case .pskBinder(_, let hash, let key, _, let finishedKey, let binder, _):
            [("binder hash", hash), ("binder_key", key), ("finished_key", finishedKey), ("binder", binder)]
        case .sessionTicket(_, let contents, let ticket): [("PSK", contents.psk), ("ticket", ticket)]
        case .transcriptRewrite(let hash, let message, let transcript, _): [("Hash(ClientHello1)", hash), ("message_hash", message), ("transcript hash", transcript)]
        case .keyUpdated(_, _, let secret): [("secret", secret)]
        default: []
        }
    }

    // MARK: Key schedule

    /// Anchors of traffic keys, so a record's "key" can link to where it was derived.
    private static func anchor(_ kind: String, _ bytes: [UInt8]) -> String { "\(kind)-\(bytes.prefix(6).hexString)" }

    private var keyAnchors: Set<String> {
        Set(events.compactMap { if case .trafficKeys(_, _, _, _, _, let key, _, _) = $0.1 { Self.anchor("key", key) } else { nil } })
    }

    private func anchorID(of event: TLSEvent) -> String? {
        if case .trafficKeys(_, _, _, _, _, let key, _, _) = event { return Self.anchor("key", key) }
        return nil
    }

    /// RFC 8446 §7.1's tree, with this connection's values: each secret as one side derived it.
    private func keySchedule() -> String {
        let side: Side = sides.contains(.client) ? .client : .server
        var rows = ""
        for case (side, let event) in events {
            switch event {
            case .extractSecret(let stage, _, _, let secret):
                rows += "<li><span class=\"n\">\(escapeHTML(stage.rawValue)) secret</span> = HKDF-Extract <span class=\"hex\">\(secret.hexString)</span><ul class=\"tree\">"
            case .deriveSecret(let label, let purpose, _, _, _, let secret):
                rows += "<li>Derive-Secret(., \"\(escapeHTML(label))\")\(purpose.map { " → \(escapeHTML($0.rawValue))" } ?? "") <span class=\"hex\">\(secret.hexString)</span></li>"
            case .trafficKeys(let direction, let epoch, _, _, _, let key, _, let iv):
                rows += "<li><a href=\"#\(Self.anchor("key", key))\">\(escapeHTML(direction.rawValue)) key and IV for \(escapeHTML(epoch.keyPurpose))</a>: <span class=\"hex\">\(key.hexString) / \(iv.hexString)</span></li>"
            default:
                continue
            }
        }
        // Each extract opened a nested list; close them all.
        let opened = events.filter { $0.0 == side && { if case .extractSecret = $0 { true } else { false } }($0.1) }.count
        rows += String(repeating: "</ul></li>", count: opened)
        return "<h2 id=\"keys\">\(escapeHTML(word("key schedule"))) (RFC 8446 §7.1, \(escapeHTML(word(side.rawValue))))</h2><ul class=\"tree\">\(rows)</ul>\n"
    }

    /// The transcript hash a step used, when it used one.
    private func transcriptHash(of event: TLSEvent) -> [UInt8]? {
        switch event {
        case .deriveSecret(_, _, _, let hash, _, _): hash
        case .finished(_, _, let hash, _, _, _, _): hash
        default: nil
        }
    }

    private func printable(_ data: [UInt8]) -> String {
        if let text = String(validating: data, as: UTF8.self), text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            return text
        }
        return data.hexString
    }
}
