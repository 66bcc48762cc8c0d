import Synchronization
import TLS13
import TLSCrypto

/// The trace a learner reads: one titled section per step, in protocol order.
///
///     [client] → ClientHello ──────────────────────────────────────────────────────
///       ├─ legacy_version: TLS 1.2 (0x0303)        03 03
///       ...
///       record sent: handshake (22), 201 bytes
///         0000  16 03 01 00 c4 01 00 00  c0 03 03 cb 34 ec b1 e7  |............4...|
///
/// Sections: each handshake message, alert and application-data chunk; each signature and
/// Finished computation; a run of key-schedule steps (RFC 8448's "derive secret ...") shares one.
/// Records are shown inside the section of what they carry, in the order things happen: a sent
/// record after the message or data that went into it, a received record before the message or
/// data read from it. A record waits one event for its section when the engine reports it
/// first (every received record; a sent record of application data or an alert).
public struct StandardTraceLayout: TraceLayout {
    public var side: Side
    /// How the side is named in titles: "client", "server", "server #2".
    public var tag: String
    public var style: TextStyle
    /// Application-data records and chunks longer than this are dumped in part (the rest is
    /// counted), so piping a file through the chat does not bury the trace.
    public var applicationDataDumpLimit = 256
    /// Width of the rule that ends a section title (two columns short of the line, so a title
    /// never touches the terminal's edge).
    public var width = 78
    /// The columns a line may take: hex rows and values wrap to fit.
    var lineWidth: Int { width + 2 }
    /// What the demo sets when both sides print to one page: received records and messages in
    /// one line each (the sender printed them in full just above), and key-schedule values the
    /// peer already printed as RFC 8448's "(same as server)".
    public var peerShownAbove: SharedValues?
    /// `--explain`: the language of a short "why" before each step and under each field that
    /// has one (`Explanations`); nil prints none.
    public var explain: Language?

    private enum Section: Equatable {
        case keySchedule
        case single
    }

    private var section: Section?
    /// Received records not yet shown: more than one when a message spans records.
    private var heldReceived: [RecordTrace] = []
    /// The last received record held a handshake message already shown, so the next received
    /// message without a record of its own came in that same record.
    private var receivedRecordShown = false
    private var heldSent: RecordTrace?
    private var sectionHasBlocks = false
    private var lastBlockHadLines = false
    /// The messages so far, to say which ones each transcript hash covers.
    var coverage = TranscriptCoverage()
    /// Fields already explained: a reason is given once per trace, where the field first appears.
    private var explainedFields: Set<String> = []
    /// The suite of the keys in use, for the command that opens a record.
    private var suite: CipherSuite?
    /// One protected record per trace gets its "check it yourself" command.
    private var recordCheckShown = false

    public init(side: Side, tag: String? = nil, style: TextStyle, peerShownAbove: SharedValues? = nil,
                explain: Language? = nil) {
        self.side = side
        self.tag = tag ?? side.rawValue
        self.style = style
        self.peerShownAbove = peerShownAbove
        self.explain = explain
    }

