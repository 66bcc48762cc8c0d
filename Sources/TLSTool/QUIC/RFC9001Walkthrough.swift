import QUIC
import TLS13
import TLSCrypto

/// `quic-client --rfc9001`: RFC 9001 Appendix A ("Sample Packet Protection") computed, not quoted.
/// The inputs the RFC starts from go through the project's QUIC library (`InitialSecrets`,
/// `PacketKeys`, `PacketBuilder`, `PacketProtection`, `RetryIntegrity`); every value that comes
/// out is printed beside a ✓ when it equals the one the RFC publishes, a ✗ when it does not.
enum RFC9001Walkthrough {
    static func text(style: TextStyle) -> String {
        var page = Page(style: style, title: "RFC 9001 Appendix A, computed by this project's QUIC code")
        page.note("Each value below is computed now by Sources/QUIC from the inputs Appendix A starts "
                  + "from. ✓ means it equals the value RFC 9001 prints; inputs, and "
                  + "values the RFC does not print (A.2's and A.3's nonces and tags, A.4's pseudo-packet), have no mark.")
        do {
            let secrets = try keys(&page)
            try clientInitial(&page, keys: secrets.clientKeys)
            try serverInitial(&page, keys: secrets.serverKeys)
            try retry(&page)
            try chaCha20ShortHeader(&page)
        } catch {
            page.check("stopped", "\(error)", equal: false)
        }
        page.summary()
        return page.text
    }

    private static func bytes(_ hex: String) -> [UInt8] {
        guard let bytes = [UInt8](hex: hex) else { preconditionFailure("malformed hex in RFC9001Walkthrough+Vectors") }
        return bytes
    }

    /// A.1: the Initial secrets and keys of both directions.
    private static func keys(_ page: inout Page) throws -> InitialSecrets {
        page.heading("A.1 Keys (RFC 9001 §5.2)")
        page.note("Initial packets are protected with keys derived from the Destination Connection ID "
                  + "of the client's first Initial, which travels in clear: anyone who sees that packet "
                  + "can compute them, so they give no secrecy against an observer, and one on the path "
                  + "can rewrite them. They keep out off-path attackers, who never see the connection ID, "
                  + "and catch accidental damage. Secrecy starts with the Handshake keys, from TLS's key "
                  + "exchange.")
        let dcid = bytes(Inputs.connectionID)
        let s = try InitialSecrets(destinationConnectionID: dcid)
        page.row("client's DCID", QUICTraceLayout.hex(dcid), "input: 8 random bytes the client chose")
        page.compare("initial_salt", InitialSecrets.saltV1, bytes(Published.initialSalt), "fixed for QUIC version 1")
        page.compare("initial_secret", s.initialSecret, bytes(Published.initialSecret),
                     "HKDF-Extract(initial_salt, DCID) with SHA-256: Initial packets use TLS_AES_128_GCM_SHA256")
        page.subheading("HkdfLabel, the info HKDF-Expand-Label gives HKDF-Expand (RFC 8446 §7.1)")
        page.note("length (2 bytes), then \"tls13 \" + label (with its length), then an empty context (00)")
        for d in [s.client, s.server] + s.clientKeys.derivations {
            page.compare("\"\(d.label)\"", d.info, bytes(Published.hkdfLabels[d.label] ?? ""),
                         "asks for \(d.output.count) bytes")
        }
        page.subheading("The client's packets")
        page.compare("client_initial_secret", s.client.output, bytes(Published.clientInitialSecret),
                     "HKDF-Expand-Label(initial_secret, \"client in\", \"\", 32)")
        packetKeys(&page, s.clientKeys, "client", published: [Published.clientKey, Published.clientIV, Published.clientHP])
        page.subheading("The server's packets")
        page.compare("server_initial_secret", s.server.output, bytes(Published.serverInitialSecret),
                     "HKDF-Expand-Label(initial_secret, \"server in\", \"\", 32)")
        packetKeys(&page, s.serverKeys, "server", published: [Published.serverKey, Published.serverIV, Published.serverHP])
        return s
    }

