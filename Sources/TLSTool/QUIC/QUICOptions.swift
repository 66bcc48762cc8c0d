import TLS13

/// `quic-server` and `quic-client` flags (issue 18): the TLS tools' names and meanings where
/// they apply, UDP port 50008, ALPN quic-echo-example.
public struct QUICOptions: Equatable, Sendable {
    public let side: Side
    public var host: String
    public var port: UInt16 = 50008
    public var certificatePath: String
    public var keyPath: String
    public var caPath: String
    public var serverName: String?
    public var keyLogPath: String?
    public var capturePath: String?
    /// --html FILE: the illustrated page of the connection (the server's first one).
    public var htmlPath: String?
    public var quiet = false
    public var noColor = false
    public var deterministic = false
    public var step = false
    public var applicationProtocols = ["quic-echo-example"]
    /// Server: answer every first Initial with a Retry (RFC 9000 §8.1.2).
    public var retry = false
    /// Drop this percentage of datagrams, both ways, on purpose (to watch recovery).
    public var dropPercent = 0
    /// Start a key update (RFC 9001 §6) once the handshake is confirmed.
    public var keyUpdate = false
    /// Client: show RFC 9001 Appendix A computed by this code, and exit.
    public var rfc9001 = false
    /// Server: exit after the first connection ends.
    public var once = false
    public var handshakeTimeoutSeconds = 10

    public init(side: Side, locate: (String) -> String = RepositoryFiles.locate) {
        self.side = side
        host = side == .server ? "127.0.0.1" : "localhost"
        certificatePath = locate("cert/server.crt")
        keyPath = locate("cert/server.key")
        caPath = locate("cert/ca.crt")
    }

    public static func parse(_ arguments: [String], side: Side, locate: (String) -> String = RepositoryFiles.locate)
        throws(UsageError) -> CommandLineRequest<QUICOptions> {
        try ArgumentScanner.parse(arguments, into: QUICOptions(side: side, locate: locate)) { flag, o, scanner throws(UsageError) in
            switch flag {
            case "--host": o.host = try scanner.nonEmptyValue()
            case "--port": o.port = try scanner.port(allowZero: side == .server)
            case "--keylog": o.keyLogPath = try scanner.nonEmptyValue()
            case "--capture": o.capturePath = try scanner.nonEmptyValue()
            case "--html": o.htmlPath = try scanner.nonEmptyValue()
            case "--quiet": o.quiet = true
            case "--no-color": o.noColor = true
            case "--deterministic": o.deterministic = true
            case "--step": o.step = true
            case "--alpn": o.applicationProtocols = try scanner.applicationProtocols()
            case "--drop": o.dropPercent = try scanner.integer(in: 0...90)
            case "--key-update": o.keyUpdate = true
            case "--handshake-timeout": o.handshakeTimeoutSeconds = try scanner.integer(in: 1...3600)
            case "--cert" where side == .server: o.certificatePath = try scanner.nonEmptyValue()
            case "--key" where side == .server: o.keyPath = try scanner.nonEmptyValue()
            case "--retry" where side == .server: o.retry = true
            case "--once" where side == .server: o.once = true
            case "--ca" where side == .client: o.caPath = try scanner.nonEmptyValue()
            case "--server-name" where side == .client: o.serverName = try scanner.nonEmptyValue()
            case "--rfc9001" where side == .client: o.rfc9001 = true
            default: return false
            }
            return true
        }
    }

    public static func usage(side: Side) -> String {
        let shared = """
              --host H              \(side == .server ? "address to listen on (default 127.0.0.1)" : "server to connect to (default localhost)")
              --port N              UDP port (default 50008\(side == .server ? "; 0 picks a free one" : ""))
              --alpn LIST           application protocols, comma-separated (default quic-echo-example)
              --keylog FILE         append the TLS secrets in NSS key log format (also SSLKEYLOGFILE):
                                    Wireshark and tshark decrypt QUIC with them
              --capture FILE        write the datagrams as pcapng, key log embedded
              --drop PERCENT        lose this share of datagrams both ways on purpose, to watch
                                    loss detection and retransmission (RFC 9002)
              --key-update          update the 1-RTT keys once the handshake is confirmed (RFC 9001 §6)
              --handshake-timeout S give up on a handshake after S seconds (default 10)
              --quiet               no trace\(side == .client ? "; stdout carries exactly the echoed bytes" : "")
              --no-color            no colours (also NO_COLOR, TERM=dumb, or not a terminal)
              --deterministic       fixed random values (INSECURE; for reproducible traces)
              --step                pause before each datagram until Enter (needs a terminal)
            """
        if side == .server {
            return """
                usage: quic-server [options]

                A QUIC v1 echo server (RFC 9000/9001/9002) around the same TLS 1.3 engine as tls13-server:
                each stream's data comes back on the same stream, FIN included (the quic-go echo example).
                It prints "listening on HOST:PORT" on stderr once it is ready, and shows every datagram,
                packet, header-protection mask, frame and TLS message.

                options:
                  --cert FILE           certificate chain, PEM (default cert/server.crt)
                  --key FILE            private key, PEM (default cert/server.key)
                  --retry               answer each new client with a Retry first (RFC 9000 §8.1.2)
                  --once                exit after the first connection ends
                  --html FILE           also write the illustrated page of the first connection to
                                        FILE when it ends (self-contained HTML: each packet's bytes
                                        labelled, header protection, frames, the TLS messages in
                                        its CRYPTO frames)
                \(shared)

                """
        }
        return """
            usage: quic-client [options]

            A QUIC v1 echo client: each line of stdin goes on its own bidirectional stream and the echo
            is printed; from a pipe, all of stdin goes on one stream, byte for byte. End of input closes
            the connection (exit 0). The trace shows every datagram, packet and frame.

            options:
              --ca FILE             trust anchors, PEM (default cert/ca.crt)
              --server-name NAME    name to verify in the certificate (default: the host)
              --rfc9001             show RFC 9001 Appendix A computed by this code (keys, the
                                    client and server Initial, Retry, ChaCha20 short header) and exit
              --html FILE           also write the illustrated page of this connection to FILE when
                                    it ends (self-contained HTML: each packet's bytes labelled,
                                    header protection, frames, the TLS messages in its CRYPTO frames)
            \(shared)

            """
    }
}
