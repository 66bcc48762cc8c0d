import Foundation
import QUIC
import TLS13
import TLSCrypto

/// The illustrated page of one QUIC connection as one side saw it (issue 18, `--html FILE`),
/// the counterpart of the TLS tools' `HTMLPage`, rendered from the same `QUICEvent`s as the
/// terminal trace: no second parser of the wire. It reads as a ladder of datagrams, what this
/// side sent in its column and what it received in the peer's; each packet opens to its
/// protected bytes coloured by header field (the header-protection sample outlined in the
/// ciphertext), the mask, the nonce, and its frames, a CRYPTO frame with the TLS messages it
/// carries drawn as the TLS page draws them. The keys, key updates, Retry, losses and probe
/// timeouts stand between the datagrams as notes, in the words of the terminal trace.
struct QUICHTMLPage {
    var title: String
    var side: Side
    var events: [QUICEvent]

    /// What the QUIC page adds to the TLS page's stylesheet (`HTMLAssets.style`).
    static let style = """
        .dg{font-weight:600;margin-top:.6rem}.ev.client.dg{color:var(--client)}.ev.server.dg{color:var(--server)}
        .smp{outline:2px dashed #111;outline-offset:-1px}div.hex{word-break:normal}
        pre.note{font:12px/1.4 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;white-space:pre;overflow-x:auto;margin:.2rem 0}
        ul.frames{margin:.2rem 0;padding-left:1.2rem;font-size:13px}.msg{margin:.3rem 0}
        """

    func render() -> String {
        let body = header() + "<h2 id=\"ladder\">client ⇄ server</h2>\n<div class=\"ladder\">\n" + ladder() + "</div>\n"
        return HTMLPage.document(title: title, body: body, extraStyle: Self.style)
    }

    // MARK: Header

    private func header() -> String {
        var rows: [(String, String)] = [("this page", "the \(side)'s view: what it sent in its column, what it received in the \(side.peer)'s")]
        for case .initialSecrets(let secrets) in events {
            rows.append(("first Destination Connection ID", QUICTraceLayout.hex(secrets.destinationConnectionID)))
            break
        }
        for case .tls(.handshakeComplete(let suite, let group, _, _)) in events {
            rows.append(("cipher suite", suite.description))
            rows.append(("key exchange", group?.description ?? "psk_ke"))
            break
        }
        let datagrams = events.filter { if case .datagram = $0 { true } else { false } }.count
        let packets = events.filter { if case .packet = $0 { true } else { false } }.count
        rows.append(("datagrams, packets", "\(datagrams), \(packets)"))
        let table = rows.map { "<tr><th>\(escapeHTML($0.0))</th><td class=\"v\">\(escapeHTML($0.1))</td></tr>" }.joined()
        return """
            <h1>\(escapeHTML(title))</h1>
            <nav><a href="#ladder">client ⇄ server</a></nav>
            <table class="summary">\(table)</table>
            <p class="why">QUIC (RFC 9000) carries the TLS 1.3 handshake in CRYPTO frames instead of records (RFC 9001 §4) and protects each packet with keys TLS derives (§5): Initial keys anyone can compute from the first Destination Connection ID, then Handshake and 1-RTT keys. Each packet below opens to its bytes, labelled by field.</p>

            """
    }

    // MARK: Ladder

    /// The column an event stands in: what arrived stands in the sender's.
    private func column(_ direction: Direction) -> Side { direction == .sent ? side : side.peer }