    /// key, iv and hp of RFC 9001 §5.1, each beside the RFC's value.
    private static func packetKeys(_ page: inout Page, _ keys: PacketKeys, _ side: String, published: [String]) {
        let roles = ["quic key": "the AES-128-GCM key", "quic iv": "nonce = iv XOR packet number",
                     "quic hp": "header protection key"]
        for (d, rfc) in zip(keys.derivations, published) {
            let name = side + " " + d.label.replacingOccurrences(of: "quic ", with: "")
            page.compare(name, d.output, bytes(rfc), "\"\(d.label)\": \(roles[d.label] ?? "")")
        }
    }

    /// A.2: the client's first Initial, padded to 1200 bytes and protected.
    private static func clientInitial(_ page: inout Page, keys: PacketKeys) throws {
        page.heading("A.2 Client Initial (RFC 9001 §5.3, §5.4)")
        page.note("The client's first Initial carries the ClientHello in a CRYPTO frame, padded so the "
                  + "datagram is at least 1200 bytes (RFC 9000 §14.1): until the client's address is "
                  + "validated, a server sends at most three times what it received, so a small spoofed "
                  + "packet cannot make it flood someone else.")
        let frame = bytes(Inputs.clientCryptoFrame)
        let payload = frame + [UInt8](repeating: 0, count: Inputs.clientPayloadLength - frame.count)
        let (header, offset) = PacketBuilder.longHeader(
            type: .initial, destinationConnectionID: bytes(Inputs.connectionID), sourceConnectionID: [],
            packetNumber: Inputs.clientPacketNumber, packetNumberLength: 4, payloadLength: payload.count)
        try protectAndShow(&page, header: header, packetNumberOffset: offset, packetNumber: Inputs.clientPacketNumber,
                           payload: payload, payloadShown: frame, keys: keys, published: .init(
                               header: Published.clientUnprotectedHeader, sample: Published.clientSample,
                               mask: Published.clientMask, protectedHeader: Published.clientProtectedHeader,
                               packet: Published.clientPacket))
        page.note("Header protection hid only the first byte's low bits and the packet number: the "
                  + "version, the connection IDs and the Length stay readable, so a load balancer can "
                  + "route the packet without any key.")
    }

    /// A.3: the server's Initial, an ACK and the ServerHello, with a 2-byte packet number.
    private static func serverInitial(_ page: inout Page, keys: PacketKeys) throws {
        page.heading("A.3 Server Initial (RFC 9001 §5.3, §5.4)")
        page.note("The server answers with server_initial_secret's keys, which the client derived from "
                  + "the same connection ID: an ACK frame and the ServerHello in a CRYPTO frame, from its "
                  + "own new connection ID. No PADDING: in a real exchange this packet shares its "
                  + "datagram with the server's Handshake packets (RFC 9000 §12.2).")
        let payload = bytes(Inputs.serverPayload)
        let (header, offset) = PacketBuilder.longHeader(
            type: .initial, destinationConnectionID: [], sourceConnectionID: bytes(Inputs.serverConnectionID),
            packetNumber: Inputs.serverPacketNumber, packetNumberLength: 2, payloadLength: payload.count)
        try protectAndShow(&page, header: header, packetNumberOffset: offset, packetNumber: Inputs.serverPacketNumber,
                           payload: payload, payloadShown: payload, keys: keys, published: .init(
                               header: Published.serverUnprotectedHeader, sample: Published.serverSample,
                               mask: Published.serverMask, protectedHeader: Published.serverProtectedHeader,
                               packet: Published.serverPacket))
    }

    private struct PublishedPacket { var header, sample, mask, protectedHeader, packet: String }