    public mutating func render(_ event: TLSEvent) -> RenderedEvent? {
        switch event {
        case .handshakeMessage(let direction, let type, let bytes, _):
            coverage.add(type: type, bytes: bytes, direction: direction, side: side)
        case .transcriptRewrite(_, let message, _, _):
            coverage.rewrite(messageHash: message)
        case .handshakeComplete:
            coverage.close()
        case .trafficKeys(_, _, let keysSuite, _, _, _, _, _):
            suite = keysSuite
        default:
            break
        }
        var shown = explainedFields
        defer { explainedFields = shown }
        let language = explain
        let explainField = { (key: String) -> String? in Self.fieldExplanation(key, language: language, shown: &shown) }

        switch event {
        case .keyLog:
            return nil
        case .record(.received, let record):
            heldReceived.append(record)
            receivedRecordShown = false
            return nil
        case .record(.sent, let record):
            var out = finish()
            let carries = record.protection?.innerContentType ?? record.contentType
            if carries == .applicationData || carries == .alert {
                heldSent = record
            } else {
                out += block(recordLines(record, direction: .sent, explain: explainField))
            }
            return out.isEmpty ? nil : RenderedEvent(text: out, beginsStep: false)
        case .check(let what, let passed, _):
            return lines([indent(1) + style.check(passed) + " " + what])
        case .note(let text):
            return lines([indent(1) + style.apply("· " + text, .dim)])
        default:
            break
        }

        var out = ""
        // A sent record waits only for the data or alert it carries; anything else comes after it.
        if !event.isSentDataOrAlert, let record = heldSent {
            heldSent = nil
            out += block(recordLines(record, direction: .sent, explain: explainField))
        }
        let (kind, title) = sectionOpened(by: event)
        var beginsStep = false
        if kind == .single || kind != section {
            out += "\n" + titleLine(title) + "\n"
            section = kind
            sectionHasBlocks = false
            beginsStep = true
        }
        // The step's reason: under the title of a section, under the heading of a key-schedule
        // step. A message the peer printed above (the demo's page) was explained there.
        var bodyLines = body(of: event, explain: explainField)
        if let language, let why = Explanations.step(event, language),
           !(event.isReceivedHandshakeMessage && peerShownAbove != nil) {
            if kind == .keySchedule {
                if bodyLines.count > 1 { bodyLines.insert(whyLine(why, language, indent: indent(2)), at: 1) }
            } else if beginsStep {
                out += block([whyLine(why, language, indent: indent(1))])
            }
        }
        if let language, bodyLines.count > 1 {
            for check in CheckItYourself.commands(for: event) {
                bodyLines += checkLines(check, language, indent: indent(kind == .keySchedule ? 2 : 1))
            }
        }
        if event.isReceivedHandshakeMessage {
            if heldReceived.isEmpty, receivedRecordShown {
                out += block([indent(1) + style.apply("(in the same record as the message before)", .dim)])
            }
            receivedRecordShown = receivedRecordShown || !heldReceived.isEmpty
        } else if !heldReceived.isEmpty {
            receivedRecordShown = false
        }
        for record in heldReceived {
            out += block(recordLines(record, direction: .received, explain: explainField))
        }
        heldReceived = []
        out += block(bodyLines)
        if event.isSentDataOrAlert, let record = heldSent {
            heldSent = nil
            out += block(recordLines(record, direction: .sent, explain: explainField))
        }
        return RenderedEvent(text: out, beginsStep: beginsStep)
    }

    public mutating func finish() -> String {
        var out = ""
        var shown = explainedFields
        defer { explainedFields = shown }
        let language = explain
        let explainField = { (key: String) -> String? in Self.fieldExplanation(key, language: language, shown: &shown) }
        if let record = heldSent { out += block(recordLines(record, direction: .sent, explain: explainField)) }
        for record in heldReceived { out += block(recordLines(record, direction: .received, explain: explainField)) }
        heldSent = nil
        heldReceived = []
        receivedRecordShown = false
        return out
    }

    // MARK: Sections

    private func arrow(_ direction: Direction) -> String { direction == .sent ? "→" : "←" }

    private func sectionOpened(by event: TLSEvent) -> (Section, String) {
        switch event {
        case .handshakeMessage(let direction, let type, let bytes, _):
            return (.single, "\(arrow(direction)) \(TraceStep.messageName(type, bytes))")
        case .keyPair, .sharedSecret, .extractSecret, .deriveSecret, .trafficKeys, .resumptionSecret, .keyUpdated:
            return (.keySchedule, "key schedule")
        case .finished(let of, _, _, _, _, _, let matched):
            return (.single, matched == nil ? "compute the \(of) Finished" : "check the \(of) Finished")
        case .certificateVerify(_, _, _, let verified):
            return (.single, verified == nil ? "sign CertificateVerify" : "verify CertificateVerify")
        case .alert(let direction, _, let description):
            return (.single, "\(arrow(direction)) alert \(description.name ?? "\(description.rawValue)")")
        case .applicationData(let direction, let bytes):
            return (.single, "\(arrow(direction)) application data, \(bytes.count) byte\(bytes.count == 1 ? "" : "s")")
        case .changeCipherSpecIgnored(let direction):
            return (.single, "\(arrow(direction)) change_cipher_spec")
        case .handshakeComplete(_, _, _, let resumed):
            return (.single, resumed ? "handshake complete (resumed)" : "handshake complete")
        case .pskBinder(_, _, _, _, _, _, let matched):
            return (.single, matched == nil ? "compute the PSK binder" : "check the client's PSK binder")
        case .sessionTicket(let direction, _, _):
            return (.single, direction == .sent ? "seal a session ticket" : "open the session ticket")
        case .earlyData(let direction, let bytes):
            return (.single, "\(arrow(direction)) 0-RTT early data, \(bytes.count) byte\(bytes.count == 1 ? "" : "s")")
        case .transcriptRewrite(_, _, _, let fromCookie):
            return (.single, fromCookie ? "transcript rebuilt from the cookie" : "transcript: ClientHello1 becomes message_hash")
        case .record, .check, .note, .keyLog:
            preconditionFailure("\(event) does not open a section")
        }
    }

