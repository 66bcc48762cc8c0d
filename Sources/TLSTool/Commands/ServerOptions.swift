import TLS13

/// `tls13-server` flags (issue 3, "Command-line contract": the names are a public interface).
public struct ServerOptions: ConnectionToolOptions, Equatable, Sendable {
    public var host = "127.0.0.1"
    public var port: UInt16 = 50007
    public var certificatePath: String
    public var keyPath: String
    public var cipherSuites = CipherSuiteList.defaultOrder
    public var groups = GroupList.defaultOrder
    public var keyLogPath: String?
    public var echo = false
    /// Answer one HTTP-style request with one HTTP/1.0 response, then close (`openssl s_server -www`).
    public var www = false
    public var once = false
    public var quiet = false
    public var deterministic = false
    public var step = false
    public var noColor = false
    /// Stateless retry: a HelloRetryRequest with a cookie for every first ClientHello (issue 5).
    public var retry = false
    /// Seconds a client has to complete its handshake.
    public var handshakeTimeoutSeconds = TLSSession.handshakeTimeoutSeconds
    /// Connections served at once; more are refused with a log line.
    public var maximumConnections = 256
    /// nil: standard, or rfc8448 with --rfc8448.
    public var traceView: TraceView?
    /// Replay RFC 8448 §3 with the RFC's inputs (`RFC8448Profile`).
    public var rfc8448: RFC8448Section?
    /// Write this side's view of the connection here as pcapng, key log embedded.
    public var capturePath: String?
    /// Whether the handshake asks for a client certificate (--verify-client, --request-client-cert).
    public var clientAuthentication: ClientAuthentication = .none
    /// The CAs a client certificate must chain to, in the handshake or after it (/auth).
    public var clientCAPath: String
    /// `--explain`: a short "why" before each step and under each field; off by default here,
    /// where the trace sits beside a peer's and in scripts (tls13-demo explains by default).
    public var explain = false
    /// `--lang`: the language of the explanations.
    public var language = Language.en
    /// RFC 7301 ALPN: offered (client) or spoken (server), in order of preference.
    public var applicationProtocols: [String] = []
    /// RFC 8446 §4.6.1: NewSessionTickets after each handshake (--tickets N; 0 sends none).
    public var ticketCount = 2
    /// RFC 8446 §4.2.10: 0-RTT bytes our tickets allow (--early-data N; 0, the default, allows none).
    public var maxEarlyDataSize: UInt32 = 0
    /// --ticket-key FILE: the ticket keys, shared by server processes (created when missing).
    public var ticketKeyPath: String?
    /// --psk-ke: also resume without a key exchange (RFC 8446 §4.2.9 psk_ke), when a client asks.
    public var pskKE = false
    /// --html-dir DIR: the illustrated page of every connection, one file each (issue 16).
    public var htmlDirectory: String?
    /// --http: HTTP/1.1, and GET / answers the illustrated page of the connection that asked.
    public var http = false
    /// --psk HEX and --psk-identity NAME: an external PSK (as openssl s_server -psk, -psk_identity).
    public var externalPSK: [UInt8]?
    public var externalPSKIdentity = "Client_identity"

    /// Defaults with the certificate and key found by `locate` (see `RepositoryFiles`).
    public init(locate: (String) -> String = RepositoryFiles.locate) {
        certificatePath = locate("cert/server.crt")
        keyPath = locate("cert/server.key")
        clientCAPath = locate("cert/ca.crt")
    }

