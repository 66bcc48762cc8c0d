import TLS13

/// `tls13-demo` flags: none are needed; these only change what the one run shows.
public struct DemoOptions: Equatable, Sendable {
    public var cipherSuites = CipherSuiteList.defaultOrder
    public var deterministic = false
    public var noColor = false
    /// Name each step and wait for Enter before printing it (classrooms).
    public var step = false
    /// Print a short "why" before each step and under each field (`Explanations`). On by default
    /// here: the demo is where a learner starts, and reads at leisure.
    public var explain = true
    public var language = Language.en
    public var certificatePath: String
    public var keyPath: String
    public var caPath: String
    /// nil: standard, or rfc8448 with --rfc8448.
    public var traceView: TraceView?
    /// Replay RFC 8448 §3 in memory and print both sides in the RFC's layout.
    public var rfc8448: RFC8448Section?
    /// Write the files of transcripts/ into this directory instead of running the demo.
    public var transcriptsDirectory: String?
    /// --html FILE: also write the illustrated page of the connection (both sides) to FILE.
    public var htmlPath: String?

    public init(locate: (String) -> String = RepositoryFiles.locate) {
        certificatePath = locate("cert/server.crt")
        keyPath = locate("cert/server.key")
        caPath = locate("cert/ca.crt")
    }

    public static func parse(_ arguments: [String], locate: (String) -> String = RepositoryFiles.locate)
        throws(UsageError) -> CommandLineRequest<DemoOptions> {
        try ArgumentScanner.parse(arguments, into: DemoOptions(locate: locate)) { flag, options, scanner throws(UsageError) in
            switch flag {
            case "--cipher-suites": options.cipherSuites = try scanner.cipherSuites()
            case "--deterministic": options.deterministic = true
            case "--no-color": options.noColor = true
            case "--step": options.step = true
            case "--explain": options.explain = true
            case "--no-explain": options.explain = false
            case "--lang": options.language = try scanner.language()
            case "--trace": options.traceView = try scanner.traceView()
            case "--rfc8448": options.rfc8448 = try scanner.rfc8448Section()
            case "--write-transcripts": options.transcriptsDirectory = try scanner.nonEmptyValue()
            case "--html": options.htmlPath = try scanner.nonEmptyValue()
            default: return false
            }
            return true
        }
    }

    public static let usage = """
        usage: tls13-demo [--cipher-suites LIST] [--deterministic] [--step] [--no-explain] [--lang LANG]
                          [--trace VIEW] [--no-color] [--html FILE]
               tls13-demo --rfc8448 [N] [--trace VIEW] [--no-color] [--html FILE]
               tls13-demo --write-transcripts DIR

        Runs a TLS 1.3 server and client in one process over a loopback socket: the full
        handshake, one message each way, close_notify both ways. Both sides' traces are
        printed in protocol order, each flight under a banner naming who sends what.

          --cipher-suites LIST  the client's offer, from chacha20,aes128gcm,aes256gcm
          --deterministic       fixed-seed randoms, so two runs print the same bytes (INSECURE)
          --step                before each step, name it and wait for Enter (read from the
                                terminal; q stops stepping); the two sides wait for each other
                                without a time limit meanwhile
          --no-explain          leave out the short "why" printed before each step and under each
                                field (on by default in the demo, off in tls13-server/-client)
          --lang LANG           the language of those explanations: en (default) or zh (简体中文)
          --trace VIEW          standard (default) or rfc8448: RFC 8448's own layout, to diff
                                against the RFC or check with tls13-compare
          --rfc8448 [N]         replay RFC 8448 §N (\(RFC8448Section.numbers); default 3) with the RFC's
                                inputs, both sides in memory, and print both traces on one page
                                (implies --trace rfc8448); §5 is the HelloRetryRequest to P-256,
                                §6 client authentication, §7 compatibility mode:
                                tls13-demo --rfc8448 5 > ours.txt; tls13-compare ours.txt
          --html FILE           also write the illustrated page of the connection, both sides, to
                                FILE: a self-contained HTML file (no network, strict CSP) with every
                                record's bytes labelled, the field trees, the key schedule and the
                                reasons (in the --lang language); open it in any browser
          --write-transcripts DIR
                                write the files of transcripts/ (deterministic connection and
                                RFC 8448 reproduction: traces, key logs, pcapng captures) to DIR
          --no-color            no colours (neither with NO_COLOR set nor when stdout is no terminal)
          --help                show this text

        """
}