    private func titleLine(_ title: String) -> String {
        let head = "[\(tag)] \(title) "
        let rule = String(repeating: "─", count: max(3, width - head.count))
        return style.side("[\(tag)]", side) + " " + style.apply(title, .bold) + " " + style.apply(rule, .dim)
    }

    // MARK: Bodies

    private func body(of event: TLSEvent, explain: (String) -> String?) -> [String] {
        switch event {
        case .handshakeMessage(.received, let type, let bytes, _) where peerShownAbove != nil:
            return [indent(1) + style.apply("\(TraceStep.messageName(type, bytes)), \(bytes.count) bytes: the message \(side.peer) sent above", .dim)]

        case .handshakeMessage(_, let type, let bytes, let fields):
            if fields.isEmpty { return dump(bytes, limit: nil, indent: indent(1)) }
            return FieldTreeFormatter(style: style, indent: indent(1), width: lineWidth)
                .format(withHeader(fields, type: type, bytes: bytes), message: type.name ?? "unknown", explain: explain)

        case .keyPair, .sharedSecret, .extractSecret, .deriveSecret, .trafficKeys, .resumptionSecret,
             .keyUpdated, .finished, .certificateVerify:
            return secretBody(of: event)

        case .alert(_, let level, let description):
            var table = ValueTable()
            table.add("level", text: level.description)
            table.add("description", text: description.description)
            return table.format(indent: indent(1), width: lineWidth)

        case .applicationData(_, let bytes):
            return applicationDataLines(bytes)

        case .changeCipherSpecIgnored:
            return [indent(1) + "ignored, as RFC 8446 §5 allows for middlebox compatibility"]

        case .handshakeComplete(let suite, let group, let scheme, let resumed):
            var table = ValueTable()
            table.add("cipher suite", text: suite.description)
            table.add("key exchange", text: group.map { resumed ? "\($0) with the ticket's PSK (psk_dhe_ke)" : $0.description }
                                             ?? "none: the ticket's PSK alone (psk_ke)")
            table.add("signature", text: scheme?.description ?? "none: the PSK authenticates (resumption)")
            return table.format(indent: indent(1), width: lineWidth)

        case .pskBinder, .sessionTicket:
            return secretBody(of: event)

        case .earlyData(_, let bytes):
            return applicationDataLines(bytes)

        case .transcriptRewrite(let clientHello1Hash, let message, let transcriptHash, _):
            var table = ValueTable()
            table.add("Hash(ClientHello1)", clientHello1Hash)
            table.add("message_hash", message)
            table.add("transcript hash", transcriptHash)
            return [indent(1) + style.apply("RFC 8446 §4.4.1: after a HelloRetryRequest the transcript starts again from a synthetic", .dim),
                    indent(1) + style.apply("message_hash message (type 254, length Hash.length) carrying only Hash(ClientHello1)", .dim)]
                + table.format(indent: indent(1), width: lineWidth)

        case .record, .check, .note, .keyLog:
            return []
        }
    }

    /// RFC 8446 §4: the 4-byte Handshake header (msg_type, uint24 length) heads the tree, so
    /// the tree covers every byte that enters the transcript hash.
    func withHeader(_ fields: [TraceField], type: HandshakeType, bytes: [UInt8]) -> [TraceField] {
        guard fields.first?.name != "msg_type", bytes.count >= 4 else { return fields }
        let length = Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        return [TraceField("msg_type", type.description, bytes: [bytes[0]]),
                TraceField("length", String(length), bytes: Array(bytes[1..<4]))] + fields
    }

    /// The side that already printed `value`, when it is the peer (see `peerShownAbove`).
    func shownByPeer(_ value: [UInt8]) -> Side? {
        guard let shown = peerShownAbove?.firstShown(value, by: side), shown != side else { return nil }
        return shown
    }

    /// RFC 8448's way of not printing a value twice: `{client}  derive secret "..." (same as server)`.
    func sameAs(_ title: String, _ peer: Side) -> [String] {
        [indent(1) + style.apply(title, .bold) + "  " + style.apply("(same as \(peer))", .dim)]
    }

    func heading(_ title: String, _ reference: String? = nil) -> [String] {
        var line = indent(1) + style.apply(title, .bold)
        if let reference { line += "  " + style.apply(reference, .dim) }
        return [line]
    }

