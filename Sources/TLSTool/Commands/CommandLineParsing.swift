import TLS13

/// A command line the tool cannot run: the message goes to stderr with the usage text, and the
/// process exits with status 2.
public struct UsageError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What a command line asks for: run with these options, or print the help text.
public enum CommandLineRequest<Options> {
    case run(Options)
    case help
}

/// Walks `--flag`, `--flag value` and `--flag=value` arguments. The tools have no positional
/// arguments, so anything that is not a flag is an error.
struct ArgumentScanner {
    private var remaining: ArraySlice<String>
    private var pendingValue: String?
    private(set) var currentFlag = ""

    init(_ arguments: [String]) { remaining = arguments[...] }

    /// The flag loop every tool runs: `--help`/`-h` asks for the help text, `apply` takes the
    /// tool's own flags (returning false for a flag it does not know), anything else is an
    /// unknown option.
    static func parse<Options>(
        _ arguments: [String], into options: Options,
        apply: (String, inout Options, inout ArgumentScanner) throws(UsageError) -> Bool
    ) throws(UsageError) -> CommandLineRequest<Options> {
        var options = options
        var scanner = ArgumentScanner(arguments)
        while let flag = try scanner.nextFlag() {
            if flag == "--help" || flag == "-h" { return .help }
            guard try apply(flag, &options, &scanner) else { throw UsageError("unknown option \(flag)") }
        }
        return .run(options)
    }

