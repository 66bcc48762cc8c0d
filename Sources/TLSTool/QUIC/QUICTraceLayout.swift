import QUIC
import TLS13

/// The QUIC tools' trace: each datagram, each packet's header fields, what header protection
/// sampled and masked, the AEAD's nonce and tag, each frame, the keys as they are derived, loss
/// and probes, Retry. TLS's own events (the messages inside CRYPTO frames, the key schedule)
/// go to the same `TracePrinter` the TLS tools use, so a ClientHello reads the same in both.
struct QUICTraceLayout {
    let side: Side
    let style: TextStyle
    /// A peer address to name in datagram lines.
    var peer: String

    private func heading(_ text: String) -> String { style.apply(text, .bold) }
    private func dim(_ text: String) -> String { style.apply(text, .dim) }
    static func hex(_ bytes: some Collection<UInt8>) -> String { bytes.isEmpty ? "(empty)" : bytes.map { String($0, radix: 16).leftPadded(2) }.joined() }
    private func row(_ indent: Int, _ name: String, _ value: String, _ why: String? = nil) -> String {
        let pad = String(repeating: " ", count: indent)
        let label = name.padding(toLength: max(name.count, 24 - indent), withPad: " ", startingAt: 0)
        return "\(pad)\(label)  \(value)" + (why.map { "  " + dim($0) } ?? "") + "\n"
    }

    func render(_ event: QUICEvent) -> String? {
        switch event {
        case .initialSecrets(let s):
            var out = heading("Initial keys (RFC 9001 §5.2): anyone who sees the client's first Destination Connection ID can compute them") + "\n"
            out += row(2, "Destination Conn. ID", Self.hex(s.destinationConnectionID))
            out += row(2, "initial_salt", Self.hex(InitialSecrets.saltV1), "fixed by RFC 9001 for QUIC v1")
            out += row(2, "initial_secret", Self.hex(s.initialSecret), "HKDF-Extract(initial_salt, Destination Connection ID)")
            out += row(2, "client in", Self.hex(s.client.output), "HKDF-Expand-Label(initial_secret, \"client in\", \"\", 32)")
            out += keys(s.clientKeys, indent: 4)
            out += row(2, "server in", Self.hex(s.server.output), "HKDF-Expand-Label(initial_secret, \"server in\", \"\", 32)")
            out += keys(s.serverKeys, indent: 4)
            return out
        case .packetKeys(let level, let direction, let k):
            let who = (direction == .sent) == (side == .client) ? "client" : "server"
            var out = heading("\(level.name) packet keys, \(who) → (RFC 9001 §5.1), from the TLS traffic secret") + "\n"
            out += row(2, "secret", Self.hex(k.secret), "\(k.suite.suite)")
            out += keys(k, indent: 4)
            return out
        case .keysDiscarded(let level):
            return dim("\(level.name) keys discarded (RFC 9001 §4.9): no more \(level.name) packets either way") + "\n"
        case .datagram(let direction, let bytes):
            let arrow = direction == .sent ? "→ sent" : "← received"
            let whom = direction == .sent ? "to \(peer)" : "from \(peer)"
            return "\n" + style.side("\(arrow) UDP datagram, \(bytes.count) bytes \(whom)", direction == .sent ? side : side.peer) + "\n"
        case .packet(let direction, let record):
            return packet(direction, record)
        case .packetDropped(let bytes, let reason):
            return style.apply("  dropped \(bytes.count) bytes: \(reason)", .yellow) + "\n"
        case .retry(let direction, let header, let odcid, let tag, let valid):
            var out = heading("  Retry (RFC 9000 §17.2.5): \"prove you can receive at your address, then come back\"") + "\n"
            out += row(4, "Source Conn. ID", Self.hex(header.sourceConnectionID), "the client's new Destination Connection ID")
            out += row(4, "Retry Token", "\(header.token.count) bytes", "echoed in the client's next Initials; only the server can read it")
            out += row(4, "Retry Integrity Tag", Self.hex(tag), "AES-128-GCM over the pseudo-packet with ODCID \(Self.hex(odcid)) (RFC 9001 §5.8)")
            if direction == .received {
                out += "    \(style.check(valid)) " + (valid ? "the tag is right: this Retry answers our Initial" : "wrong tag: the Retry is discarded (RFC 9001 §5.8)") + "\n"
            }
            out += dim("    like TLS's HelloRetryRequest cookie, but before any TLS: the server keeps no state until the client returns") + "\n"
            return out
        case .packetLost(let level, let number, let frames, let byTime):
            let why = byTime ? "sent 9/8 of a round trip before an acknowledged packet" : "3 later packets were acknowledged"
            let data = frames.filter { if case .ack = $0 { false } else { true } }.map(frameSummary).joined(separator: ", ")
            return style.apply("  lost: \(level.name) packet \(number) (\(why), RFC 9002 §6.1)", .yellow)
                + (data.isEmpty ? "" : dim(" → sent again: \(data)")) + "\n"
        case .probeTimeout(let count, let level):
            return style.apply("  probe timeout #\(count) (RFC 9002 §6.2): no acknowledgement in time; probing\(level.map { " in \($0.name)" } ?? "")", .yellow) + "\n"
        case .keyUpdate(let generation, let local, let next):
            var out = heading("1-RTT key update to generation \(generation) (RFC 9001 §6), \(local ? "we asked, the peer followed" : "the peer flipped Key Phase; we follow")") + "\n"
            out += row(2, "secret", Self.hex(next.secret), "HKDF-Expand-Label(previous secret, \"quic ku\", \"\", Hash.length)")
            out += keys(next, indent: 4)
            return out
        case .handshakeConfirmed:
            return heading("handshake confirmed (RFC 9001 §4.1.2)") + "\n"
        case .peerTransportParameters(let p, let bytes):
            return transportParameters(p, bytes)
        case .check(let what, let passed, _):
            return "  \(style.check(passed)) \(what)\n"
        case .closed(let error, let how):
            let what = error.map { "\($0)" } ?? "no error"
            return heading("connection closed (\(how.rawValue)): \(what)") + "\n"
        case .tls:
            return nil
        }
    }