    /// The steps of §5.3 and §5.4 for one packet: frames, header, AEAD, sample, mask, result.
    private static func protectAndShow(_ page: inout Page, header: [UInt8], packetNumberOffset: Int, packetNumber: UInt64,
                                       payload: [UInt8], payloadShown: [UInt8], keys: PacketKeys,
                                       published rfc: PublishedPacket) throws {
        let layout = QUICTraceLayout(side: .client, style: page.style, peer: "")
        let frames = try Frame.parseAll(payload)
        page.row("payload", "\(payload.count) bytes, \(frames.count) frame\(frames.count == 1 ? "" : "s")", "input")
        for frame in frames {
            var detail = layout.frameDetail(frame)
            if case .crypto(let at, let data) = frame, let type = data.first {
                detail = "CRYPTO offset \(at), \(data.count) bytes: TLS \(HandshakeType(rawValue: type).messageName)"
            }
            page.row("", detail)
        }
        let padding = payload.count - payloadShown.count
        page.dump(payloadShown, caption: padding > 0 ? "then \(padding) bytes of 00: each is a 1-byte PADDING frame" : nil)

        let pnLength = header.count - packetNumberOffset
        page.compare("header", header, bytes(rfc.header), "from PacketBuilder.longHeader; its fields (RFC 9000 §17.2.2):")
        for (bytes, meaning) in try longHeaderFields(header, packetNumberOffset: packetNumberOffset) {
            page.field(bytes, meaning)
        }

        let (packet, trace) = try PacketProtection.protect(header: header, packetNumberOffset: packetNumberOffset,
                                                           packetNumber: packetNumber, payload: payload, keys: keys)
        page.subheading("Packet protection (§5.3): AES-128-GCM seals the payload")
        page.row("nonce", QUICTraceLayout.hex(trace.nonce), "iv XOR packet number \(packetNumber)")
        page.row("associated data", "the header above", "so changing any header byte breaks the tag")
        page.row("tag", QUICTraceLayout.hex(trace.tag), "the last 16 bytes of the packet")

        page.subheading("Header protection (§5.4): a mask from a sample of the ciphertext")
        let skipped = 4 - pnLength
        page.compare("sample", trace.sample, bytes(rfc.sample),
                     "packet bytes \(trace.sampleOffset)..<\(trace.sampleOffset + 16): the sample starts 4 bytes after "
                     + "the packet number does, as if it were 4 bytes long (§5.4.2); "
                     + (skipped == 0 ? "it is, so these are the first 16 bytes of ciphertext"
                                     : "it is \(pnLength), so \(skipped) ciphertext byte\(skipped == 1 ? " is" : "s are") skipped"))
        page.compare("mask", trace.mask, bytes(rfc.mask), "AES-ECB(hp, sample), first 5 bytes (§5.4.3)")
        maskSteps(&page, header: header, packet: packet, packetNumberOffset: packetNumberOffset, mask: trace.mask,
                  protectedHeader: bytes(rfc.protectedHeader))
        page.compare("protected header", Array(packet.prefix(header.count)), bytes(rfc.protectedHeader))
        page.compare("protected packet", packet, bytes(rfc.packet), "header, ciphertext, tag")
    }

    /// "header[0] ^= mask[0] & 0x0f" and "header[pn] ^= mask[1...]", each beside the RFC's bytes.
    private static func maskSteps(_ page: inout Page, header: [UInt8], packet: [UInt8], packetNumberOffset: Int,
                                  mask: [UInt8], protectedHeader: [UInt8]) {
        let isLong = header[0] & 0x80 != 0
        let bits: UInt8 = isLong ? 0x0f : 0x1f
        func hex(_ bytes: some Collection<UInt8>) -> String { QUICTraceLayout.hex(bytes) }
        page.check("first byte", "\(hex([header[0]])) ^ (\(hex([mask[0]])) & \(hex([bits]))) = \(hex([packet[0]]))",
                   equal: packet[0] == protectedHeader.first,
                   isLong ? "long header: hides reserved bits, pn length" : "short header: hides key phase too")
        let pn = packetNumberOffset..<header.count
        let masked = Array(packet[pn])
        page.check("packet number", "\(hex(header[pn])) ^ \(hex(mask[1...pn.count])) = \(hex(masked))",
                   equal: protectedHeader.count == header.count && masked == Array(protectedHeader[pn]),
                   "mask[1...\(pn.count)] over the packet number")
    }

