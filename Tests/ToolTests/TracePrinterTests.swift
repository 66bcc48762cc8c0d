import Testing
import TLS13
import TLSTool

@Suite("Trace printer")
struct TracePrinterTests {
    func render(_ events: [TLSEvent], style: TextStyle = .plain, steps: (@Sendable (String) -> Void)? = nil) -> String {
        let sink = StringSink()
        let printer = TracePrinter(side: .client, style: style, sink: sink, beforeStep: steps)
        events.forEach(printer.observe)
        printer.flush()
        return sink.text
    }

    @Test("Golden: sections in protocol order, field tree with header, record dump, key schedule, Finished check, alert")
    func golden() {
        let expected = """

        [client] key schedule ────────────────────────────────────────────────────────
          create an ephemeral x25519 key pair
            private key  32 octets  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
                                    10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
            public key   32 octets  1f 1e 1d 1c 1b 1a 19 18 17 16 15 14 13 12 11 10
                                    0f 0e 0d 0c 0b 0a 09 08 07 06 05 04 03 02 01 00

        [client] → ClientHello ───────────────────────────────────────────────────────
          ├─ msg_type: client_hello (1)                              01
          ├─ length: 46                                              00 00 2e
          ├─ legacy_version: TLS 1.2 (0x0303)                        03 03
          ├─ random: 32 bytes
          │    00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
          │    10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
          ├─ cipher_suites: 2 suites                                 00 04
          │  ├─ cipher_suite: TLS_CHACHA20_POLY1305_SHA256 (0x1303)  13 03
          │  └─ cipher_suite: TLS_AES_128_GCM_SHA256 (0x1301)        13 01
          └─ extensions: 1 extension                                 00 06
             └─ extension: supported_versions (0x002b)
                ├─ extension_type: supported_versions (0x002b)       00 2b
                └─ extension_data: TLS 1.3                           00 02 03 04

          record sent: handshake (22), 20 bytes
            0000  16 03 01 00 0f 48 65 6c  6c 6f 2c 20 54 4c 53 20  |.....Hello, TLS |
            0010  31 2e 33 21                                       |1.3!|
            ├─ content_type: handshake (22)             16
            ├─ legacy_record_version: TLS 1.0 (0x0301)  03 01
            ├─ length: 15 bytes                         00 0f
            └─ fragment: 15 bytes of handshake
                 48 65 6c 6c 6f 2c 20 54 4c 53 20 31 2e 33 21

        [client] key schedule ────────────────────────────────────────────────────────
          derive secret "tls13 c hs traffic"  Derive-Secret, RFC 8446 §7.1
            PRK       32 octets  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
                                 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
            hash      32 octets  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
                                 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f
            info      20 octets  41 41 41 41 41 41 41 41 41 41 41 41 41 41 41 41
                                 41 41 41 41
            expanded  32 octets  00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f
                                 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d 1e 1f

        [client] ← Finished ──────────────────────────────────────────────────────────
          record received: application_data (23), 24 bytes, protected with handshake keys
            0000  17 03 03 00 13 aa aa aa  bb bb bb bb bb bb bb bb  |................|
            0010  bb bb bb bb bb bb bb bb                           |........|
            ├─ opaque_type: application_data (23)             17
            ├─ legacy_record_version: TLS 1.2 (0x0303)        03 03
            ├─ length: 19 bytes                               00 13
            ├─ encrypted_record: handshake inside, encrypted  aa aa aa
            └─ tag: AEAD authentication tag
                 bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb bb
            opened with (RFC 8446 §5.3: nonce = iv XOR sequence number; additional data = the header)
              key              16 octets  01 01 01 01 01 01 01 01 01 01 01 01
                                          01 01 01 01
              iv               12 octets  02 02 02 02 02 02 02 02 02 02 02 02
              sequence number  0 (handshake keys)
              nonce            12 octets  02 02 02 02 02 02 02 02 02 02 02 02
              additional data   5 octets  17 03 03 00 13
            TLSInnerPlaintext, 3 bytes (RFC 8446 §5.2)
            ├─ content: 2 bytes of handshake  ca fe
            └─ type: handshake (22)           16

          ├─ msg_type: finished (20)  14
          ├─ length: 2                00 00 02
          └─ verify_data: cafe        ca fe

        [client] check the server Finished ───────────────────────────────────────────
          finished_key = HKDF-Expand-Label(server handshake traffic secret, "finished", "", Hash.length)
          verify_data = HMAC(finished_key, Transcript-Hash(... up to this Finished)), RFC 8446 §4.4.4
          base key         2 octets  01 02
          info             2 octets  00 02
          finished_key     2 octets  05 06
          transcript hash  2 octets  03 04
          verify_data      2 octets  ca fe
          ✓ server name localhost matches subjectAltName DNS:localhost

        [client] → alert close_notify ────────────────────────────────────────────────
          level        warning (1)
          description  close_notify (0)

        """
        #expect(render(TraceFixtures.shortConnection) == expected)
    }

