import QUIC
import TLS13
import TLSCrypto

/// One TLS handshake message as it lies in a CRYPTO stream: which level's stream, where, and
/// the event the TLS engine reported for it.
struct QUICHTMLCryptoMessage {
    var direction: Direction
    var level: EncryptionLevel
    var offset: UInt64
    var type: HandshakeType
    var bytes: [UInt8]
    var event: TLSEvent
    var anchor: String { "m-\(direction == .sent ? "s" : "r")\(level.rawValue)-\(offset)" }
    var end: UInt64 { offset + UInt64(bytes.count) }

    /// RFC 9001 §4.1.3: the level each handshake message travels at (`CryptoLevelCheck` holds
    /// the receiver's rule): ClientHello and ServerHello in Initial, NewSessionTicket in 1-RTT,
    /// the rest of the handshake in Handshake.
    static func level(of type: HandshakeType) -> EncryptionLevel {
        switch type {
        case .clientHello, .serverHello: .initial
        case .newSessionTicket: .application
        default: .handshake
        }
    }
}

/// The HTML of one packet: its bytes coloured by field, the table of fields, what header
/// protection sampled and masked, what opens the payload, and its frames, with the TLS messages
/// a CRYPTO frame carries as field trees.
struct QUICHTMLPacketBlock {
    let side: Side
    let layout: QUICTraceLayout
    /// The TLS page draws the TLS messages, so a ClientHello's field tree and its reasons read
    /// the same on both pages.
    private let tlsPage = HTMLPage(title: "", events: [])

    /// The packet's bytes and field table; `sample` outlines the header-protection sample.
    func labelled(_ bytes: [UInt8], _ spans: [QUICHTMLSpan], sample: Range<Int>?, id: String) -> String {
        var hex = "<div class=\"hex\">"
        var rows = ""
        for (number, span) in spans.enumerated() {
            let color = "c\(number % 8)"
            let field = "\(id)-\(number)"
            let tip = escapeHTML("\(span.name): \(span.value) (\(span.section))")
            // A field crossed by the sample is drawn in up to three pieces, each naming its offset.
            var cuts = [span.range.lowerBound, span.range.upperBound]
            if let sample {
                cuts += [sample.lowerBound, sample.upperBound].filter { span.range.contains($0) }
            }
            cuts = Array(Set(cuts)).sorted()
            for (start, end) in zip(cuts, cuts.dropFirst()) where start < end {
                let inSample = sample.map { $0.contains(start) } ?? false
                hex += "<span class=\"b \(color)\(inSample ? " smp" : "")\" data-f=\"\(field)\" data-o=\"\(start)\" title=\"\(tip)\">"
                    + bytes[start..<end].map { [$0].hexString }.joined(separator: " ") + "</span> "
            }
            rows += "<tr data-f=\"\(field)\"><td><span class=\"sw \(color)\"></span> <span class=\"n\">\(escapeHTML(span.name))</span></td>"
                + "<td class=\"v\">\(escapeHTML(span.value))</td><td>\(escapeHTML(span.section))</td><td class=\"why\">\(escapeHTML(span.why))</td></tr>"
        }
        hex += "</div>"
        let head = "<tr><th>field</th><th>value</th><th>section</th><th>why</th></tr>"
        return hex + "<table class=\"spans\">\(head)\(rows)</table>"
    }