    /// RFC 9000 §17.2.2: an Initial's header, field by field, read back from the bytes.
    private static func longHeaderFields(_ header: [UInt8], packetNumberOffset: Int) throws -> [(ArraySlice<UInt8>, String)] {
        var r = ByteReader(header)
        var fields: [(ArraySlice<UInt8>, String)] = []
        var start = 0
        func cut(_ meaning: String) {
            fields.append((header[start..<r.offset], meaning))
            start = r.offset
        }
        let first = try r.u8("first byte")
        let typeBits = String(first >> 4 & 0x03, radix: 2).leftPadded(2)
        cut("\(String(first, radix: 2)): long, fixed, Initial (\(typeBits)), pn length \(Int(first & 0x03) + 1)")
        cut("version \(try r.u32("Version"))")
        let dcid = try r.vector(.u8, "DCID")
        cut(dcid.isEmpty ? "no Destination Connection ID" : "Destination Connection ID, \(dcid.count) bytes")
        let scid = try r.vector(.u8, "SCID")
        cut(scid.isEmpty ? "no Source Connection ID" : "Source Connection ID, \(scid.count) bytes")
        let token = try r.bytes(Int(try r.varint("Token Length")), "Token")
        cut(token.isEmpty ? "Token Length 0: no token" : "token, \(token.count) bytes")
        let length = Int(try r.varint("Length"))
        let pnLength = header.count - packetNumberOffset
        cut("Length \(length) = \(pnLength) (pn) + \(length - pnLength - 16) (payload) + 16 (tag)")
        let pn = try r.bytes(pnLength, "Packet Number")
        cut("packet number \(pn.reduce(0) { $0 << 8 | Int($1) }), in \(pnLength) bytes")
        return fields
    }

    /// A.4: a Retry and its integrity tag (§5.8).
    private static func retry(_ page: inout Page) throws {
        page.heading("A.4 Retry (RFC 9001 §5.8)")
        page.note("A server that wants proof the client can receive at its address answers the first "
                  + "Initial with a Retry: a token to send back and a new connection ID. A Retry has no "
                  + "packet protection; it ends with a 16-byte tag, AES-128-GCM with a key and nonce "
                  + "printed in the RFC, encrypting nothing, over the Retry pseudo-packet.")
        let odcid = bytes(Inputs.connectionID)
        let scid = bytes(Inputs.serverConnectionID)
        let token = bytes(Inputs.retryToken)
        page.row("ODCID", QUICTraceLayout.hex(odcid), "the DCID of the client's first Initial")
        page.row("Source Conn. ID", QUICTraceLayout.hex(scid), "the server's new connection ID")
        page.row("Retry Token", QUICTraceLayout.hex(token), "\"\(String(decoding: token, as: UTF8.self))\"")
        page.compare("key", RetryIntegrity.key, bytes(Published.retryKey), "fixed by §5.8, public")
        page.compare("nonce", RetryIntegrity.nonce, bytes(Published.retryNonce), "fixed by §5.8, public")

        let packet = try PacketBuilder.retry(destinationConnectionID: [], sourceConnectionID: scid, token: token,
                                             originalDestinationConnectionID: odcid)
        let withoutTag = Array(packet.dropLast(RetryIntegrity.tagLength))
        let pseudo = RetryIntegrity.pseudoPacket(originalDestinationConnectionID: odcid, retryWithoutTag: withoutTag)
        page.row("pseudo-packet", "\(pseudo.count) bytes", "the associated data; it never travels")
        let parts: [(Int, String)] = [(1 + odcid.count, "ODCID, with its length"),
                                      (5, "11111111: long, fixed, Retry (11); version 1"),
                                      (1 + 1 + scid.count, "no DCID; the server's SCID"),
                                      (token.count, "the Retry Token")]
        var at = 0
        for (count, meaning) in parts {
            page.field(pseudo[at..<min(at + count, pseudo.count)], meaning)
            at += count
        }
        let tag = try RetryIntegrity.tag(originalDestinationConnectionID: odcid, retryWithoutTag: withoutTag)
        let rfcPacket = bytes(Published.retryPacket)
        page.compare("Retry Integrity Tag", tag, Array(rfcPacket.suffix(RetryIntegrity.tagLength)),
                     "AES-128-GCM(key, nonce, plaintext: empty, aad: pseudo-packet)")
        page.compare("Retry packet", packet, rfcPacket, "the Retry without its tag, then the tag")
        page.check("client accepts it", "RetryIntegrity.isValid with ODCID \(QUICTraceLayout.hex(odcid))",
                   equal: RetryIntegrity.isValid(retry: packet, originalDestinationConnectionID: odcid))
        var otherODCID = odcid
        otherODCID[otherODCID.count - 1] ^= 0x01
        page.check("another ODCID", "rejected, for ODCID \(QUICTraceLayout.hex(otherODCID))",
                   equal: !RetryIntegrity.isValid(retry: packet, originalDestinationConnectionID: otherODCID))
        page.note("What the tag proves: the Retry was made by someone who saw the client's Initial (an "
                  + "off-path attacker does not know the ODCID), and it was not damaged on the way. What "
                  + "it does not prove: who made it. The key is public, so anyone on the path can forge "
                  + "a Retry; that is caught later, when the server's transport parameters must repeat "
                  + "the ODCID and the Retry's Source Connection ID (RFC 9000 §7.3).")
    }