    public static func parse(_ arguments: [String], locate: (String) -> String = RepositoryFiles.locate)
        throws(UsageError) -> CommandLineRequest<ServerOptions> {
        let request = try ArgumentScanner.parse(arguments, into: ServerOptions(locate: locate)) { flag, options, scanner throws(UsageError) in
            switch flag {
            case "--port": options.port = try scanner.port(allowZero: true)
            case "--cert": options.certificatePath = try scanner.nonEmptyValue()
            case "--key": options.keyPath = try scanner.nonEmptyValue()
            case "--echo": options.echo = true
            case "--www": options.www = true
            case "--once": options.once = true
            case "--retry": options.retry = true
            case "--handshake-timeout": options.handshakeTimeoutSeconds = try scanner.integer(in: 1...3600)
            case "--max-connections": options.maximumConnections = try scanner.integer(in: 1...4096)
            case "--tickets": options.ticketCount = try scanner.integer(in: 0...16)
            case "--early-data": options.maxEarlyDataSize = UInt32(try scanner.integer(in: 0...(1 << 24)))
            case "--ticket-key": options.ticketKeyPath = try scanner.nonEmptyValue()
            case "--psk-ke": options.pskKE = true
            case "--html-dir": options.htmlDirectory = try scanner.nonEmptyValue()
            case "--http": options.http = true
            case "--psk":
                guard let secret = [UInt8](hex: try scanner.nonEmptyValue()), !secret.isEmpty else {
                    throw UsageError("--psk: the key in hex, e.g. --psk 1a2b3c")
                }
                options.externalPSK = secret
            case "--psk-identity": options.externalPSKIdentity = try scanner.nonEmptyValue()
            case "--verify-client", "--request-client-cert":
                guard options.clientAuthentication == .none else {
                    throw UsageError("--verify-client and --request-client-cert exclude each other: give one")
                }
                options.clientCAPath = try scanner.nonEmptyValue()
                options.clientAuthentication = flag == "--verify-client" ? .require : .request
            default: return try options.applySharedFlag(flag, from: &scanner)
            }
            return true
        }
        if case .run(let options) = request, options.www && (options.echo || options.rfc8448 != nil) {
            throw UsageError("--www answers requests itself: it does not go with \(options.echo ? "--echo" : "--rfc8448")")
        }
        if case .run(let options) = request, options.http && (options.www || options.echo || options.rfc8448 != nil) {
            throw UsageError("--http answers requests itself: it does not go with --www, --echo or --rfc8448")
        }
        return request
    }

