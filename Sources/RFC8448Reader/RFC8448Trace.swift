import TLS13
import TLSCrypto

/// Text in the layout of RFC 8448's example traces, read into (side, step, label, value) entries.
///
/// RFC 8448 writes each step of a handshake as a heading tagged with the side that performs it,
/// followed by the labelled octet strings of that step (§3 of RFC 8448):
///
///        {server}  derive secret "tls13 c hs traffic":
///
///           PRK (32 octets):  1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01
///              04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac
///
///        {client}  derive secret "tls13 c hs traffic" (same as server)
///
/// A heading may wrap onto a second line; a step "(same as ...)" ends without a colon and has
/// no values. Two values are not hex: `salt:  0 (all zero octets)` and `(empty)` for 0 octets.
///
/// The same reader takes the RFC itself and our own `--trace rfc8448` output: page furniture of
/// the RFC (the "[Page N]" footer, the form feed, the "RFC 8448 ... January 2019" header and the
/// blank lines around them) is removed first, so a value cut by a page break reads as one.
/// Every value with an "(N octets)" count must have exactly N octets, which catches a value
/// torn apart by a badly removed page break. Lines that are neither headings nor values (the
/// RFC's prose, a tool's banner) are ignored.
public struct RFC8448Trace: Hashable, Sendable {
    /// One labelled value of one step.
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        public var side: Side
        /// The heading without the side tag and the final colon, spaces collapsed:
        /// `derive secret "tls13 c hs traffic"`.
        public var step: String
        /// `PRK`, `expanded`, `complete record`, `ClientHello`, ...
        public var label: String
        public var value: Value
        /// 1-based line of the label in the text read, to find the value again.
        public var line: Int

        public init(side: Side, step: String, label: String, value: Value, line: Int) {
            self.side = side
            self.step = step
            self.label = label
            self.value = value
            self.line = line
        }