    private mutating func recordLines(_ record: RecordTrace, direction: Direction, explain: (String) -> String?) -> [String] {
        var lines = recordLinesWithoutCheck(record, direction: direction, explain: explain)
        // RFC 8446 Appendix D.4: our own dummy ChangeCipherSpec says what it is for.
        if direction == .sent, record.contentType == .changeCipherSpec {
            lines.append(indent(2) + style.apply("· a dummy record for middlebox compatibility mode (RFC 8446 Appendix D.4)", .dim))
            if let why = explain("record.dummy_change_cipher_spec") {
                lines.append(indent(2) + style.apply(why, .dim))
            }
        }
        // The first small protected record: the command that opens it.
        if let language = self.explain, !recordCheckShown, let suite, peerShownAbove == nil || direction == .sent,
           record.bytes.count <= 5 + 128, let check = CheckItYourself.opening(record, suite: suite) {
            recordCheckShown = true
            lines += checkLines(check, language, indent: indent(2))
        }
        return lines
    }

    private func recordLinesWithoutCheck(_ record: RecordTrace, direction: Direction, explain: (String) -> String?) -> [String] {
        if direction == .received, peerShownAbove != nil {
            var line = "record received: \(record.contentType), \(record.bytes.count) bytes"
            if let protection = record.protection {
                line += ", opened with \(protection.epoch) keys: \(protection.innerContentType.name ?? "?") inside"
            }
            return [indent(1) + style.apply(line, .dim)]
        }
        let isApplicationData = (record.protection?.innerContentType ?? record.contentType) == .applicationData
        return RecordFormatter(style: style, indent: indent(1), dumpLimit: isApplicationData ? applicationDataDumpLimit : nil, width: lineWidth)
            .format(record, direction: direction, explain: explain)
    }

    private func applicationDataLines(_ bytes: [UInt8]) -> [String] {
        if let text = String(validating: bytes, as: UTF8.self),
           text.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" || $0 == "\r" }),
           bytes.count <= applicationDataDumpLimit {
            let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
            return body.split(separator: "\n", omittingEmptySubsequences: false).map {
                indent(1) + style.apply("│ ", .dim) + $0
            }
        }
        return dump(bytes, limit: applicationDataDumpLimit, indent: indent(1))
    }

    /// A hexdump at `indent` that fits `lineWidth`, cut after `limit` bytes.
    func dump(_ bytes: [UInt8], limit: Int?, indent: String) -> [String] {
        let shown = limit.map { Array(bytes.prefix($0)) } ?? bytes
        let perLine = HexFormatting.dumpBytesPerLine(fitting: lineWidth - indent.count, byteCount: shown.count)
        var lines = HexFormatting.hexdump(shown, perLine: perLine).map { indent + $0 }
        if shown.count < bytes.count { lines.append(indent + "… \(bytes.count - shown.count) more bytes") }
        return lines
    }

    // MARK: Blocks

    func indent(_ level: Int) -> String { String(repeating: "  ", count: level) }

    /// Blocks of a section are set apart by a blank line, except one-line blocks in a row
    /// ("... (same as server)"), which read as a list.
    private mutating func block(_ lines: [String]) -> String {
        guard !lines.isEmpty else { return "" }
        let separator = sectionHasBlocks && (lines.count > 1 || lastBlockHadLines) ? "\n" : ""
        sectionHasBlocks = true
        lastBlockHadLines = lines.count > 1
        return separator + lines.joined(separator: "\n") + "\n"
    }

    private func lines(_ lines: [String]) -> RenderedEvent {
        RenderedEvent(text: lines.joined(separator: "\n") + "\n", beginsStep: false)
    }
}

/// Values one side has printed, so the other side can say "(same as server)" instead of
/// printing them again (the demo puts both sides on one page).
public final class SharedValues: Sendable {
    private let shown = Mutex<[[UInt8]: Side]>([:])

    public init() {}

    /// Who printed `value` first; records `side` as its printer if nobody has.
    public func firstShown(_ value: [UInt8], by side: Side) -> Side {
        shown.withLock { shown in
            if let first = shown[value] { return first }
            shown[value] = side
            return side
        }
    }
}

extension TLSEvent {
    var isReceivedHandshakeMessage: Bool {
        if case .handshakeMessage(.received, _, _, _) = self { return true }
        return false
    }

    /// Application data or an alert we send: the engine reports its record first.
    var isSentDataOrAlert: Bool {
        switch self {
        case .applicationData(.sent, _), .alert(.sent, _, _): true
        default: false
        }
    }
}
