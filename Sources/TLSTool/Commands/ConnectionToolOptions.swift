import TLS13

/// The flags `tls13-client` and `tls13-server` share, with the same names and meaning on both
/// (issue 3, "Command-line contract"), so they are parsed in one place.
protocol ConnectionToolOptions {
    var host: String { get set }
    var cipherSuites: [CipherSuite] { get set }
    var groups: [NamedGroup] { get set }
    var keyLogPath: String? { get set }
    var quiet: Bool { get set }
    var deterministic: Bool { get set }
    var step: Bool { get set }
    var noColor: Bool { get set }
    var traceView: TraceView? { get set }
    var rfc8448: RFC8448Section? { get set }
    var capturePath: String? { get set }
    var explain: Bool { get set }
    var language: Language { get set }
    var applicationProtocols: [String] { get set }
}

extension ConnectionToolOptions {
    /// Applies `flag` if it is one of the shared flags; false if it is not.
    mutating func applySharedFlag(_ flag: String, from scanner: inout ArgumentScanner) throws(UsageError) -> Bool {
        switch flag {
        case "--host": host = try scanner.nonEmptyValue()
        case "--cipher-suites": cipherSuites = try scanner.cipherSuites()
        case "--groups": groups = try scanner.groups()
        case "--keylog": keyLogPath = try scanner.nonEmptyValue()
        case "--quiet": quiet = true
        case "--deterministic": deterministic = true
        case "--step": step = true
        case "--no-color": noColor = true
        case "--trace": traceView = try scanner.traceView()
        case "--rfc8448": rfc8448 = try scanner.rfc8448Section()
        case "--capture": capturePath = try scanner.nonEmptyValue()
        case "--explain": explain = true
        // The language is only that of the explanations, so asking for one asks for them.
        case "--lang":
            language = try scanner.language()
            explain = true
        case "--alpn": applicationProtocols = try scanner.applicationProtocols()
        default: return false
        }
        return true
    }
}