        /// `{server}  derive secret "tls13 c hs traffic": expanded (32 octets)`
        public var description: String {
            "{\(side)}  \(step): \(label)" + (value.octets.map { " (\($0.count) octets)" } ?? "")
        }
    }

    public enum Value: Hashable, Sendable, CustomStringConvertible {
        case octets([UInt8])
        /// RFC 8448's `0 (all zero octets)`: the zero salt of HKDF-Extract, "a string of
        /// Hash.length bytes set to zeros" (RFC 8446 §7.1), written without a length.
        case allZero

        public var octets: [UInt8]? {
            if case .octets(let bytes) = self { return bytes }
            return nil
        }

        /// Equal values, where "all zero octets" equals any run of zero bytes (an HMAC key of
        /// zeros, which is what the salt is, gives the same result at any length up to the
        /// block size, the empty string included).
        public func matches(_ other: Value) -> Bool {
            switch (self, other) {
            case (.allZero, .allZero): return true
            case (.octets(let a), .octets(let b)): return a == b
            case (.allZero, .octets(let bytes)), (.octets(let bytes), .allZero): return bytes.allSatisfy { $0 == 0 }
            }
        }

        public var description: String {
            switch self {
            case .allZero: return "0 (all zero octets)"
            case .octets(let bytes): return bytes.isEmpty ? "(empty)" : bytes.map { [$0].hexString }.joined(separator: " ")
            }
        }
    }

    /// One `{side}  heading`, with the values listed under it (none for "(same as ...)").
    public struct Step: Hashable, Sendable {
        public var side: Side
        public var title: String
        public var entries: [Entry]
        public var line: Int
    }

    /// A value written outside any step, as RFC 8448 §2 lists its RSA key ("modulus (public)",
    /// "public exponent", ...).
    public struct LooseValue: Hashable, Sendable {
        public var label: String
        public var value: Value
        public var line: Int
    }

    /// One numbered section of RFC 8448 ("3.  Simple 1-RTT Handshake"), read as a trace.
    public struct Section: Hashable, Sendable {
        public var number: Int
        public var title: String
        public var trace: RFC8448Trace
    }

    public var steps: [Step]
    /// The values before the first step; the labels of these may carry a note in parentheses.
    public var looseValues: [LooseValue]

    /// Every entry of every step, in the order of the text.
    public var entries: [Entry] { steps.flatMap(\.entries) }

    /// Reads every step of `text`.
    public init(parsing text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            (number: $0.offset + 1, text: $0.element.hasSuffix("\r") ? $0.element.dropLast() : $0.element)
        }
        try self.init(lines: lines)
    }

    /// Reads only section `number` of RFC 8448 (3 is "Simple 1-RTT Handshake"): from its heading
    /// up to the next numbered heading (the table of contents names them too, but indented and
    /// followed by dots, so only the headings themselves match).
    public init(rfc8448Section number: Int, of rfcText: String) throws {
        guard let section = try Self.rfc8448Sections(rfcText).first(where: { $0.number == number }) else {
            throw RFC8448TraceError(line: 0, reason: "no section \(number): not the text of RFC 8448")
        }
        guard !section.trace.steps.isEmpty else {
            throw RFC8448TraceError(line: 0, reason: "section \(number) holds no trace steps: not the text of RFC 8448")
        }
        self = section.trace
    }

    /// RFC 8448 §3, "Simple 1-RTT Handshake".
    public init(rfc8448Section3 rfcText: String) throws {
        try self.init(rfc8448Section: 3, of: rfcText)
    }

    /// Reads every numbered section of RFC 8448, each from its heading ("3.  Simple 1-RTT
    /// Handshake" at column 0; the table of contents lists them indented) up to the next one.
    public static func rfc8448Sections(_ rfcText: String) throws -> [Section] {
        let lines = rfcText.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            (number: $0.offset + 1, text: $0.element.hasSuffix("\r") ? $0.element.dropLast() : $0.element)
        }
        let headings: [(index: Int, number: Int, title: String)] = lines.indices.compactMap { index in
            let text = lines[index].text
            let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
            guard let number = Int(digits), text.dropFirst(digits.count).hasPrefix(".  ") else { return nil }
            return (index, number, String(text.dropFirst(digits.count + 3).trimmingLeadingSpaces().trimmingTrailingSpaces()))
        }
        guard !headings.isEmpty else {
            throw RFC8448TraceError(line: 0, reason: "no numbered section heading: not the text of RFC 8448")
        }
        return try headings.indices.map { i in
            let end = i + 1 < headings.count ? headings[i + 1].index : lines.count
            let trace = try RFC8448Trace(lines: Array(lines[headings[i].index..<end]))
            return Section(number: headings[i].number, title: headings[i].title, trace: trace)
        }
    }

    private init(lines: [(number: Int, text: Substring)]) throws {
        var reader = Reader()
        for line in Self.removingPageBreaks(lines) {
            try reader.read(line.text, number: line.number)
        }
        try reader.finishStep()
        steps = reader.steps
        looseValues = reader.looseValues
    }

    /// Drops RFC page furniture: a footer ending in "[Page N]", the form feed, the running
    /// header starting "RFC 8448", and the blank lines before the footer and after the header.
    static func removingPageBreaks(_ lines: [(number: Int, text: Substring)]) -> [(number: Int, text: Substring)] {
        var kept: [(number: Int, text: Substring)] = []
        var skippingBlankLines = false
        for line in lines {
            var text = line.text
            while text.first == "\u{0C}" { text = text.dropFirst() }
            if text.isEmpty && line.text.first == "\u{0C}" { continue }
            let isBlank = text.allSatisfy { $0 == " " || $0 == "\t" }
            if skippingBlankLines && isBlank { continue }
            skippingBlankLines = false
            if text.first != " ", text.trimmingTrailingSpaces().isPageFooter {
                while let last = kept.last, last.text.allSatisfy({ $0 == " " || $0 == "\t" }) { kept.removeLast() }
                continue
            }
            if text.hasPrefix("RFC 8448 ") {
                skippingBlankLines = true
                continue
            }
            kept.append((line.number, text))
        }
        return kept
    }

    /// The line-by-line state of the reader: the step being read, and the value being read.
    private struct Reader {
        var steps: [Step] = []
        var looseValues: [LooseValue] = []
        var step: Step?
        /// The heading may continue on the next lines until a blank line or a value.
        var headingOpen = false
        var value: (label: String, declaredCount: Int?, bytes: [UInt8], line: Int)?

        mutating func read(_ text: Substring, number: Int) throws {
            let trimmed = text.trimmingLeadingSpaces().trimmingTrailingSpaces()
            if trimmed.isEmpty {
                try finishValue()
                headingOpen = false
                return
            }
            if let (side, title) = Self.heading(trimmed) {
                try finishStep()
                step = Step(side: side, title: String(title), entries: [], line: number)
                headingOpen = true
                return
            }
            if let start = try Self.valueStart(trimmed, line: number, allowingNote: step == nil) {
                try finishValue()
                headingOpen = false
                switch start.value {
                case .allZero:
                    append(label: start.label, value: .allZero, line: number)
                case .octets(let bytes):
                    value = (start.label, start.declaredCount, bytes, number)
                }
                return
            }
            if value != nil, let bytes = Self.hexPairs(trimmed) {
                value?.bytes += bytes
                return
            }
            try finishValue()
            if headingOpen { step?.title += " " + trimmed }
        }

        /// The heading as entries name it: spaces collapsed, without the colon that announces values.
        var stepTitle: String {
            let words = (step?.title ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            return words.hasSuffix(":") ? String(words.dropLast()) : words
        }

        /// A value belongs to the step being read, or is loose before the first step.
        mutating func append(label: String, value: Value, line: Int) {
            if let current = step {
                let entry = Entry(side: current.side, step: stepTitle, label: label, value: value, line: line)
                step?.entries.append(entry)
            } else {
                looseValues.append(LooseValue(label: label, value: value, line: line))
            }
        }

        mutating func finishValue() throws {
            guard let finished = value else { return }
            value = nil
            if let declared = finished.declaredCount, declared != finished.bytes.count {
                throw RFC8448TraceError(
                    line: finished.line,
                    reason: "\(finished.label) declares \(declared) octets but \(finished.bytes.count) follow")
            }
            append(label: finished.label, value: .octets(finished.bytes), line: finished.line)
        }

        mutating func finishStep() throws {
            try finishValue()
            if var finished = step {
                finished.title = stepTitle
                steps.append(finished)
            }
            step = nil
            headingOpen = false
        }

        /// `{client}  construct a ClientHello handshake message:` → (.client, the rest).
        static func heading(_ line: Substring) -> (Side, Substring)? {
            for side in [Side.client, .server] where line.hasPrefix("{\(side)}") {
                return (side, line.dropFirst(side.rawValue.count + 2).trimmingLeadingSpaces())
            }
            return nil
        }

        /// `LABEL (N octets):  hex...`, `LABEL (0 octets):  (empty)` or `salt:  0 (all zero octets)`.
        /// A line with an "(N octets)" label must carry hex (or "(empty)"); a line without a count
        /// that does not look like a value is prose and yields nil. `allowingNote` also takes a
        /// label ending in a note in parentheses, as §2's "modulus (public)".
        static func valueStart(_ line: Substring, line number: Int, allowingNote: Bool = false) throws
            -> (label: String, declaredCount: Int?, value: Value)? {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            var label = line[..<colon]
            let rest = line[line.index(after: colon)...].trimmingLeadingSpaces()
            var declaredCount: Int?
            if label.hasSuffix(" octets)"), let open = label.lastIndex(of: "(") {
                let count = label[label.index(after: open)...].dropLast(" octets)".count)
                guard let n = Int(count) else { return nil }
                declaredCount = n
                label = label[..<open].trimmingTrailingSpaces()
            }
            var words = label
            if allowingNote, words.hasSuffix(")"), let open = words.lastIndex(of: "("), open > words.startIndex {
                words = words[..<open].trimmingTrailingSpaces()
            }
            guard let first = words.first, first.isLetter,
                  words.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " }) else { return nil }
            if rest == "(empty)" { return (String(label), declaredCount, .octets([])) }
            if rest == "0 (all zero octets)" { return (String(label), nil, .allZero) }
            if let bytes = rest.isEmpty ? [] : hexPairs(rest) { return (String(label), declaredCount, .octets(bytes)) }
            if declaredCount != nil {
                throw RFC8448TraceError(line: number, reason: "\(label) should be followed by hex octets, found \"\(rest)\"")
            }
            return nil
        }

        /// "1d c8 26" → [0x1d, 0xc8, 0x26]; nil unless every word is exactly two hex digits.
        static func hexPairs(_ line: Substring) -> [UInt8]? {
            var bytes: [UInt8] = []
            for word in line.split(separator: " ", omittingEmptySubsequences: true) {
                guard word.count == 2, let byte = UInt8(word, radix: 16) else { return nil }
                bytes.append(byte)
            }
            return bytes
        }
    }
}

/// A line of trace text that cannot be read.
public struct RFC8448TraceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// 1-based line number, 0 when the problem is not on one line.
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
}

extension StringProtocol {
    fileprivate func trimmingLeadingSpaces() -> SubSequence {
        drop(while: { $0 == " " || $0 == "\t" })
    }

    fileprivate func trimmingTrailingSpaces() -> SubSequence {
        var end = endIndex
        while end > startIndex, self[index(before: end)] == " " || self[index(before: end)] == "\t" {
            end = index(before: end)
        }
        return self[startIndex..<end]
    }

    /// An RFC page footer: "Thomson   Informational   [Page 4]".
    fileprivate var isPageFooter: Bool {
        guard hasSuffix("]"), let open = lastIndex(of: "[") else { return false }
        let inside = self[index(after: open)..<index(before: endIndex)]
        return inside.hasPrefix("Page ") && Int(inside.dropFirst(5)) != nil
    }
}
