import Foundation
import TLS13
import TLSCrypto

/// RFC 8448 ("Example Handshake Traces for TLS 1.3") read straight from its text, so tests take
/// their vectors from the RFC itself rather than from pasted copies.
///
/// The RFC is a sequence of numbered sections; each trace section is a sequence of steps
///
///        {client}  construct a ClientHello handshake message:
///
///           ClientHello (196 octets):  01 00 00 c0 03 03 cb 34 ec b1 e7 81 63
///              ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83
///
/// whose values ("label (N octets):  hex") may run across page breaks. The parser drops page
/// headers and footers, joins continuation lines, and checks every value against its stated
/// octet count, so a parsing slip cannot silently produce a wrong vector.
///
///     let rfc = try RFC8448.load()
///     let clientHello = try rfc.section(3).step(.client, "construct a ClientHello handshake message").bytes("ClientHello")
///     let secondHello = try rfc.section(5).steps(.client, "construct a ClientHello handshake message")[1]
struct RFC8448 {
    struct Value {
        let label: String
        /// The stated "(N octets)", when the RFC gives one.
        let octets: Int?
        /// The value as written, continuation lines joined with single spaces.
        let text: String
        /// The hex decoded, when the text is hex (or "(empty)" for 0 octets).
        let bytes: [UInt8]?
    }

    struct Step {
        let side: Side
        /// The step's description without the trailing colon, e.g. "construct a ClientHello
        /// handshake message" or "derive secret \"tls13 c hs traffic\"".
        let title: String
        let values: [Value]

        func value(_ label: String) throws -> Value {
            guard let value = values.first(where: { $0.label == label }) else {
                throw ParseError("step \"\(title)\" has no value \"\(label)\" (has: \(values.map(\.label)))")
            }
            return value
        }

        func bytes(_ label: String) throws -> [UInt8] {
            guard let bytes = try value(label).bytes else { throw ParseError("\"\(label)\" in \"\(title)\" is not hex") }
            return bytes
        }
    }

    struct Section {
        let number: Int
        let title: String
        /// Values outside any step (§2's RSA key: "modulus (public)", "public exponent", ...).
        let values: [Value]
        let steps: [Step]

        /// All steps of `side` whose title is `title`, in order (a section may repeat a step,
        /// as §5 constructs two ClientHellos).
        func steps(_ side: Side, _ title: String) -> [Step] {
            steps.filter { $0.side == side && $0.title == title }
        }

        /// The one step of `side` titled `title`; throws if absent or repeated.
        func step(_ side: Side, _ title: String) throws -> Step {
            let found = steps(side, title)
            guard found.count == 1 else {
                throw ParseError("§\(number) has \(found.count) {\(side)} steps \"\(title)\"")
            }
            return found[0]
        }

        func value(_ label: String) throws -> Value {
            guard let value = values.first(where: { $0.label == label }) else {
                throw ParseError("§\(number) has no value \"\(label)\"")
            }
            return value
        }

        /// The bytes of a handshake message the RFC constructs, e.g. `message(.server,
        /// "ServerHello")` for "{server}  construct a ServerHello handshake message". `index`
        /// picks among repeats (§5's second ClientHello is index 1).
        func message(_ side: Side, _ name: String, index: Int = 0) throws -> [UInt8] {
            let article = "AEIOU".contains(name.prefix(1)) ? "an" : "a"
            let found = steps(side, "construct \(article) \(name) handshake message")
            guard index < found.count else {
                throw ParseError("§\(number) has \(found.count) {\(side)} \(name) message(s), wanted index \(index)")
            }
            return try found[index].bytes(name)
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    let sections: [Section]

    /// The RFC as stored under Tests/Vectors/rfc.
    static func load() throws -> RFC8448 {
        try RFC8448(text: String(decoding: Vectors.data("rfc/rfc8448.txt"), as: UTF8.self))
    }

    func section(_ number: Int) throws -> Section {
        guard let section = sections.first(where: { $0.number == number }) else {
            throw ParseError("no section \(number)")
        }
        return section
    }

    init(text: String) throws {
        var parser = Parser()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            try parser.consume(String(line))
        }
        sections = try parser.finish()
    }

