import TLS13

/// `tls13-server` flags (issue 3, "Command-line contract": the names are a public interface).
public struct ServerOptions: Equatable, Sendable {
    public var host = "127.0.0.1"
    public var port: UInt16 = 50007
    public var certificatePath: String
    public var keyPath: String
    public var cipherSuites = CipherSuiteList.defaultOrder
    public var keyLogPath: String?
    public var echo = false
    public var once = false
    public var quiet = false
    public var deterministic = false
    public var step = false
    public var noColor = false

    /// Defaults with the certificate and key found by `locate` (see `RepositoryFiles`).
    public init(locate: (String) -> String = RepositoryFiles.locate) {
        certificatePath = locate("cert/server.crt")
        keyPath = locate("cert/server.key")
    }

    public static func parse(_ arguments: [String], locate: (String) -> String = RepositoryFiles.locate)
        throws(UsageError) -> CommandLineRequest<ServerOptions> {
        var options = ServerOptions(locate: locate)
        var scanner = ArgumentScanner(arguments)
        while let flag = try scanner.nextFlag() {
            switch flag {
            case "--host": options.host = try scanner.nonEmptyValue()
            case "--port": options.port = try scanner.port(allowZero: true)
            case "--cert": options.certificatePath = try scanner.nonEmptyValue()
            case "--key": options.keyPath = try scanner.nonEmptyValue()
            case "--cipher-suites": options.cipherSuites = try scanner.cipherSuites()
            case "--keylog": options.keyLogPath = try scanner.nonEmptyValue()
            case "--echo": options.echo = true
            case "--once": options.once = true
            case "--quiet": options.quiet = true
            case "--deterministic": options.deterministic = true
            case "--step": options.step = true
            case "--no-color": options.noColor = true
            case "--help", "-h": return .help
            default: throw UsageError("unknown option \(flag)")
            }
        }
        return .run(options)
    }

    public static let usage = """
        usage: tls13-server [--host H] [--port N] [--cert FILE] [--key FILE] [--cipher-suites LIST]
                            [--keylog FILE] [--echo] [--once] [--quiet] [--deterministic] [--step]
                            [--no-color]

        A TLS 1.3 server (RFC 8446) that prints every step of each handshake it serves.
        Lines typed on stdin go to every connected client; received data is printed.

          --host H              address to listen on (default 127.0.0.1)
          --port N              TCP port; 0 picks a free one (default 50007)
          --cert FILE           certificate chain, PEM, leaf first (default cert/server.crt)
          --key FILE            the certificate's RSA private key, PEM (default cert/server.key)
          --cipher-suites LIST  preference order, from chacha20,aes128gcm,aes256gcm
                                (default chacha20,aes128gcm,aes256gcm)
          --keylog FILE         append NSS key-log lines for Wireshark (SSLKEYLOGFILE does the same)
          --echo                send every received application-data record straight back
          --once                exit after the first connection: status 0 if its handshake
                                completed and it closed cleanly, 1 otherwise
          --quiet               no trace: stdout carries exactly the received application data
          --deterministic       randoms, keys and salts from a fixed seed, so runs repeat (INSECURE)
          --step                wait for Enter before each step
          --no-color            no colours (neither with NO_COLOR set nor when stdout is no terminal)
          --help                show this text

        It prints "listening on HOST:PORT" on stderr once it is ready. Exit status: 0 ok,
        1 failure (with --once: the connection failed), 2 usage error.

        """
}
