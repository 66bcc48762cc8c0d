import TLS13

/// `tls13-client` flags (issue 3, "Command-line contract": the names are a public interface).
public struct ClientOptions: ConnectionToolOptions, Equatable, Sendable {
    public var host = "localhost"
    public var port: UInt16 = 50007
    /// The name sent in server_name and checked against the certificate; nil means `host`.
    public var serverName: String?
    public var caPath: String
    public var insecure = false
    public var cipherSuites = CipherSuiteList.defaultOrder
    public var groups = GroupList.defaultOrder
    public var keyLogPath: String?
    public var quiet = false
    public var deterministic = false
    public var step = false
    /// Seconds the server has to complete the handshake (none while this side steps).
    public var handshakeTimeoutSeconds = TLSSession.handshakeTimeoutSeconds
    public var noColor = false
    /// nil: standard, or rfc8448 with --rfc8448.
    public var traceView: TraceView?
    /// Replay RFC 8448 §3 with the RFC's inputs (`RFC8448Profile`).
    public var rfc8448: RFC8448Section?
    /// Write this side's view of the connection here as pcapng, key log embedded.
    public var capturePath: String?
    /// Our certificate chain and key, sent when the server asks (--cert, --key; both or neither).
    public var certificatePath: String?
    public var keyPath: String?
    /// RFC 8446 Appendix D.4 middlebox compatibility mode (--compat, the default; --no-compat).
    public var middleboxCompatibility = true
    /// --sess-out FILE: save the newest ticket the server sends (as openssl s_client -sess_out).
    public var sessionOutPath: String?
    /// --sess-in FILE: offer the saved ticket to resume (as openssl s_client -sess_in).
    public var sessionInPath: String?
    /// --early-data FILE: send the file as 0-RTT data when the ticket allows it.
    public var earlyDataPath: String?
    /// --html FILE: also write the illustrated page of the connection to FILE (issue 16).
    public var htmlPath: String?
    /// `--explain`: a short "why" before each step and under each field; off by default here,
    /// where the trace sits beside a peer's and in scripts (tls13-demo explains by default).
    public var explain = false
    /// `--lang`: the language of the explanations.
    public var language = Language.en
    /// RFC 7301 ALPN: offered (client) or spoken (server), in order of preference.
    public var applicationProtocols: [String] = []

    /// Defaults with the CA certificate found by `locate` (see `RepositoryFiles`).
    public init(locate: (String) -> String = RepositoryFiles.locate) {
        caPath = locate("cert/ca.crt")
    }

    /// The name the certificate must carry.
    public var expectedServerName: String { serverName ?? host }

    public static func parse(_ arguments: [String], locate: (String) -> String = RepositoryFiles.locate)
        throws(UsageError) -> CommandLineRequest<ClientOptions> {
        let request = try ArgumentScanner.parse(arguments, into: ClientOptions(locate: locate)) { flag, options, scanner throws(UsageError) in
            switch flag {
            case "--port": options.port = try scanner.port(allowZero: false)
            case "--server-name": options.serverName = try scanner.nonEmptyValue()
            case "--ca": options.caPath = try scanner.nonEmptyValue()
            case "--insecure": options.insecure = true
            case "--handshake-timeout": options.handshakeTimeoutSeconds = try scanner.integer(in: 1...3600)
            case "--cert": options.certificatePath = try scanner.nonEmptyValue()
            case "--key": options.keyPath = try scanner.nonEmptyValue()
            case "--compat": options.middleboxCompatibility = true
            case "--sess-out": options.sessionOutPath = try scanner.nonEmptyValue()
            case "--sess-in": options.sessionInPath = try scanner.nonEmptyValue()
            case "--early-data": options.earlyDataPath = try scanner.nonEmptyValue()
            case "--html": options.htmlPath = try scanner.nonEmptyValue()
            case "--no-compat": options.middleboxCompatibility = false
            default: return try options.applySharedFlag(flag, from: &scanner)
            }
            return true
        }
        if case .run(let options) = request, (options.certificatePath == nil) != (options.keyPath == nil) {
            throw UsageError("--cert and --key go together: the certificate and its private key")
        }
        return request
    }