    /// A.5: a 1-RTT packet with ChaCha20-Poly1305, and the key update secret.
    private static func chaCha20ShortHeader(_ page: inout Page) throws {
        page.heading("A.5 ChaCha20-Poly1305 Short Header Packet (RFC 9001 §5.4.4, §6)")
        page.note("A 1-RTT packet under TLS_CHACHA20_POLY1305_SHA256, from an example traffic secret "
                  + "(not the connection above). Its header protection is ChaCha20, not AES-ECB: "
                  + "the sample gives ChaCha20 its block counter and nonce, and the mask is 5 bytes of "
                  + "keystream.")
        let suite = CipherSuiteParameters(.chacha20Poly1305SHA256)!
        let secret = bytes(Inputs.chaCha20Secret)
        let keys = try PacketKeys(secret: secret, suite: suite)
        page.row("secret", QUICTraceLayout.hex(secret), "input: \(suite.suite)")
        for (d, rfc) in zip(keys.derivations, [Published.chaCha20Key, Published.chaCha20IV, Published.chaCha20HP]) {
            page.compare(d.label.replacingOccurrences(of: "quic ", with: ""), d.output, bytes(rfc),
                         "HKDF-Expand-Label(secret, \"\(d.label)\", \"\", \(d.output.count))")
        }
        let next = try keys.nextGeneration()
        page.compare("ku", next.secret, bytes(Published.chaCha20KeyUpdateSecret),
                     "HKDF-Expand-Label(secret, \"quic ku\", \"\", 32)")
        page.note("ku is the secret after one key update (§6.1): new key and iv come from it, hp stays.")

        let pn = Inputs.chaCha20PacketNumber
        let (header, offset) = PacketBuilder.shortHeader(destinationConnectionID: [], keyPhase: false,
                                                         packetNumber: pn, packetNumberLength: 3)
        func hex(_ bytes: some Collection<UInt8>) -> String { QUICTraceLayout.hex(bytes) }
        page.row("packet number", "\(pn) = 0x\(String(pn, radix: 16))",
                 "sent as its low 3 bytes: \(hex(header[offset...]))")
        page.compare("nonce", keys.nonce(for: pn), bytes(Published.chaCha20Nonce),
                     "iv XOR \(hex(PacketNumberEncoding.truncated(pn, length: 12)))")
        page.compare("header", header, bytes(Published.chaCha20UnprotectedHeader),
                     "\(String(header[0], radix: 2).leftPadded(8)): short, key phase 0, pn length 3; no DCID")
        page.row("payload", hex(bytes(Inputs.chaCha20Payload)), "one PING frame")
        let (packet, trace) = try PacketProtection.protect(header: header, packetNumberOffset: offset, packetNumber: pn,
                                                           payload: bytes(Inputs.chaCha20Payload), keys: keys)
        page.compare("ciphertext", Array(packet[header.count...]), bytes(Published.chaCha20Ciphertext),
                     "1 byte + 16-byte tag")
        page.compare("sample", trace.sample, bytes(Published.chaCha20Sample),
                     "4 bytes after the packet number starts; it is 3 bytes, so 1 ciphertext byte is skipped")
        page.compare("mask", trace.mask, bytes(Published.chaCha20Mask),
                     "ChaCha20 keystream (§5.4.4): key hp, block counter = sample[0..<4] little-endian, "
                     + "nonce = sample[4..<16], applied to 5 zero bytes")
        maskSteps(&page, header: header, packet: packet, packetNumberOffset: offset, mask: trace.mask,
                  protectedHeader: bytes(Published.chaCha20ProtectedHeader))
        page.compare("protected header", Array(packet.prefix(header.count)), bytes(Published.chaCha20ProtectedHeader))
        page.compare("protected packet", packet, bytes(Published.chaCha20Packet),
                     "\(packet.count) bytes, the smallest possible: the first byte, then the 4 + 16 bytes "
                     + "that header protection needs from where the packet number starts")
    }
}