    private func keys(_ k: PacketKeys, indent: Int) -> String {
        k.derivations.map { row(indent, $0.label, Self.hex($0.output)) }.joined()
    }

    private func packet(_ direction: Direction, _ r: PacketRecord) -> String {
        let h = r.header
        let p = r.protection
        var out = "  " + heading("\(h.type.rawValue) packet, packet number \(p.packetNumber)") + dim("  (\(r.protectedBytes.count) bytes, \(h.isLongHeader ? "long" : "short") header)") + "\n"
        let first = p.unprotectedHeader[0]
        let bits = String(first, radix: 2).leftPadded(8)
        let meaning = h.isLongHeader
            ? "form 1 (long), fixed 1, type \(bits.dropFirst(2).prefix(2)), reserved \(bits.dropFirst(4).prefix(2)), pn length \(p.packetNumberLength)"
            : "form 0 (short), fixed 1, spin 0, reserved \(bits.dropFirst(3).prefix(2)), key phase \(r.keyPhase ? 1 : 0), pn length \(p.packetNumberLength)"
        out += row(4, "first byte", Self.hex([first]) + " = " + bits, meaning)
        if h.isLongHeader {
            out += row(4, "Version", Self.hex((0..<4).map { UInt8(truncatingIfNeeded: h.version >> (24 - 8 * $0)) }))
            out += row(4, "Destination Conn. ID", Self.hex(h.destinationConnectionID))
            out += row(4, "Source Conn. ID", Self.hex(h.sourceConnectionID))
            if h.type == .initial { out += row(4, "Token", h.token.isEmpty ? "(none)" : "\(h.token.count) bytes", h.token.isEmpty ? nil : "from the Retry") }
            if let length = h.lengthField { out += row(4, "Length", "\(length.value)", "packet number + payload + 16-byte tag") }
        } else {
            out += row(4, "Destination Conn. ID", Self.hex(h.destinationConnectionID))
        }
        let pnBytes = p.unprotectedHeader.suffix(p.packetNumberLength)
        out += row(4, "Packet Number", "\(Self.hex(pnBytes)) → \(p.packetNumber)", "only the low \(p.packetNumberLength * 8) bits travel (RFC 9000 §17.1)")
        out += row(4, "header protection", p.headerProtection + " (RFC 9001 §5.4)")
        out += row(6, "sample", Self.hex(p.sample), "16 bytes of ciphertext, 4 after the packet number starts")
        out += row(6, "mask", Self.hex(p.mask), "first byte ^= mask[0] & \(h.isLongHeader ? "0f" : "1f"); packet number ^= mask[1...]")
        out += row(6, "on the wire", Self.hex(r.protectedBytes.prefix(p.unprotectedHeader.count)), "the header as sent, low bits and packet number hidden")
        out += row(4, "packet protection", "\(r.level == .initial ? "AES-128-GCM" : "AEAD of the suite") (RFC 9001 §5.3)\(p.keyGeneration > 0 ? ", key generation \(p.keyGeneration)" : "")")
        out += row(6, "nonce", Self.hex(p.nonce), "iv XOR packet number")
        out += row(6, "tag", Self.hex(p.tag))
        out += "    frames (\(r.frames.count)):\n"
        for frame in r.frames { out += "      \(frameDetail(frame))\n" }
        return out
    }

