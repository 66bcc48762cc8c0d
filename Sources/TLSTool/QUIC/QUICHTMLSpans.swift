import QUIC
import TLS13

/// One labelled field of a QUIC packet as it travels: where its bytes are in the protected
/// packet, what they mean, the RFC section and why the field exists.
struct QUICHTMLSpan: Equatable {
    var name: String
    var range: Range<Int>
    var value: String
    var section: String
    var why: String
}

/// The fields of a packet's protected bytes, in order, each byte in exactly one field. Built
/// from what the QUIC library already parsed (`PacketHeader`, `ProtectionTrace`): the offsets
/// come from the header's lengths, never from reading the bytes a second time.
enum QUICHTMLSpans {
    /// A protected Initial, Handshake or 1-RTT packet (RFC 9000 §17.2, §17.3.1).
    static func spans(of record: PacketRecord) -> [QUICHTMLSpan] {
        let h = record.header
        let p = record.protection
        let total = record.protectedBytes.count
        var spans = headerFields(h, protectedFirstByte: record.protectedBytes.first ?? 0, unprotectedFirstByte: p.unprotectedHeader.first ?? 0,
                                 keyPhase: record.keyPhase, packetNumberLength: p.packetNumberLength)
        let pnStart = h.packetNumberOffset
        let pnEnd = pnStart + p.packetNumberLength
        spans.append(QUICHTMLSpan(name: "Packet Number", range: pnStart..<pnEnd,
                                  value: "\(QUICTraceLayout.hex(record.protectedBytes[pnStart..<pnEnd])) masked; \(QUICTraceLayout.hex(p.unprotectedHeader.suffix(p.packetNumberLength))) → \(p.packetNumber)",
                                  section: "RFC 9000 §17.1, RFC 9001 §5.4",
                                  why: "only the low \(p.packetNumberLength * 8) bits travel, hidden by header protection"))
        spans.append(QUICHTMLSpan(name: "encrypted payload", range: pnEnd..<total - 16, value: "\(total - 16 - pnEnd) bytes: the frames, sealed",
                                  section: "RFC 9001 §5.3", why: "AEAD with nonce = iv XOR packet number, the unprotected header as additional data"))
        spans.append(QUICHTMLSpan(name: "AEAD tag", range: total - 16..<total, value: QUICTraceLayout.hex(p.tag),
                                  section: "RFC 9001 §5.3", why: "16 bytes that prove header and payload are the sender's, unchanged"))
        return spans
    }

    /// RFC 9000 §17.2.5: a Retry's fields; it has no packet number and no payload, only a token
    /// and the Retry Integrity Tag (RFC 9001 §5.8).
    static func spans(ofRetry h: PacketHeader, integrityTag: [UInt8]) -> [QUICHTMLSpan] {
        var spans = headerFields(h, protectedFirstByte: h.firstByte, unprotectedFirstByte: h.firstByte, keyPhase: false, packetNumberLength: 0)
        let tokenStart = spans.last?.range.upperBound ?? 0
        let tagStart = h.bytes.count - integrityTag.count
        spans.append(QUICHTMLSpan(name: "Retry Token", range: tokenStart..<tagStart, value: "\(tagStart - tokenStart) bytes",
                                  section: "RFC 9000 §17.2.5", why: "the client echoes it in its next Initials; only the server can read it"))
        spans.append(QUICHTMLSpan(name: "Retry Integrity Tag", range: tagStart..<h.bytes.count, value: QUICTraceLayout.hex(integrityTag),
                                  section: "RFC 9001 §5.8", why: "AES-128-GCM over the Retry and the original Destination Connection ID: only a Retry answering this Initial passes"))
        return spans
    }

    /// The header up to (not including) the Packet Number: long or short form.
    private static func headerFields(_ h: PacketHeader, protectedFirstByte: UInt8, unprotectedFirstByte: UInt8,
                                     keyPhase: Bool, packetNumberLength: Int) -> [QUICHTMLSpan] {
        var spans: [QUICHTMLSpan] = []
        var at = 0
        func add(_ name: String, _ count: Int, _ value: String, _ section: String, _ why: String) {
            spans.append(QUICHTMLSpan(name: name, range: at..<at + count, value: value, section: section, why: why))
            at += count
        }
        let bits = String(unprotectedFirstByte, radix: 2).leftPadded(8)
        let meaning = !h.isLongHeader
            ? "form 0 (short), fixed 1, spin \(bits.dropFirst(2).prefix(1)), reserved \(bits.dropFirst(3).prefix(2)), key phase \(keyPhase ? 1 : 0), pn length \(packetNumberLength)"
            : h.type == .retry ? "form 1 (long), fixed 1, type 11 (Retry), unused \(bits.dropFirst(4))"
            : "form 1 (long), fixed 1, type \(bits.dropFirst(2).prefix(2)) (\(h.type.rawValue)), reserved \(bits.dropFirst(4).prefix(2)), pn length \(packetNumberLength)"
        let masked = protectedFirstByte == unprotectedFirstByte ? "" : " (\(QUICTraceLayout.hex([protectedFirstByte])) on the wire, masked)"
        add("first byte", 1, "\(QUICTraceLayout.hex([unprotectedFirstByte])) = \(bits)\(masked)", h.isLongHeader ? "RFC 9000 §17.2" : "RFC 9000 §17.3.1",
            meaning + (h.type == .retry ? "" : "; the low \(h.isLongHeader ? 4 : 5) bits are hidden by header protection"))
        guard h.isLongHeader else {
            add("Destination Connection ID", h.destinationConnectionID.count, QUICTraceLayout.hex(h.destinationConnectionID), "RFC 9000 §17.3.1",
                "no length byte: the receiver knows the length of the IDs it chose")
            return spans
        }
        add("Version", 4, QUICTraceLayout.hex(h.bytes[1..<5]), "RFC 9000 §17.2, §15", "QUIC version 1")
        add("DCID Len", 1, "\(h.destinationConnectionID.count)", "RFC 9000 §17.2", "connection IDs are 0 to 20 bytes")
        add("Destination Connection ID", h.destinationConnectionID.count, QUICTraceLayout.hex(h.destinationConnectionID), "RFC 9000 §5.1, §7.2",
            "chosen by the receiver (the client's first one is random, and seeds the Initial keys)")
        add("SCID Len", 1, "\(h.sourceConnectionID.count)", "RFC 9000 §17.2", "")
        add("Source Connection ID", h.sourceConnectionID.count, QUICTraceLayout.hex(h.sourceConnectionID), "RFC 9000 §7.2",
            "the ID the sender wants to be addressed by")
        guard h.type != .retry else { return spans }
        let lengthSize = h.lengthField?.size ?? 0
        if h.type == .initial {
            let tokenLengthSize = h.packetNumberOffset - at - h.token.count - lengthSize
            add("Token Length", tokenLengthSize, "\(h.token.count)", "RFC 9000 §17.2.2, §16", "a variable-length integer")
            if !h.token.isEmpty {
                add("Token", h.token.count, "\(h.token.count) bytes", "RFC 9000 §8.1.2", "from the server's Retry: proof the client receives at its address")
            }
        }
        if let length = h.lengthField {
            add("Length", length.size, "\(length.value)", "RFC 9000 §17.2", "packet number + payload + 16-byte tag: where the next coalesced packet starts")
        }
        return spans
    }
}
