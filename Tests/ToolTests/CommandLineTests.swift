import Testing
import TLS13
import TLSTool

/// Issue 3, "Command-line contract": every flag name and default, and usage errors.
@Suite("Command line")
struct CommandLineTests {
    static let locate: @Sendable (String) -> String = { "/repo/" + $0 }

    func server(_ arguments: [String]) throws -> ServerOptions {
        guard case .run(let options) = try ServerOptions.parse(arguments, locate: Self.locate) else {
            throw UsageError("expected options, got help")
        }
        return options
    }

    func client(_ arguments: [String]) throws -> ClientOptions {
        guard case .run(let options) = try ClientOptions.parse(arguments, locate: Self.locate) else {
            throw UsageError("expected options, got help")
        }
        return options
    }

    @Test("tls13-server defaults: 127.0.0.1:50007, cert/server.crt and cert/server.key, ChaCha20 first")
    func serverDefaults() throws {
        let options = try server([])
        #expect(options.host == "127.0.0.1")
        #expect(options.port == 50007)
        #expect(options.certificatePath == "/repo/cert/server.crt")
        #expect(options.keyPath == "/repo/cert/server.key")
        #expect(options.cipherSuites == [.chacha20Poly1305SHA256, .aes128GCMSHA256, .aes256GCMSHA384])
        #expect(options.keyLogPath == nil)
        #expect(!options.echo && !options.once && !options.quiet && !options.deterministic && !options.step && !options.noColor)
    }

    @Test("tls13-server: every flag, with separate and =-joined values")
    func serverEveryFlag() throws {
        let options = try server(["--host", "::1", "--port=0", "--cert", "a.crt", "--key=b.key",
                                  "--cipher-suites", "aes256gcm,chacha20", "--keylog", "keys.txt",
                                  "--echo", "--once", "--quiet", "--deterministic", "--step", "--no-color"])
        #expect(options.host == "::1")
        #expect(options.port == 0)
        #expect(options.certificatePath == "a.crt")
        #expect(options.keyPath == "b.key")
        #expect(options.cipherSuites == [.aes256GCMSHA384, .chacha20Poly1305SHA256])
        #expect(options.keyLogPath == "keys.txt")
        #expect(options.echo && options.once && options.quiet && options.deterministic && options.step && options.noColor)
    }

    @Test("tls13-client defaults: localhost:50007, cert/ca.crt, server name = host")
    func clientDefaults() throws {
        let options = try client([])
        #expect(options.host == "localhost")
        #expect(options.port == 50007)
        #expect(options.serverName == nil)
        #expect(options.expectedServerName == "localhost")
        #expect(options.caPath == "/repo/cert/ca.crt")
        #expect(options.cipherSuites == CipherSuiteList.defaultOrder)
        #expect(options.groups == GroupList.defaultOrder)
        #expect(try client(["--groups", "x25519"]).groups == [.x25519])
        #expect(!options.insecure && !options.quiet && !options.deterministic && !options.step && !options.noColor)
        #expect(try client(["--host", "127.0.0.1"]).expectedServerName == "127.0.0.1")
    }

    @Test("tls13-client: every flag")
    func clientEveryFlag() throws {
        let options = try client(["--host", "example.org", "--port", "443", "--server-name", "www.example.org",
                                  "--ca", "roots.pem", "--insecure", "--cipher-suites", "TLS_AES_128_GCM_SHA256",
                                  "--keylog", "k", "--quiet", "--deterministic", "--step", "--no-color"])
        #expect(options.host == "example.org")
        #expect(options.port == 443)
        #expect(options.expectedServerName == "www.example.org")
        #expect(options.caPath == "roots.pem")
        #expect(options.cipherSuites == [.aes128GCMSHA256])
        #expect(options.keyLogPath == "k")
        #expect(options.insecure && options.quiet && options.deterministic && options.step && options.noColor)
    }

    @Test("--trace VIEW, --rfc8448 and --capture FILE on both tools; an unknown view is a usage error")
    func traceRFC8448AndCapture() throws {
        for parse in [{ (a: [String]) throws in try self.server(a).traceView }, { (a: [String]) throws in try self.client(a).traceView }] {
            #expect(try parse([]) == nil)
            #expect(try parse(["--trace", "rfc8448"]) == .rfc8448)
            #expect(try parse(["--trace=standard"]) == .standard)
            #expect(throws: UsageError.self) { try parse(["--trace", "pretty"]) }
        }
        let server = try server(["--rfc8448", "--capture", "s.pcapng"])
        #expect(server.rfc8448 == .simple1RTT && server.capturePath == "s.pcapng")
        let client = try client(["--rfc8448", "--capture=c.pcapng"])
        #expect(client.rfc8448 == .simple1RTT && client.capturePath == "c.pcapng")
        let defaults = (client: try self.client([]), server: try self.server([]))
        #expect(defaults.client.rfc8448 == nil && defaults.server.rfc8448 == nil)
        #expect(try self.server(["--rfc8448", "5", "--echo"]).rfc8448 == .helloRetryRequest)
        #expect(try self.client(["--rfc8448=5"]).rfc8448 == .helloRetryRequest)
        #expect(try self.client(["--rfc8448", "3"]).rfc8448 == .simple1RTT)
        #expect(throws: UsageError("--rfc8448: \"9\" is not a section we replay (\(RFC8448Section.numbers))")) { try self.client(["--rfc8448", "9"]) }
        #expect(defaults.client.capturePath == nil && defaults.server.capturePath == nil)
    }

