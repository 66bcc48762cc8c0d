import Foundation
import TLS13
import RFC8448Reader

/// RFC 8448 ("Example Handshake Traces for TLS 1.3") read straight from its text, so tests take
/// their vectors from the RFC itself rather than from pasted copies. The reading is the
/// product's own `RFC8448Trace` (the parser behind tls13-compare), so the tests and the tool
/// agree on what the RFC says; this file only adds the look-ups the tests use.
///
///     let rfc = try RFC8448.load()
///     let clientHello = try rfc.section(3).step(.client, "construct a ClientHello handshake message").bytes("ClientHello")
///     let secondHello = try rfc.section(5).steps(.client, "construct a ClientHello handshake message")[1]
struct RFC8448 {
    typealias Section = RFC8448Trace.Section

    struct LookupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    let sections: [Section]

    /// The RFC as stored under Tests/Vectors/rfc.
    static func load() throws -> RFC8448 {
        RFC8448(sections: try RFC8448Trace.rfc8448Sections(String(decoding: Vectors.data("rfc/rfc8448.txt"), as: UTF8.self)))
    }

    func section(_ number: Int) throws -> Section {
        guard let section = sections.first(where: { $0.number == number }) else {
            throw LookupError("no section \(number)")
        }
        return section
    }
}

extension RFC8448Trace.Step {
    func bytes(_ label: String) throws -> [UInt8] {
        guard let entry = entries.first(where: { $0.label == label }) else {
            throw RFC8448.LookupError("step \"\(title)\" has no value \"\(label)\" (has: \(entries.map(\.label)))")
        }
        guard let bytes = entry.value.octets else { throw RFC8448.LookupError("\"\(label)\" in \"\(title)\" is not octets") }
        return bytes
    }
}

extension RFC8448Trace.LooseValue {
    /// The octets, nil for "0 (all zero octets)".
    var bytes: [UInt8]? { value.octets }
}

extension RFC8448Trace.Section {
    var steps: [RFC8448Trace.Step] { trace.steps }

    /// All steps of `side` whose title is `title`, in order (a section may repeat a step,
    /// as §5 constructs two ClientHellos).
    func steps(_ side: Side, _ title: String) -> [RFC8448Trace.Step] {
        steps.filter { $0.side == side && $0.title == title }
    }

    /// The one step of `side` titled `title`; throws if absent or repeated.
    func step(_ side: Side, _ title: String) throws -> RFC8448Trace.Step {
        let found = steps(side, title)
        guard found.count == 1 else {
            throw RFC8448.LookupError("§\(number) has \(found.count) {\(side)} steps \"\(title)\"")
        }
        return found[0]
    }

    /// A value outside any step (§2's RSA key: "modulus (public)", "public exponent", ...).
    func value(_ label: String) throws -> RFC8448Trace.LooseValue {
        guard let value = trace.looseValues.first(where: { $0.label == label }) else {
            throw RFC8448.LookupError("§\(number) has no value \"\(label)\"")
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
            throw RFC8448.LookupError("§\(number) has \(found.count) {\(side)} \(name) message(s), wanted index \(index)")
        }
        return try found[index].bytes(name)
    }
}