    public static let usage = """
        usage: tls13-server [--host H] [--port N] [--cert FILE] [--key FILE] [--cipher-suites LIST]
                            [--groups LIST] [--keylog FILE] [--echo] [--www] [--once] [--quiet]
                            [--deterministic] [--step]
                            [--no-color] [--retry] [--handshake-timeout S] [--max-connections N]
                            [--trace VIEW] [--rfc8448 [N]] [--capture FILE] [--explain] [--lang LANG]
                            [--alpn LIST] [--verify-client CAFILE | --request-client-cert CAFILE]
                            [--tickets N] [--early-data N] [--ticket-key FILE] [--psk-ke]
                            [--psk HEX [--psk-identity NAME]] [--html-dir DIR] [--http]

        A TLS 1.3 server (RFC 8446) that prints every step of each handshake it serves.
        Lines typed on stdin go to every connected client; received data is printed. Two lines
        are commands instead, sent to every client and never as data: /keyupdate sends a KeyUpdate
        asking the client to update too (RFC 8446 §4.6.3), /auth asks the client for a certificate
        after the handshake (§4.6.2; only clients that offered post_handshake_auth, checked
        against the --verify-client CAs, else cert/ca.crt).

          --host H              address to listen on (default 127.0.0.1)
          --port N              TCP port; 0 picks a free one (default 50007)
          --cert FILE           certificate chain, PEM, leaf first (default cert/server.crt)
          --key FILE            the certificate's RSA private key, PEM (default cert/server.key)
          --cipher-suites LIST  preference order, from chacha20,aes128gcm,aes256gcm
                                (default chacha20,aes128gcm,aes256gcm)
          --groups LIST         key exchange groups, preference order, from \(GroupList.names)
                                (default \(GroupList.defaultNames)); the first the client
                                supports is chosen, and a client that sent no share for it
                                gets a HelloRetryRequest asking for one (RFC 8446 §4.1.4)
          --keylog FILE         append NSS key-log lines for Wireshark (SSLKEYLOGFILE does the same)
          --echo                send every received application-data record straight back
          --www                 answer an HTTP request ("GET / HTTP/1.0", up to the empty line)
                                with one small HTTP/1.0 response in one record, then close_notify
                                and close, as openssl s_server -www does (for request/reply test
                                suites such as tlsfuzzer); stdin is not read by the connection.
                                GET /secret first asks a client that offered post_handshake_auth
                                for its certificate (RFC 8446 §4.6.2), GET /keyupdate first sends
                                a KeyUpdate (update_requested, §4.6.3)
          --once                exit after the first connection: status 0 if its handshake
                                completed and it closed cleanly, 1 otherwise
          --quiet               no trace: stdout carries exactly the received application data
          --deterministic       randoms, keys and salts from a fixed seed, so runs repeat (INSECURE)
          --step                before each step, name it and wait for Enter (read from the
                                terminal, never from stdin; q stops stepping); no handshake
                                timeout applies while stepping
          --trace VIEW          standard (default) or rfc8448: every value in RFC 8448's own layout,
                                to diff against the RFC or check with tls13-compare
          --rfc8448 [N]         replay RFC 8448 §N (\(RFC8448Section.numbers); default 3) with the RFC's
                                inputs (randoms, key shares, RSA key and certificate,
                                EncryptedExtensions, PSS salt; §3's ticket, §5's preference for
                                P-256 and cookie, §6's ECDSA certificate, CertificateRequest and
                                replayed signature; one connection), then exchange the RFC's data
                                (§3: 50 bytes each way; others: none) and close, without reading
                                stdin; implies --trace rfc8448. Run it against the other tool in
                                this mode.
          --capture FILE        write the connection as a pcapng file that Wireshark decrypts with
                                no extra file (key log embedded); packets are synthesised from the
                                TLS records, with client port 49152
          --explain             print a short "why" before each step and under each field that has
                                a reason to exist, with its RFC section (tls13-demo does by default)
          --lang LANG           explanations in en (default) or zh (简体中文); implies --explain
          --alpn LIST           the application protocols (RFC 7301 ALPN) this server speaks, in
                                order of preference: the first a client offers is selected; a
                                client offering none of them gets no_application_protocol.
                                Without it, ALPN offers are ignored
          --no-color            no colours (neither with NO_COLOR set nor when stdout is no terminal)
          --retry               stateless retry: answer every first ClientHello with a
                                HelloRetryRequest carrying a cookie (RFC 8446 §4.2.2), keep
                                nothing, and resume from the cookie the second ClientHello echoes.
                                Known limit: GnuTLS clients (3.7) abort on a HelloRetryRequest
                                that names no group, as this cookie-only retry does (RFC 8446
                                allows it; NSS, BoringSSL, OpenSSL and tlslite-ng accept it)
          --verify-client CAFILE
                                ask every client for a certificate (CertificateRequest, RFC 8446
                                §4.3.2, naming CAFILE's CAs) and require one that chains to them:
                                no certificate ends the handshake with certificate_required, a
                                bad chain with the client-side alerts (unknown_ca, ...), a bad
                                CertificateVerify with decrypt_error
          --request-client-cert CAFILE
                                ask the same, but let a client without a certificate in
                                (it answers with an empty Certificate, RFC 8446 §4.4.2.4)
          --tickets N           NewSessionTickets after each handshake (RFC 8446 §4.6.1; default 2,
                                0 for none). Tickets are sealed (AES-256-GCM under the ticket key)
                                and hold all resumption needs: the server keeps no session state
          --early-data N        let our tickets carry up to N bytes of 0-RTT data (§4.2.10; default
                                0: no 0-RTT); accepted early data is delivered (echoed with --echo),
                                a replayed 0-RTT ClientHello gets its early data refused (§8.2)
          --ticket-key FILE     the ticket keys (hex, newest first); created with mode 0600 when
                                missing, so several servers can share it. Default: a fresh key per
                                process, rotated hourly (the previous key still opens tickets)
          --psk-ke              also resume without a key exchange (psk_ke) when a client offers
                                only that; by default only psk_dhe_ke, which keeps forward secrecy
          --psk HEX             also accept this external PSK (agreed out of band, RFC 8446 §2.2;
                                SHA-256; its binder uses "ext binder"), as openssl s_server -psk
          --psk-identity NAME   its identity (default Client_identity, as OpenSSL's)
          --http                speak HTTP/1.1 (ALPN http/1.1): GET / answers with the illustrated
                                page of the very connection that asked, its ClientHello and all;
                                /?lang=zh in Chinese. Point a browser at https://localhost:50007/
          --html-dir DIR        also write the illustrated page of every connection into DIR (made if
                                missing), one self-contained HTML file each, named so that they
                                sort by time: YYYYMMDD-HHMMSS-NNNN.html
          --handshake-timeout S seconds a client has to finish its handshake (default 10)
          --max-connections N   clients served at once; more are refused (default 256)
          --help                show this text

        It prints "listening on HOST:PORT" on stderr once it is ready. Ctrl-C sends close_notify
        to every client in conversation, then exits. Exit status: 0 ok, 1 failure (with --once:
        the connection failed), 2 usage error, 130 Ctrl-C.

        """
}