    @Test("--alpn LIST on both tools (RFC 7301): names of 1 to 255 bytes, none twice; default none")
    func applicationProtocols() throws {
        #expect(try client([]).applicationProtocols.isEmpty && (try server([])).applicationProtocols.isEmpty)
        #expect(try client(["--alpn", "h2,http/1.1"]).applicationProtocols == ["h2", "http/1.1"])
        #expect(try server(["--alpn=http/1.1"]).applicationProtocols == ["http/1.1"])
        #expect(throws: UsageError("--alpn: a protocol name has 1 to 255 bytes (\"\" has 0)")) { try self.client(["--alpn", "h2,"]) }
        #expect(throws: UsageError("--alpn: a protocol is listed twice")) { try self.server(["--alpn", "h2,h2"]) }
        #expect(throws: UsageError.self) { try self.client(["--alpn", String(repeating: "x", count: 256)]) }
        #expect(ClientOptions.usage.contains("--alpn LIST") && ServerOptions.usage.contains("--alpn LIST"))
    }

    @Test("--help and -h ask for the usage text")
    func help() throws {
        guard case .help = try ServerOptions.parse(["--port", "1", "--help"], locate: Self.locate) else {
            Issue.record("--help not recognised")
            return
        }
        guard case .help = try ClientOptions.parse(["-h"], locate: Self.locate) else {
            Issue.record("-h not recognised")
            return
        }
    }

    @Test("Usage errors name the problem", arguments: [
        (["--bogus"], "unknown option --bogus"),
        (["--port"], "--port needs a value"),
        (["--port", "65536"], "--port: \"65536\" is not a port number (0-65535)"),
        (["--port", "-1"], "--port: \"-1\" is not a port number (0-65535)"),
        (["--port", "8o"], "--port: \"8o\" is not a port number (0-65535)"),
        (["--port", "+80"], "--port: \"+80\" is not a port number (0-65535)"),
        (["--cipher-suites", "rc4"], "--cipher-suites: unknown cipher suite \"rc4\" (known: chacha20, aes128gcm, aes256gcm)"),
        (["--cipher-suites", ""], "--cipher-suites: unknown cipher suite \"\" (known: chacha20, aes128gcm, aes256gcm)"),
        (["--cipher-suites", "chacha20,chacha20"], "--cipher-suites: chacha20 is listed twice"),
        (["--groups", "x448"], "--groups: unknown or unimplemented group \"x448\" (known: \(GroupList.names))"),
        (["--groups", "x25519,X25519"], "--groups: x25519 is listed twice"),
        (["--echo=yes"], "--echo takes no value (got \"yes\")"),
        (["8080"], "unexpected argument \"8080\""),
        (["--cert", ""], "--cert needs a non-empty value"),
    ])
    func serverErrors(arguments: [String], message: String) {
        #expect(throws: UsageError(message)) { try ServerOptions.parse(arguments, locate: Self.locate) }
    }

    @Test("The client refuses port 0 and server-only flags")
    func clientErrors() {
        #expect(throws: UsageError("--port: \"0\" is not a port number (1-65535)")) {
            try ClientOptions.parse(["--port", "0"], locate: Self.locate)
        }
        #expect(throws: UsageError("unknown option --echo")) { try ClientOptions.parse(["--echo"], locate: Self.locate) }
        #expect(throws: UsageError("--server-name needs a value")) { try ClientOptions.parse(["--server-name"], locate: Self.locate) }
    }

    @Test("tls13-server issue 5 flags: --retry, --handshake-timeout S, --max-connections N, with defaults and range checks")
    func serverLimitFlags() throws {
        let defaults = try server([])
        #expect(!defaults.retry && defaults.handshakeTimeoutSeconds == 10 && defaults.maximumConnections == 256)
        let options = try server(["--retry", "--handshake-timeout", "3", "--max-connections=2"])
        #expect(options.retry && options.handshakeTimeoutSeconds == 3 && options.maximumConnections == 2)
        #expect(throws: UsageError("--handshake-timeout: \"0\" is not a number from 1 to 3600")) {
            try ServerOptions.parse(["--handshake-timeout", "0"], locate: Self.locate)
        }
        #expect(throws: UsageError("--max-connections: \"many\" is not a number from 1 to 4096")) {
            try ServerOptions.parse(["--max-connections", "many"], locate: Self.locate)
        }
        for flag in ["--retry", "--handshake-timeout", "--max-connections"] {
            #expect(ServerOptions.usage.contains(flag + " "), "server usage lacks \(flag)")
        }
    }

    @Test("The usage texts list every flag of the contract")
    func usageNamesEveryFlag() {
        for flag in ["--host", "--port", "--cert", "--key", "--cipher-suites", "--keylog", "--echo", "--once",
                     "--quiet", "--deterministic", "--step", "--no-color", "--help"] {
            #expect(ServerOptions.usage.contains(flag + " "), "server usage lacks \(flag)")
        }
        for flag in ["--host", "--port", "--server-name", "--ca", "--insecure", "--cipher-suites", "--keylog",
                     "--quiet", "--deterministic", "--step", "--no-color", "--help"] {
            #expect(ClientOptions.usage.contains(flag + " "), "client usage lacks \(flag)")
        }
    }
}