    /// The next flag name (with its dashes), or nil at the end.
    mutating func nextFlag() throws(UsageError) -> String? {
        if let pendingValue {
            throw UsageError("\(currentFlag) takes no value (got \"\(pendingValue)\")")
        }
        guard let argument = remaining.popFirst() else { return nil }
        guard argument.hasPrefix("-"), argument.count > 1 else {
            throw UsageError("unexpected argument \"\(argument)\"")
        }
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
            currentFlag = String(argument[..<equals])
            pendingValue = String(argument[argument.index(after: equals)...])
        } else {
            currentFlag = argument
        }
        return currentFlag
    }

    /// The value of the current flag: after "=" or the next argument.
    mutating func value() throws(UsageError) -> String {
        if let inline = pendingValue {
            pendingValue = nil
            return inline
        }
        guard let next = remaining.popFirst() else { throw UsageError("\(currentFlag) needs a value") }
        return next
    }

    mutating func port(allowZero: Bool) throws(UsageError) -> UInt16 {
        let text = try value()
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
              let port = UInt16(text), allowZero || port != 0 else {
            throw UsageError("\(currentFlag): \"\(text)\" is not a port number (\(allowZero ? 0 : 1)-65535)")
        }
        return port
    }

    /// A whole number within `range` (a count or a number of seconds).
    mutating func integer(in range: ClosedRange<Int>) throws(UsageError) -> Int {
        let text = try value()
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
              let number = Int(text), range.contains(number) else {
            throw UsageError("\(currentFlag): \"\(text)\" is not a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    mutating func nonEmptyValue() throws(UsageError) -> String {
        let text = try value()
        guard !text.isEmpty else { throw UsageError("\(currentFlag) needs a non-empty value") }
        return text
    }

    mutating func traceView() throws(UsageError) -> TraceView {
        let text = try value()
        guard let view = TraceView(rawValue: text) else {
            throw UsageError("\(currentFlag): unknown view \"\(text)\" (known: \(TraceView.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return view
    }

    /// RFC 7301 §3.1: `--alpn http/1.1,h2`, protocol names of 1 to 255 bytes, no repeats.
    mutating func applicationProtocols() throws(UsageError) -> [String] {
        let names = try nonEmptyValue().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        for name in names where !(1...255).contains(name.utf8.count) {
            throw UsageError("\(currentFlag): a protocol name has 1 to 255 bytes (\"\(name)\" has \(name.utf8.count))")
        }
        guard Set(names).count == names.count else { throw UsageError("\(currentFlag): a protocol is listed twice") }
        return names
    }

    mutating func cipherSuites() throws(UsageError) -> [CipherSuite] {
        let text = try value()
        do {
            return try CipherSuiteList.parse(text)
        } catch {
            throw UsageError("\(currentFlag): \(error.message)")
        }
    }

    /// `--rfc8448` alone means §3; `--rfc8448 5` or `--rfc8448=5` names a section. A following
    /// argument that is not a number is left for the next flag.
    mutating func rfc8448Section() throws(UsageError) -> RFC8448Section {
        let text: String
        if let inline = pendingValue {
            pendingValue = nil
            text = inline
        } else if let next = remaining.first, next.allSatisfy(\.isNumber), !next.isEmpty {
            remaining.removeFirst()
            text = next
        } else {
            return .simple1RTT
        }
        guard let number = Int(text), let section = RFC8448Section(rawValue: number) else {
            throw UsageError("\(currentFlag): \"\(text)\" is not a section we replay (\(RFC8448Section.numbers))")
        }
        return section
    }

    /// `--lang en` or `--lang zh`: the language of explanations.
    mutating func language() throws(UsageError) -> Language {
        let text = try value()
        guard let language = Language(rawValue: text.lowercased()) else {
            throw UsageError("\(currentFlag): unknown language \"\(text)\" (known: \(Language.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return language
    }

    mutating func groups() throws(UsageError) -> [NamedGroup] {
        let text = try value()
        do {
            return try GroupList.parse(text)
        } catch {
            throw UsageError("\(currentFlag): \(error.message)")
        }
    }
}

/// The `--groups` list: key exchange groups (RFC 8446 §4.2.7) by their IANA names,
/// comma-separated, in preference order. Only groups this library implements are accepted.
public enum GroupList {
    public static let implemented: [NamedGroup] = KeyExchangeGroups.implemented.map(\.group)
    public static let defaultOrder: [NamedGroup] = implemented

    /// The names the help text lists.
    public static var names: String { nameList(implemented) }
    public static var defaultNames: String { nameList(defaultOrder) }

    private static func nameList(_ groups: [NamedGroup]) -> String {
        groups.map { $0.name?.lowercased() ?? $0.description }.joined(separator: ",")
    }

    public static func parse(_ text: String) throws(UsageError) -> [NamedGroup] {
        var groups: [NamedGroup] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingSpaces.lowercased()
            guard let group = implemented.first(where: { $0.name?.lowercased() == name }) else {
                throw UsageError("unknown or unimplemented group \"\(item)\" (known: \(names))")
            }
            guard !groups.contains(group) else { throw UsageError("\(name) is listed twice") }
            groups.append(group)
        }
        return groups
    }
}

/// The `--cipher-suites` list: short names (or the RFC names), comma-separated, in preference order.
public enum CipherSuiteList {
    public static let defaultOrder: [CipherSuite] = [.chacha20Poly1305SHA256, .aes128GCMSHA256, .aes256GCMSHA384]

    public static let shortNames: [(name: String, suite: CipherSuite)] = [
        ("chacha20", .chacha20Poly1305SHA256),
        ("aes128gcm", .aes128GCMSHA256),
        ("aes256gcm", .aes256GCMSHA384),
    ]

    public static func shortName(of suite: CipherSuite) -> String? {
        shortNames.first { $0.suite == suite }?.name
    }

    public static func parse(_ text: String) throws(UsageError) -> [CipherSuite] {
        var suites: [CipherSuite] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = item.trimmingSpaces.lowercased()
            guard let suite = shortNames.first(where: { $0.name == name || $0.suite.name?.lowercased() == name })?.suite else {
                let known = shortNames.map(\.name).joined(separator: ", ")
                throw UsageError("unknown cipher suite \"\(item)\" (known: \(known))")
            }
            guard !suites.contains(suite) else { throw UsageError("\(name) is listed twice") }
            suites.append(suite)
        }
        return suites
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