    /// A protected packet, with the keys that protect it (and the anchor of their derivation).
    func render(_ direction: Direction, _ record: PacketRecord, id: String, keys: (PacketKeys, String)?,
                messages: [QUICHTMLCryptoMessage], shown: inout Set<String>) -> String {
        let h = record.header
        let p = record.protection
        let summary = "\(h.type.rawValue) packet \(direction == .sent ? "→" : "←") packet number \(p.packetNumber), \(record.protectedBytes.count) bytes"
            + (h.isLongHeader ? "" : ", key phase \(record.keyPhase ? 1 : 0)")
        let frames = record.frames.map(layout.frameSummary).joined(separator: ", ")
        var out = "<details class=\"rec\" id=\"\(id)\"><summary><b>\(escapeHTML(summary))</b>: \(escapeHTML(frames))</summary>"
        let sample = p.sampleOffset..<p.sampleOffset + p.sample.count
        out += labelled(record.protectedBytes, QUICHTMLSpans.spans(of: record), sample: sample, id: id)
        let header = record.protectedBytes.prefix(p.unprotectedHeader.count)
        out += "<div class=\"why\"><b>header protection</b> (RFC 9001 §5.4): a mask from a sample of the ciphertext hides the low bits of the first byte and the packet number, so middleboxes cannot read or rely on them</div>"
        out += table([
            ("algorithm", p.headerProtection),
            ("hp key", keys.map { $0.0.hp.hexString } ?? "?"),
            ("sample", "\(QUICTraceLayout.hex(p.sample)) (bytes \(sample.lowerBound)–\(sample.upperBound - 1), outlined above: 4 after the packet number starts)"),
            ("mask", "\(QUICTraceLayout.hex(p.mask)) (first byte ^= mask[0] & \(h.isLongHeader ? "0f" : "1f"); packet number ^= mask[1...])"),
            ("header on the wire", QUICTraceLayout.hex(header)),
            ("header in clear", QUICTraceLayout.hex(p.unprotectedHeader) + " (the additional data of the AEAD)"),
        ])
        out += "<div class=\"why\"><b>packet protection</b> (RFC 9001 §5.3): \(record.level == .initial ? "AES-128-GCM, whatever suite TLS picks" : "the AEAD of the suite TLS negotiated")"
            + "\(p.keyGeneration > 0 ? ", key generation \(p.keyGeneration) (RFC 9001 §6)" : "")</div>"
        var rows: [(String, String)] = []
        if let (k, anchor) = keys {
            rows.append(("key", "<a href=\"#\(anchor)\">\(k.key.hexString)</a>"))
            rows.append(("iv", k.iv.hexString))
        }
        rows += [("packet number", "\(p.packetNumber)"), ("nonce", "\(p.nonce.hexString) (iv XOR packet number)"), ("tag", p.tag.hexString)]
        out += "<table class=\"k\">" + rows.map { row in
            "<tr><td>\(row.0)</td><td class=\"v\">\(row.0 == "key" ? row.1 : escapeHTML(row.1))</td></tr>"
        }.joined() + "</table>"
        out += "<div class=\"why\"><b>frames</b> (\(record.frames.count), RFC 9000 §12.4, §19): the payload once opened</div><ul class=\"frames\">"
        for frame in record.frames {
            out += "<li>\(escapeHTML(layout.frameDetail(frame)))"
            if case .crypto(let offset, let data) = frame {
                out += crypto(direction, level: record.level, offset: offset, count: data.count, messages: messages, shown: &shown)
            }
            out += "</li>"
        }
        return out + "</ul></details>"
    }

    /// RFC 9001 §4: the TLS messages whose bytes a CRYPTO frame carries, each as the TLS page
    /// draws it, the first time it appears; afterwards a link to it.
    private func crypto(_ direction: Direction, level: EncryptionLevel, offset: UInt64, count: Int,
                        messages: [QUICHTMLCryptoMessage], shown: inout Set<String>) -> String {
        let end = offset + UInt64(count)
        var out = ""
        for message in messages where message.direction == direction && message.level == level && message.offset < end && offset < message.end {
            let from = max(offset, message.offset) - message.offset
            let to = min(end, message.end) - message.offset
            let name = TraceStep.messageName(message.type, message.bytes)
            let part = from == 0 && to == UInt64(message.bytes.count) ? "all of" : "bytes \(from)–\(to - 1) of"
            if shown.insert(message.anchor).inserted {
                out += "<div class=\"msg\" id=\"\(message.anchor)\"><div class=\"why\">\(part) \(escapeHTML(name)) (\(message.bytes.count) bytes, stream offset \(message.offset)):</div>"
                    + (tlsPage.messageStep(message.event, side: side) ?? "") + "</div>"
            } else {
                out += "<div class=\"why\">\(part) <a href=\"#\(message.anchor)\">\(escapeHTML(name))</a></div>"
            }
        }
        return out
    }

    /// RFC 9000 §17.2.5: a Retry's fields and its integrity check.
    func retry(_ direction: Direction, header: PacketHeader, originalDestinationConnectionID: [UInt8], tag: [UInt8], valid: Bool, id: String) -> String {
        var out = "<details class=\"rec\" id=\"\(id)\"><summary><b>Retry packet \(direction == .sent ? "→" : "←") \(header.bytes.count) bytes</b></summary>"
        out += labelled(header.bytes, QUICHTMLSpans.spans(ofRetry: header, integrityTag: tag), sample: nil, id: id)
        out += "<div class=\"why\"><b>why</b>: \"prove you can receive at your address, then come back\" (RFC 9000 §8.1.2): like TLS's HelloRetryRequest cookie, but before any TLS, so the server keeps no state until the client returns</div>"
        out += table([
            ("original Destination Connection ID", QUICTraceLayout.hex(originalDestinationConnectionID) + " (in the tag's pseudo-packet, not on the wire)"),
            ("Retry Integrity Tag", QUICTraceLayout.hex(tag) + " (AES-128-GCM, RFC 9001 §5.8)"),
            ("new Destination Connection ID", QUICTraceLayout.hex(header.sourceConnectionID) + ": the client's next Initials use it, and their keys come from it"),
        ])
        if direction == .received {
            out += "<div><span class=\"\(valid ? "ok" : "bad")\">\(valid ? "✓" : "✗")</span> "
                + (valid ? "the tag is right: this Retry answers our Initial" : "wrong tag: the Retry is discarded (RFC 9001 §5.8)") + "</div>"
        }
        return out + "</details>"
    }

    func table(_ rows: [(String, String)]) -> String {
        "<table class=\"k\">" + rows.map { "<tr><td>\(escapeHTML($0.0))</td><td class=\"v\">\(escapeHTML($0.1))</td></tr>" }.joined() + "</table>"
    }
}
