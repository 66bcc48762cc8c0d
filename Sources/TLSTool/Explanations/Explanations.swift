import TLS13

/// The language of the explanations and of the views' own words: English, or Simplified Chinese
/// (`--lang zh`).
public enum Language: String, Sendable, CaseIterable {
    case en
    case zh
}

/// Why a field or a step exists, in one or two plain sentences, with the RFC section behind it.
public struct Explanation: Sendable, Equatable {
    public let text: String
    /// "RFC 8446 §4.1.2".
    public let section: String

    public init(text: String, section: String) {
        self.text = text
        self.section = section
    }
}

/// The one table of explanations every view reads: the terminal's `--explain`, the HTML page
/// and the Chinese texts. Texts are looked up by a stable key, never by the words a view prints:
///
/// - a record's byte spans by `LabelledSpan.id` ("record.legacy_record_version", "inner.type");
/// - a message's own fields as "<message>.<field>" with the message's RFC 8446 name in snake
///   case ("client_hello.legacy_session_id"); the 4-byte handshake header as "handshake.msg_type";
/// - an extension by "extension.<IANA name>" ("extension.key_share");
/// - a step of the trace by the event that opens it (`step(_:_:)`).
///
/// Each entry is written in both languages by hand (`ExplanationTexts+*.swift`); a test checks
/// that no entry lacks a language.
public enum Explanations {
    public static func field(_ key: String, _ language: Language) -> Explanation? {
        fieldTexts[key].map { $0.explanation(language) }
    }

    /// Why the step that `event` stands for exists; nil for events that need no reason (a record
    /// on its own, a key-log line).
    public static func step(_ event: TLSEvent, _ language: Language) -> Explanation? {
        stepKey(event).flatMap { stepTexts[$0] }.map { $0.explanation(language) }
    }

    /// A word of the views themselves ("why", "Key schedule", "Client").
    public static func word(_ key: String, _ language: Language) -> String {
        guard let entry = words[key] else { return key }
        return language == .zh ? entry.zh : entry.en
    }

    /// The key of the step an event opens, as `stepTexts` lists it.
    public static func stepKey(_ event: TLSEvent) -> String? {
        switch event {
        case .keyPair: "key_pair"
        case .sharedSecret: "shared_secret"
        case .extractSecret(let stage, _, _, _): "extract.\(stage.rawValue)"
        case .deriveSecret(let label, _, _, _, _, _): "derive.\(label.hasPrefix("tls13 ") ? String(label.dropFirst(6)) : label)"
        case .trafficKeys: "traffic_keys"
        case .finished(_, _, _, _, _, _, let matched): matched == nil ? "finished.compute" : "finished.check"
        case .certificateVerify(_, _, _, let verified): verified == nil ? "certificate_verify.sign" : "certificate_verify.verify"
        case .resumptionSecret: "resumption_secret"
        case .pskBinder(_, _, _, _, _, _, let matched): matched == nil ? "psk_binder.compute" : "psk_binder.check"
        case .sessionTicket(let direction, _, _): direction == .sent ? "session_ticket.seal" : "session_ticket.open"
        case .earlyData: "early_data"
        case .keyUpdated: "key_updated"
        case .transcriptRewrite(_, _, _, let fromCookie): fromCookie ? "transcript_rewrite.cookie" : "transcript_rewrite"
        case .changeCipherSpecIgnored: "change_cipher_spec"
        case .handshakeComplete: "handshake_complete"
        case .alert(_, _, let description): description == .closeNotify ? "alert.close_notify" : "alert"
        case .applicationData: "application_data"
        case .handshakeMessage(_, let type, let bytes, _):
            TraceStep.messageName(type, bytes) == "HelloRetryRequest" ? "message.hello_retry_request" : "message.\(type.name ?? "unknown")"
        case .record, .check, .note, .keyLog: nil
        }
    }

    /// The key of a field of a message's tree: the message's own fields by message, extensions by
    /// their IANA name, anything deeper by its parent.
    ///
    /// - Parameters:
    ///   - name: the field's RFC name ("legacy_version").
    ///   - value: the field's value in words; for an "extension" node it starts with the
    ///     extension's IANA name ("key_share (51)").
    ///   - parent: the parent field's name, nil for a top-level field.
    ///   - message: the message's RFC name in snake case ("client_hello").
    public static func fieldKey(name: String, value: String, parent: String?, message: String) -> String {
        if name == "msg_type" || (name == "length" && parent == nil) { return "handshake.\(name)" }
        if name == "extension" {
            let iana = value.split(separator: " ").first.map(String.init) ?? "unknown"
            return "extension.\(iana)"
        }
        return "\(parent ?? message).\(name)"
    }

    struct Entry {
        let section: String
        let en: String
        let zh: String

        func explanation(_ language: Language) -> Explanation {
            Explanation(text: language == .zh ? zh : en, section: section)
        }
    }

    /// Every key the table knows, for tests and for views that list them.
    public static var fieldKeys: [String] { fieldTexts.keys.sorted() }
    public static var stepKeys: [String] { stepTexts.keys.sorted() }
    static var allEntries: [Entry] { Array(fieldTexts.values) + Array(stepTexts.values) }
    static var allWords: [(en: String, zh: String)] { Array(words.values) }
}
