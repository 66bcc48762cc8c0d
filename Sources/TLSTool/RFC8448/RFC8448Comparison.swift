import RFC8448Reader
import TLSCrypto

/// Our trace held against RFC 8448 §3, value by value.
///
/// Each RFC entry is looked for among our entries with the same side, step and label. Some keys
/// occur more than once (the server sends three "send handshake record" steps), so entries
/// sharing a key are paired in two passes: first every RFC entry takes the first unused entry of
/// ours with an equal value, then each RFC entry still unpaired takes the first unused entry of
/// ours with its key (a difference) or is missing. An extra record in our trace therefore does
/// not shift every later record into a false difference.
public struct RFC8448Comparison: Sendable {
    public enum Outcome: Hashable, Sendable {
        case equal(RFC8448Trace.Entry)
        case different(RFC8448Trace.Entry)
        case missing
    }

    public struct Result: Hashable, Sendable {
        /// The RFC's entry.
        public var expected: RFC8448Trace.Entry
        /// What our trace has for it.
        public var outcome: Outcome
    }

    /// One result per RFC entry, in the RFC's order.
    public var results: [Result]

    public init(expected: [RFC8448Trace.Entry], actual: [RFC8448Trace.Entry]) {
        struct Key: Hashable {
            var side: String, step: String, label: String
            init(_ e: RFC8448Trace.Entry) { (side, step, label) = (e.side.rawValue, e.step, e.label) }
        }
        var unused: [Key: [RFC8448Trace.Entry]] = Dictionary(grouping: actual, by: Key.init)
        var outcomes: [Outcome?] = Array(repeating: nil, count: expected.count)
        for (index, entry) in expected.enumerated() {
            let key = Key(entry)
            if let match = unused[key]?.firstIndex(where: { $0.value.matches(entry.value) }) {
                outcomes[index] = .equal(unused[key, default: []].remove(at: match))
            }
        }
        for (index, entry) in expected.enumerated() where outcomes[index] == nil {
            let key = Key(entry)
            if let candidates = unused[key], !candidates.isEmpty {
                outcomes[index] = .different(unused[key, default: []].removeFirst())
            } else {
                outcomes[index] = .missing
            }
        }
        results = zip(expected, outcomes).map { Result(expected: $0, outcome: $1 ?? .missing) }
    }

    /// Compares the text of a trace in RFC 8448 layout with section `section` (default §3) of
    /// the text of RFC 8448.
    public init(rfcText: String, traceText: String, section: Int = 3) throws {
        self.init(expected: try RFC8448Trace(rfc8448Section: section, of: rfcText).entries,
                  actual: try RFC8448Trace(parsing: traceText).entries)
    }

    /// Compares a trace with whichever of `sections` it matches best (most values equal): the
    /// section a trace replays, when it does not say.
    public static func bestMatch(rfcText: String, traceText: String,
                                 sections: [Int]) throws -> (section: Int, comparison: RFC8448Comparison) {
        let trace = try RFC8448Trace(parsing: traceText)
        let all = try RFC8448Trace.rfc8448Sections(rfcText)
        var best: (section: Int, comparison: RFC8448Comparison)?
        for number in sections {
            guard let section = all.first(where: { $0.number == number }) else { continue }
            let comparison = RFC8448Comparison(expected: section.trace.entries, actual: trace.entries)
            if best == nil || comparison.equalCount > best!.comparison.equalCount { best = (number, comparison) }
        }
        guard let best else { throw RFC8448TraceError(line: 0, reason: "none of sections \(sections) is in the RFC text") }
        return best
    }

    public var equalCount: Int { results.filter { if case .equal = $0.outcome { true } else { false } }.count }
    public var differentCount: Int { results.filter { if case .different = $0.outcome { true } else { false } }.count }
    public var missingCount: Int { results.filter { $0.outcome == .missing }.count }
    public var allEqual: Bool { equalCount == results.count }

    /// "106 of 109 values equal, 2 different, 1 missing".
    public var summary: String {
        var text = "\(equalCount) of \(results.count) values equal"
        if differentCount > 0 { text += ", \(differentCount) different" }
        if missingCount > 0 { text += ", \(missingCount) missing" }
        return text
    }

    /// One line per RFC entry (✓ equal, ✗ different with both values, – missing), then the
    /// summary. With `colors`, marks are coloured and the differing bytes of ours are red.
    public func report(colors: Bool) -> String {
        let paint = { (code: String, text: String) in colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var lines: [String] = []
        for result in results {
            let entry = result.expected
            switch result.outcome {
            case .equal:
                lines.append("\(paint("32", "✓")) \(entry)")
            case .different(let ours):
                lines.append("\(paint("31", "✗")) \(entry)  different")
                let rfcLabel = "RFC 8448 (line \(entry.line)):"
                let oursLabel = "ours (line \(ours.line)):"
                let width = max(rfcLabel.count, oursLabel.count) + 2
                lines += Self.wrapped(entry.value, label: rfcLabel, width: width, highlighting: nil, paint: paint)
                lines += Self.wrapped(ours.value, label: oursLabel, width: width, highlighting: entry.value, paint: paint)
            case .missing:
                lines.append("\(paint("33", "–")) \(entry)  missing")
            }
        }
        lines.append(allEqual ? paint("32", summary) : paint("31", summary))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value as 16 octets per line under a label, indented like RFC 8448's own continuation
    /// lines; octets that differ from `reference` are painted red.
    static func wrapped(_ value: RFC8448Trace.Value, label: String, width: Int,
                        highlighting reference: RFC8448Trace.Value?,
                        paint: (String, String) -> String) -> [String] {
        let indent = "      "
        let head = indent + label + String(repeating: " ", count: width - label.count)
        guard case .octets(let bytes) = value, !bytes.isEmpty else { return [head + value.description] }
        let referenceBytes = reference?.octets
        var lines: [String] = []
        for start in stride(from: 0, to: bytes.count, by: 16) {
            let words = (start..<min(start + 16, bytes.count)).map { i -> String in
                let word = [bytes[i]].hexString
                let differs = referenceBytes.map { i >= $0.count || $0[i] != bytes[i] } ?? false
                return differs ? paint("31", word) : word
            }
            let prefix = start == 0 ? head : indent + String(repeating: " ", count: width)
            lines.append(prefix + words.joined(separator: " "))
        }
        return lines
    }
}