    public static let usage = """
        usage: tls13-client [--host H] [--port N] [--server-name NAME] [--ca FILE] [--insecure]
                            [--cipher-suites LIST] [--groups LIST] [--keylog FILE] [--quiet]
                            [--deterministic] [--step] [--handshake-timeout S] [--trace VIEW]
                            [--rfc8448 [N]] [--capture FILE] [--explain] [--lang LANG] [--alpn LIST]
                            [--no-color] [--cert FILE --key FILE] [--compat | --no-compat]
                            [--sess-out FILE] [--sess-in FILE] [--early-data FILE] [--html FILE]

        A TLS 1.3 client (RFC 8446) that prints every step of its handshake, then sends stdin
        as application data and prints what the server sends. EOF on stdin closes the connection.
        A line /keyupdate is a command, never data: it sends a KeyUpdate asking the server to
        update too (RFC 8446 §4.6.3).

          --host H              server to connect to (default localhost)
          --port N              TCP port (default 50007)
          --server-name NAME    name sent in server_name and checked against the certificate
                                (default: the host)
          --ca FILE             trust anchors, PEM (default cert/ca.crt)
          --insecure            skip the chain and name checks (CertificateVerify and Finished
                                are still checked)
          --cert FILE           our certificate chain, PEM, leaf first: sent when the server asks
                                (CertificateRequest, in the handshake or after it: with a
                                certificate we offer post_handshake_auth, RFC 8446 §4.2.6).
                                Without one we answer a request with an empty Certificate
          --key FILE            its private key, PEM: RSA (rsa_pss_rsae_*) or P-256 (ecdsa)
          --compat              middlebox compatibility mode (RFC 8446 Appendix D.4), the default,
                                as browsers and OpenSSL do: a 32-byte legacy_session_id and a
                                dummy change_cipher_spec, so the handshake looks like TLS 1.2
                                resumption to middleboxes that would otherwise drop it
          --no-compat           an empty legacy_session_id and no change_cipher_spec from either
                                side (the server follows the client), as RFC 8448 §3 shows
          --sess-out FILE       save the newest session ticket the server sends (RFC 8446 §4.6.1)
                                with its PSK, as text, when the connection ends (keep it secret)
          --sess-in FILE        offer that ticket to resume (pre_shared_key with its binder,
                                psk_dhe_ke): no certificate this time. An expired, damaged or
                                foreign file is reported and a full handshake follows
          --early-data FILE     send FILE's bytes as 0-RTT data with the ClientHello when the
                                ticket allows it (§2.3); if the server declines them, they are
                                sent again after the handshake, so nothing is lost
          --html FILE           also write the illustrated page of this connection to FILE when it
                                ends (a self-contained HTML file: labelled record bytes, field
                                trees, key schedule, reasons in the --lang language)
          --cipher-suites LIST  offer order, from chacha20,aes128gcm,aes256gcm
                                (default chacha20,aes128gcm,aes256gcm)
          --groups LIST         key exchange groups, offer order, from \(GroupList.names)
                                (default \(GroupList.defaultNames)); all go in supported_groups,
                                a key share for the first
          --keylog FILE         append NSS key-log lines for Wireshark (SSLKEYLOGFILE does the same)
          --quiet               no trace: stdout carries exactly the received application data
          --deterministic       randoms, keys and salts from a fixed seed, so runs repeat (INSECURE)
          --step                before each step, name it and wait for Enter (read from the
                                terminal, never from stdin; q stops stepping); no handshake
                                timeout applies while stepping
          --handshake-timeout S seconds the server has to finish the handshake (default 10);
                                raise it when the server steps with --step
          --trace VIEW          standard (default) or rfc8448: every value in RFC 8448's own layout,
                                to diff against the RFC or check with tls13-compare
          --rfc8448 [N]         replay RFC 8448 §N (\(RFC8448Section.numbers); default 3) with the RFC's
                                inputs (randoms, key shares, the RFC's ClientHellos; the server's
                                certificate is pinned; §6: the RFC's client certificate, its
                                signature replayed), then exchange the RFC's data (§3: 50 bytes
                                each way; others: none) and close, without reading stdin; implies
                                --trace rfc8448. Run it against the other tool in this mode.
          --capture FILE        write the connection as a pcapng file that Wireshark decrypts with
                                no extra file (key log embedded); packets are synthesised from the
                                TLS records, with client port 49152
          --explain             print a short "why" before each step and under each field that has
                                a reason to exist, with its RFC section (tls13-demo does by default)
          --lang LANG           explanations in en (default) or zh (简体中文); implies --explain
          --alpn LIST           offer these application protocols (RFC 7301 ALPN), in order of
                                preference, e.g. http/1.1,h2; the server's choice is printed
          --no-color            no colours (neither with NO_COLOR set nor when stdout is no terminal)
          --help                show this text

        Ctrl-D closes (close_notify both ways). Ctrl-C sends close_notify too, then exits 130.
        Exit status: 0 clean close, 1 TLS failure (alert sent or received, verification failed,
        connection lost), 2 usage error, 130 Ctrl-C.

        """
}
