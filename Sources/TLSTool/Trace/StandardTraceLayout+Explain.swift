import TLS13

/// `--explain` in the standard view: the "why" lines under section titles and fields, and the
/// "check it yourself" commands, with their texts from the one table (`Explanations`).
extension StandardTraceLayout {
    /// "why: ... (RFC 8446 §4.1.2)", dimmed: the reason for a step or a field.
    func whyLine(_ why: Explanation, _ language: Language, indent: String) -> String {
        indent + style.apply(Self.whyText(why, language), .dim)
    }

    /// "check it yourself, the key:" and the command on its own line (never wrapped).
    func checkLines(_ check: CheckItYourself, _ language: Language, indent: String) -> [String] {
        [indent + style.apply("\(Explanations.word("check it yourself", language)), \(check.value):", .dim),
         indent + "$ " + check.command]
    }

    static func whyText(_ why: Explanation, _ language: Language) -> String {
        language == .zh ? "为什么：\(why.text)（\(why.section)）" : "why: \(why.text) (\(why.section))"
    }

    /// A field's reason, the first time the field appears in this trace.
    static func fieldExplanation(_ key: String, language: Language?, shown: inout Set<String>) -> String? {
        guard let language, !shown.contains(key), let why = Explanations.field(key, language) else { return nil }
        shown.insert(key)
        return whyText(why, language)
    }
}