    private func ladder() -> String {
        let block = QUICHTMLPacketBlock(side: side, layout: QUICTraceLayout(side: side, style: .plain, peer: "the \(side.peer)"))
        let messages = cryptoMessages()
        var shown: Set<String> = []
        var keys: [String: (PacketKeys, String)] = [:]
        func keyName(_ level: EncryptionLevel, _ direction: Direction, _ generation: Int) -> String { "\(level.rawValue)-\(direction)-\(generation)" }
        var out = ""
        var heldRetry: String?
        for (index, event) in events.enumerated() {
            switch event {
            case .datagram(let direction, let bytes):
                let arrow = direction == .sent ? "→ sent" : "← received"
                let held = heldRetry == nil ? [] : ["Retry"]
                let packets = (held + packetsIn(datagramAt: index)).joined(separator: " + ")
                out += "<div class=\"ev \(column(direction)) dg\" id=\"d\(index)\">\(arrow) UDP datagram, \(bytes.count) bytes"
                    + (packets.isEmpty ? "" : ": \(escapeHTML(packets))") + "</div>\n"
                if let retry = heldRetry {
                    out += retry
                    heldRetry = nil
                }
            case .packet(let direction, let record):
                var key = keys[keyName(record.level, direction, record.protection.keyGeneration)]
                if key == nil, record.protection.keyGeneration > 0,
                   let previous = keys[keyName(record.level, direction, record.protection.keyGeneration - 1)],
                   let next = try? previous.0.nextGeneration() {
                    // A key update we started: the next generation of our own keys (RFC 9001 §6.1).
                    key = (next, previous.1)
                    keys[keyName(record.level, direction, next.generation)] = key
                }
                out += "<div class=\"ev \(column(direction))\">"
                    + block.render(direction, record, id: "p\(index)", keys: key, messages: messages, shown: &shown) + "</div>\n"
            case .retry(let direction, let header, let original, let tag, let valid):
                let html = "<div class=\"ev \(column(direction))\">"
                    + block.retry(direction, header: header, originalDestinationConnectionID: original, tag: tag, valid: valid, id: "p\(index)") + "</div>\n"
                // A server reports its Retry before the datagram that carries it.
                if direction == .sent { heldRetry = html } else { out += html }
            case .initialSecrets(let secrets):
                let anchor = "k\(index)"
                keys[keyName(.initial, .sent, 0)] = (secrets.keys(for: side), anchor)
                keys[keyName(.initial, .received, 0)] = (secrets.keys(for: side.peer), anchor)
                out += note(event, layout: block.layout, anchor: anchor)
            case .packetKeys(let level, let direction, let k):
                keys[keyName(level, direction, k.generation)] = (k, "k\(index)")
                out += note(event, layout: block.layout, anchor: "k\(index)")
            case .keyUpdate(_, _, let next):
                keys[keyName(.application, .received, next.generation)] = (next, "k\(index)")
                out += note(event, layout: block.layout, anchor: "k\(index)")
            case .check(let what, let passed, let rule):
                out += check(what, passed: passed, rule: rule)
            case .tls(.check(let what, let passed, let rule)):
                out += check(what, passed: passed, rule: rule)
            case .tls(.handshakeComplete(let suite, _, _, _)):
                out += "<div class=\"ev \(side)\"><span class=\"ok\">✓</span> TLS handshake complete: \(escapeHTML(suite.description))</div>\n"
            case .tls:
                // The handshake messages stand in the CRYPTO frames that carry them.
                continue
            default:
                out += note(event, layout: block.layout, anchor: nil)
            }
        }
        return out + (heldRetry ?? "")
    }

    /// The packets a datagram holds, as the events after it report them (until the next datagram).
    private func packetsIn(datagramAt index: Int) -> [String] {
        var kinds: [String] = []
        for event in events[(index + 1)...] {
            switch event {
            case .datagram: return kinds
            case .packet(_, let record): kinds.append(record.header.type.rawValue)
            case .retry(.received, _, _, _, _): kinds.append("Retry")
            case .packetDropped(let bytes, _): kinds.append("\(bytes.count) bytes dropped")
            default: continue
            }
        }
        return kinds
    }

    /// A step between the datagrams, in the terminal trace's words.
    private func note(_ event: QUICEvent, layout: QUICTraceLayout, anchor: String?) -> String {
        guard let text = layout.render(event)?.trimmingCharacters(in: .newlines), !text.isEmpty else { return "" }
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let title = lines[0].trimmingCharacters(in: .whitespaces)
        let rest = lines.count > 1 ? "<pre class=\"note\">\(escapeHTML(String(lines[1])))</pre>" : ""
        let id = anchor.map { " id=\"\($0)\"" } ?? ""
        return "<div class=\"ev \(side)\"\(id)><div class=\"t\">\(escapeHTML(title))</div>\(rest)</div>\n"
    }

    private func check(_ what: String, passed: Bool, rule: String?) -> String {
        let behind = rule.map { "<div class=\"why\">\(escapeHTML($0))</div>" } ?? ""
        return "<div class=\"ev \(side)\"><span class=\"\(passed ? "ok" : "bad")\">\(passed ? "✓" : "✗")</span> \(escapeHTML(what))\(behind)</div>\n"
    }

    /// Every TLS handshake message, placed in its level's CRYPTO stream of its direction: each
    /// stream is the messages of that level one after another (RFC 9001 §4.1.3).
    private func cryptoMessages() -> [QUICHTMLCryptoMessage] {
        var offsets: [String: UInt64] = [:]
        var found: [QUICHTMLCryptoMessage] = []
        for case .tls(let event) in events {
            guard case .handshakeMessage(let direction, let type, let bytes, _) = event else { continue }
            let level = QUICHTMLCryptoMessage.level(of: type)
            let stream = "\(direction)-\(level.rawValue)"
            let offset = offsets[stream, default: 0]
            found.append(QUICHTMLCryptoMessage(direction: direction, level: level, offset: offset, type: type, bytes: bytes, event: event))
            offsets[stream] = offset + UInt64(bytes.count)
        }
        return found
    }
}