    /// A line-by-line state machine over the RFC's layout:
    /// a section starts at column 0 with "N.  Title"; a step at column 3 with "{client}" or
    /// "{server}", its title continuing on following lines until a blank one; a value with
    /// "label:  text" or "label (N octets):  text", continuing on lines indented deeper.
    private struct Parser {
        private var sections: [Section] = []
        private var section: (number: Int, title: String, values: [Value], steps: [Step])?
        private var step: (side: Side, title: String, values: [Value], titleOpen: Bool)?
        private var value: (indent: Int, label: String, octets: Int?, text: String)?

        mutating func consume(_ rawLine: String) throws {
            let line = rawLine.replacingOccurrences(of: "\u{0C}", with: "")
            if isPageBreak(line) { return }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                step?.titleOpen = false
                return
            }
            let indent = line.prefix { $0 == " " }.count

            if indent == 0 {
                if let (number, title) = sectionHeading(line) {
                    try closeSection()
                    section = (number, title, [], [])
                }
                return
            }
            if indent == 3, let (side, title) = stepHeading(trimmed) {
                try closeStep()
                step = (side, title, [], true)
                return
            }
            if let open = step, open.titleOpen, value == nil {
                step?.title = open.title + " " + trimmed
                return
            }
            if let open = value, indent > open.indent {
                value?.text = open.text + " " + trimmed
                return
            }
            if let (label, octets, text) = valueStart(trimmed) {
                try closeValue()
                value = (indent, label, octets, text)
                return
            }
            // Prose: ends the current step (the RFC's steps are followed by text only at
            // section ends) and any value.
            try closeValue()
            if indent <= 3 { try closeStep() }
        }

        mutating func finish() throws -> [Section] {
            try closeSection()
            return sections
        }

        private func isPageBreak(_ line: String) -> Bool {
            (line.hasPrefix("Thomson ") && line.contains("[Page ")) || line.hasPrefix("RFC 8448 ")
        }

        private func sectionHeading(_ line: String) -> (Int, String)? {
            guard let dot = line.firstIndex(of: "."), let number = Int(line[..<dot]),
                  line[dot...].hasPrefix(". ") else { return nil }
            return (number, line[line.index(after: dot)...].trimmingCharacters(in: .whitespaces))
        }

        private func stepHeading(_ trimmed: String) -> (Side, String)? {
            for side in [Side.client, .server] where trimmed.hasPrefix("{\(side)}  ") {
                return (side, String(trimmed.dropFirst(side.rawValue.count + 4)))
            }
            return nil
        }

        /// "label (N octets):  text" or "label:  text".
        private func valueStart(_ trimmed: String) -> (String, Int?, String)? {
            guard let colon = trimmed.range(of: ":  ") else { return nil }
            var label = String(trimmed[..<colon.lowerBound])
            let text = String(trimmed[colon.upperBound...])
            var octets: Int?
            if label.hasSuffix(" octets)"), let open = label.range(of: " (", options: .backwards),
               let n = Int(label[open.upperBound...].dropLast(" octets)".count)) {
                octets = n
                label = String(label[..<open.lowerBound])
            }
            return (label, octets, text)
        }

        private mutating func closeValue() throws {
            guard let open = value else { return }
            value = nil
            var bytes = [UInt8](hex: open.text)
            if open.text == "(empty)" { bytes = [] }
            if let octets = open.octets {
                guard let decoded = bytes, decoded.count == octets else {
                    throw ParseError("\"\(open.label)\" states \(octets) octets but its text decodes to \(bytes.map { "\($0.count)" } ?? "non-hex")")
                }
            }
            let parsed = Value(label: open.label, octets: open.octets, text: open.text, bytes: bytes)
            if step != nil {
                step?.values.append(parsed)
            } else {
                section?.values.append(parsed)
            }
        }

        private mutating func closeStep() throws {
            try closeValue()
            guard let open = step else { return }
            step = nil
            let title = open.title.hasSuffix(":") ? String(open.title.dropLast()) : open.title
            section?.steps.append(Step(side: open.side, title: title, values: open.values))
        }

        private mutating func closeSection() throws {
            try closeStep()
            guard let open = section else { return }
            section = nil
            sections.append(Section(number: open.number, title: open.title, values: open.values, steps: open.steps))
        }
    }
}