    func frameSummary(_ f: Frame) -> String {
        switch f {
        case .crypto(let offset, let data): "CRYPTO \(offset)+\(data.count)"
        case .stream(let id, let offset, let data, let fin): "STREAM \(id) \(offset)+\(data.count)\(fin ? " FIN" : "")"
        default: f.name
        }
    }

    func frameDetail(_ f: Frame) -> String {
        switch f {
        case .padding(let count): return "PADDING \(count) bytes"
        case .ack(let ack):
            let ranges = ack.ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            return "ACK packets \(ranges.joined(separator: ", ")), delay \(ack.ackDelay)"
        case .crypto(let offset, let data): return "CRYPTO offset \(offset), \(data.count) bytes of TLS handshake" + dim("  (RFC 9001 §4: TLS messages without records)")
        case .stream(let id, let offset, let data, let fin):
            return "STREAM \(id) offset \(offset), \(data.count) bytes\(fin ? ", FIN" : "")" + dim("  \(Self.preview(data))")
        case .maxData(let m): return "MAX_DATA \(m)" + dim("  (RFC 9000 §4.1: the peer may send this much in all)")
        case .maxStreamData(let id, let m): return "MAX_STREAM_DATA stream \(id): \(m)"
        case .maxStreams(let bidi, let m): return "MAX_STREAMS \(bidi ? "bidirectional" : "unidirectional") \(m)"
        case .newConnectionID(let seq, let retire, let id, _): return "NEW_CONNECTION_ID #\(seq) \(Self.hex(id)) (retire before \(retire))"
        case .connectionClose(let code, let type, let reason):
            let name = type == nil ? "application error \(code)" : TransportErrorCode(rawValue: code).description
            return "CONNECTION_CLOSE \(name)" + (reason.isEmpty ? "" : " \"\(String(decoding: reason, as: UTF8.self))\"")
        case .handshakeDone: return "HANDSHAKE_DONE" + dim("  (RFC 9000 §19.20: the server confirms the handshake)")
        case .newToken(let t): return "NEW_TOKEN \(t.count) bytes"
        default: return f.name
        }
    }

    static func preview(_ data: [UInt8]) -> String {
        let text = String(decoding: data.prefix(40), as: UTF8.self)
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f || $0 == "\n" }
        guard printable, !data.isEmpty else { return "" }
        return "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + (data.count > 40 ? "…" : "") + "\""
    }

    private func transportParameters(_ p: TransportParameters, _ bytes: [UInt8]) -> String {
        var out = heading("  the \(side.peer)'s quic_transport_parameters (RFC 9000 §18), \(bytes.count) bytes") + "\n"
        if let v = p.originalDestinationConnectionID { out += row(4, "original_destination_connection_id", Self.hex(v)) }
        if let v = p.initialSourceConnectionID { out += row(4, "initial_source_connection_id", Self.hex(v)) }
        if let v = p.retrySourceConnectionID { out += row(4, "retry_source_connection_id", Self.hex(v)) }
        out += row(4, "max_idle_timeout", "\(p.maxIdleTimeout) ms")
        out += row(4, "initial_max_data", "\(p.initialMaxData)")
        out += row(4, "initial_max_stream_data_bidi_local", "\(p.initialMaxStreamDataBidiLocal)")
        out += row(4, "initial_max_stream_data_bidi_remote", "\(p.initialMaxStreamDataBidiRemote)")
        out += row(4, "initial_max_streams_bidi", "\(p.initialMaxStreamsBidi)")
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