    @Test("Colour adds only escape sequences: stripped, it is the plain trace")
    func colourIsDecorationOnly() {
        let coloured = render(TraceFixtures.shortConnection, style: TextStyle(isEnabled: true))
        #expect(coloured.contains("\u{1B}["))
        #expect(stripEscapes(coloured) == render(TraceFixtures.shortConnection))
        #expect(!render(TraceFixtures.shortConnection).contains("\u{1B}"))
    }

    @Test("--step pauses once before each section, never inside one, and names the step it opens")
    func stepsPerSection() {
        let names = Mutex<[String]>([])
        let text = render(TraceFixtures.shortConnection, steps: { name in names.withLock { $0.append(name) } })
        let sections = text.split(separator: "\n").filter { $0.hasPrefix("[client] ") }.count
        #expect(sections == 6)
        #expect(names.withLock { $0 } == [
            "create an ephemeral x25519 key pair", "send ClientHello", "derive the client handshake traffic secret",
            "read the peer's Finished", "check the server Finished", "send alert close_notify",
        ])
    }

    @Test("A received record waits for the message it carries and opens its section")
    func receivedRecordJoinsNextSection() {
        let text = render([
            .record(.received, TraceFixtures.protectedRecord),
            .alert(.received, level: .fatal, description: .unknownCA),
        ])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1].hasPrefix("[client] ← alert unknown_ca ─"))
        #expect(lines[2] == "  record received: application_data (23), 24 bytes, protected with handshake keys")
        #expect(text.hasSuffix("  description  unknown_ca (48)\n"))
    }

    @Test("Messages sharing a record say so; a message spread over records gets all of them")
    func recordsAndMessages() {
        let record = RecordTrace(contentType: .handshake, bytes: TraceFixtures.helloRecord)
        let message = { (type: HandshakeType) in
            TLSEvent.handshakeMessage(.received, type, bytes: [type.rawValue, 0, 0, 0], fields: [TraceField("x", "", bytes: [1])])
        }
        let shared = render([.record(.received, record), message(.encryptedExtensions), message(.certificate)])
        #expect(shared.components(separatedBy: "record received:").count == 2)
        let sharedLines = shared.split(separator: "\n").map(String.init)
        let certificateTitle = sharedLines.firstIndex { $0.hasPrefix("[client] ← Certificate ") }
        #expect(certificateTitle.map { sharedLines[$0 + 1] } == "  (in the same record as the message before)")
        let spread = render([.record(.received, record), .record(.received, record), message(.certificate)])
        let lines = spread.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("[client] ← Certificate "))
        #expect(lines.filter { $0.hasPrefix("  record received:") }.count == 2)
        #expect(!spread.contains("same record"))
    }

    @Test("A record still held when the connection ends is printed by flush")
    func flushPrintsHeldRecord() {
        let sink = StringSink()
        let printer = TracePrinter(side: .server, style: .plain, sink: sink)
        printer.observe(.record(.received, RecordTrace(contentType: .handshake, bytes: TraceFixtures.helloRecord)))
        #expect(sink.text.isEmpty)
        printer.flush()
        #expect(sink.text.hasPrefix("  record received: handshake (22), 20 bytes\n    0000  16 03 01 00 0f"))
    }

    @Test("Long application data is dumped in part, the rest counted; binary data as a hexdump")
    func applicationDataLimits() {
        let long = render([.applicationData(.sent, Array(repeating: 0x41, count: 300))])
        #expect(long.contains("00f0  41 41 41 41 41 41 41 41  41 41 41 41 41 41 41 41  |AAAAAAAAAAAAAAAA|\n  … 44 more bytes\n"))
        let binary = render([.applicationData(.received, [0x00, 0xff, 0x41])])
        #expect(binary.hasSuffix("  0000  00 ff 41" + String(repeating: " ", count: 42) + "|..A|\n"))
        let text = render([.applicationData(.received, Array("one\ntwo".utf8))])
        #expect(text.hasSuffix("  │ one\n  │ two\n"))
    }

    @Test("A sent record of application data or an alert comes after what it carries, in its section")
    func sentRecordFollowsItsData() {
        var record = TraceFixtures.protectedRecord
        record.protection?.innerContentType = .applicationData
        let text = render([
            .record(.sent, record),
            .applicationData(.sent, Array("hi\n".utf8)),
            .note("after"),
        ])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[1].hasPrefix("[client] → application data, 3 bytes ─"))
        #expect(lines[2] == "  │ hi")
        #expect(lines[4] == "  record sent: application_data (23), 24 bytes, protected with handshake keys")
        #expect(lines.last(where: { !$0.isEmpty }) == "  · after")
    }

    @Test("Both sides on one page: received messages in one line, the peer's values as (same as server)")
    func peerShownAbove() {
        let shared = SharedValues()
        let serverSink = StringSink(), clientSink = StringSink()
        let server = TracePrinter(side: .server, style: .plain, sink: serverSink, peerShownAbove: shared)
        let client = TracePrinter(side: .client, style: .plain, sink: clientSink, peerShownAbove: shared)
        let derive = TLSEvent.deriveSecret(label: "tls13 c hs traffic", purpose: nil, prk: [1], hash: [2], info: [3], secret: [4, 5])
        server.observe(derive)
        client.observe(derive)
        client.observe(.record(.received, RecordTrace(contentType: .handshake, bytes: TraceFixtures.helloRecord)))
        client.observe(.handshakeMessage(.received, .serverHello, bytes: [2, 0, 0, 1, 0], fields: [TraceField("x", "y", bytes: [0])]))
        #expect(serverSink.text.contains("    expanded  2 octets  04 05"))
        #expect(clientSink.text == """

            [client] key schedule ────────────────────────────────────────────────────────
              derive secret "tls13 c hs traffic"  (same as server)

            [client] ← ServerHello ───────────────────────────────────────────────────────
              record received: handshake (22), 20 bytes
              ServerHello, 5 bytes: the message server sent above

            """)
    }

    @Test("The server's later connections are tagged with their number")
    func tags() {
        let sink = StringSink()
        TracePrinter(side: .server, tag: "server #2", style: .plain, sink: sink)
            .observe(.changeCipherSpecIgnored(.received))
        #expect(sink.text.hasPrefix("\n[server #2] ← change_cipher_spec ─"))
    }
}

func stripEscapes(_ text: String) -> String {
    var out = ""
    var inEscape = false
    for scalar in text.unicodeScalars {
        if inEscape {
            if scalar == "m" { inEscape = false }
        } else if scalar == "\u{1B}" {
            inEscape = true
        } else {
            out.unicodeScalars.append(scalar)
        }
    }
    return out
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

import Synchronization