/// The page as it is written: headings, notes, and `name  ✓ value  why` rows in at most 100 columns.
private struct Page {
    let style: TextStyle
    private(set) var text = ""
    private var compared = 0
    private var differing = 0

    private static let width = 100
    private static let nameWidth = 22
    /// Where values start: 2 spaces, the name, 2 spaces, the mark and a space.
    private static let valueColumn = 2 + nameWidth + 2 + 2

    init(style: TextStyle, title: String) {
        self.style = style
        text = style.apply(title, .bold) + "\n"
    }

    mutating func heading(_ title: String) { text += "\n" + style.apply(title, .bold) + "\n" }

    mutating func subheading(_ title: String) { text += "\n  " + style.apply(title, .bold) + "\n" }

    mutating func note(_ paragraph: String) {
        for line in Self.wrap(paragraph, width: Self.width - 2) { text += "  " + style.apply(line, .dim) + "\n" }
    }

    mutating func row(_ name: String, _ value: String, _ why: String? = nil) {
        line(name, mark: " ", value, why)
    }

    /// A row whose value is checked; `equal` decides the mark.
    mutating func check(_ name: String, _ value: String, equal: Bool, _ why: String? = nil) {
        compared += 1
        if !equal { differing += 1 }
        line(name, mark: style.check(equal), value, why)
    }

    /// Our bytes beside the RFC's: inline hex when it fits, else a byte count and a hexdump; the
    /// RFC's own bytes follow when they differ.
    mutating func compare(_ name: String, _ ours: [UInt8], _ rfc: [UInt8], _ why: String? = nil) {
        let fits = Self.valueColumn + ours.count * 2 <= Self.width
        let value = fits ? QUICTraceLayout.hex(ours) : "\(ours.count) bytes"
        check(name, value, equal: ours == rfc, why)
        if !fits { dump(ours) }
        if ours != rfc {
            let rfcFits = Self.valueColumn + rfc.count * 2 <= Self.width
            row("RFC 9001 has", rfcFits ? QUICTraceLayout.hex(rfc) : "\(rfc.count) bytes")
            if !rfcFits { dump(rfc) }
        }
    }

    /// One field of a header under its row: the bytes, then what they mean.
    mutating func field(_ bytes: some Collection<UInt8>, _ meaning: String) {
        row("", QUICTraceLayout.hex(bytes).padding(toLength: 20, withPad: " ", startingAt: 0), meaning)
    }

    mutating func dump(_ bytes: [UInt8], caption: String? = nil) {
        for line in HexFormatting.hexdump(bytes) { text += "    " + line + "\n" }
        if let caption { text += "    " + style.apply(caption, .dim) + "\n" }
    }

    private mutating func line(_ name: String, mark: String, _ value: String, _ why: String?) {
        let label = name.padding(toLength: max(name.count, Self.nameWidth), withPad: " ", startingAt: 0)
        let start = "  \(label)  \(mark) \(value)"
        let used = Self.valueColumn + max(0, name.count - Self.nameWidth) + value.count
        guard let why, used + 2 + why.count > Self.width else {
            text += start + (why.map { "  " + style.apply($0, .dim) } ?? "") + "\n"
            return
        }
        // Too long to go beside the value: under it, wrapped.
        let indent = String(repeating: " ", count: Self.valueColumn)
        text += start + "\n" + Self.wrap(why, width: Self.width - Self.valueColumn)
            .map { indent + style.apply($0, .dim) + "\n" }.joined()
    }

    mutating func summary() {
        let allEqual = differing == 0
        text += "\n\(style.check(allEqual)) " + style.apply(allEqual
            ? "all \(compared) values equal RFC 9001's"
            : "\(differing) of \(compared) values differ from RFC 9001's", .bold) + "\n"
    }

    private static func wrap(_ paragraph: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in paragraph.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
