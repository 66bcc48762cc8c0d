import Foundation
import Testing

/// Issue 15, "Done means": client certificates against OpenSSL in both directions, over real
/// loopback sockets, and a missing or untrusted certificate refused with the right alert.
@Suite("Client certificates over loopback")
struct ClientAuthInteropTests {
    /// A throwaway directory with certificates the teaching CA did not issue (a self-signed
    /// client) and a P-256 client certificate it did (cert/ca.key is committed on purpose).
    static let extraCertificates: Result<URL, ProcessFailure> = {
        do {
            try P256InteropTests.requireOpenSSL()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls13-clientauth-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            func run(_ arguments: [String]) throws {
                let process = try ToolProcess.openssl(arguments)
                try process.closeInput()
                guard try process.waitForExit(seconds: 30) == 0 else { throw ProcessFailure("openssl \(arguments): \(process.stderrText)") }
            }
            let d = directory.path
            try run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(d)/rogue.key", "-out", "\(d)/rogue.crt",
                     "-days", "30", "-subj", "/CN=rogue client", "-addext", "extendedKeyUsage=clientAuth"])
            try run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "\(d)/ecdsa.key"])
            try run(["req", "-new", "-key", "\(d)/ecdsa.key", "-subj", "/CN=ecdsa client", "-out", "\(d)/ecdsa.csr"])
            try "extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n".write(toFile: "\(d)/ecdsa.ext", atomically: true, encoding: .utf8)
            try run(["x509", "-req", "-in", "\(d)/ecdsa.csr", "-CA", "cert/ca.crt", "-CAkey", "cert/ca.key", "-set_serial", "7",
                     "-days", "30", "-sha256", "-extfile", "\(d)/ecdsa.ext", "-out", "\(d)/ecdsa.crt"])
            return .success(directory)
        } catch {
            return .failure(ProcessFailure("\(error)"))
        }
    }()

    static func extra(_ name: String) throws -> String { try extraCertificates.get().appendingPathComponent(name).path }

    // MARK: openssl s_client → tls13-server --verify-client

    /// openssl s_client with `clientArguments` against our server asking with `serverFlag`.
    func opensslClient(serverFlag: String = "--verify-client", _ clientArguments: [String]) throws -> (server: ToolProcess, client: ToolProcess) {
        try P256InteropTests.requireOpenSSL()
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--no-color", serverFlag, "cert/ca.crt"])
        let port = try server.listeningPort()
        let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3", "-CAfile", "cert/ca.crt",
                                              "-servername", "localhost"] + clientArguments)
        defer { client.terminate() }
        try client.write("from openssl\n")
        _ = try? client.waitFor("the echo or the end", seconds: 5) { $0.stdoutText.contains("\nfrom openssl\n") || !$0.isRunning }
        try client.closeInput()
        _ = try client.waitForExit()
        _ = try server.waitForExit()
        return (server, client)
    }

    @Test("openssl s_client -cert cert/client.crt ↔ tls13-server --verify-client cert/ca.crt: authenticated, data echoed")
    func opensslClientWithCertificate() throws {
        let (server, client) = try opensslClient(["-cert", "cert/client.crt", "-key", "cert/client.key"])
        #expect(server.terminationStatus == 0, "\(server.stderrText)")
        #expect(client.stdoutText.contains("\nfrom openssl\n"), "\(client.stdoutText)")
        #expect(server.stdoutText.unwrapped.contains("[server] → CertificateRequest"))
        #expect(server.stdoutText.unwrapped.contains("DistinguishedName: \"CN=tls13-swift Test CA, O=tls13-swift teaching PKI\""))
        #expect(server.stdoutText.unwrapped.contains("· the client's certificate: \"CN=tls13-swift client, O=tls13-swift teaching PKI\""))
        #expect(server.stdoutText.unwrapped.contains("✓ the certificate is for TLS clients (extKeyUsage clientAuth)"))
        #expect(server.stdoutText.unwrapped.contains("|TLS 1.3, client |"), "the client context string, §4.4.3")
        #expect(server.stdoutText.unwrapped.contains("✓ client's CertificateVerify signature (rsa_pss_rsae_sha256 (0x0804)) verifies with the certificate's key"))
    }

    @Test("openssl s_client with a P-256 client certificate ↔ tls13-server --verify-client: ecdsa_secp256r1_sha256")
    func opensslClientECDSA() throws {
        let (server, _) = try opensslClient(["-cert", try Self.extra("ecdsa.crt"), "-key", try Self.extra("ecdsa.key")])
        #expect(server.terminationStatus == 0, "\(server.stderrText)")
        #expect(server.stdoutText.unwrapped.contains("✓ client's CertificateVerify signature (ecdsa_secp256r1_sha256 (0x0403)) verifies"))
    }

    @Test("openssl s_client without a certificate ↔ --verify-client: certificate_required (116)")
    func opensslClientWithout() throws {
        let (server, client) = try opensslClient([])
        #expect(server.terminationStatus == 1)
        #expect(server.stderrText.contains("certificate_required: the client sent no certificate"), "\(server.stderrText)")
        #expect(client.stderrText.contains("alert certificate required") && client.stderrText.contains("SSL alert number 116"), "\(client.stderrText)")
    }

    @Test("openssl s_client without a certificate ↔ --request-client-cert: anonymous but connected")
    func opensslClientWithoutRequested() throws {
        let (server, client) = try opensslClient(serverFlag: "--request-client-cert", [])
        #expect(server.terminationStatus == 0, "\(server.stderrText)")
        #expect(client.stdoutText.contains("\nfrom openssl\n"))
        #expect(server.stdoutText.unwrapped.contains("the client sent no certificate: it stays anonymous"))
    }

    @Test("openssl s_client with a self-signed certificate ↔ --verify-client: unknown_ca (48)")
    func opensslClientUntrusted() throws {
        let (server, client) = try opensslClient(["-cert", try Self.extra("rogue.crt"), "-key", try Self.extra("rogue.key")])
        #expect(server.terminationStatus == 1)
        #expect(server.stderrText.contains("unknown_ca: no trust anchor issued the chain"), "\(server.stderrText)")
        #expect(client.stderrText.contains("SSL alert number 48"), "\(client.stderrText)")
    }

    // MARK: tls13-client --cert → openssl s_server -Verify 1

    func opensslServer(_ clientArguments: [String]) throws -> (server: ToolProcess, client: ToolProcess) {
        try P256InteropTests.requireOpenSSL()
        let server = try ToolProcess.openssl(["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-tls1_3",
                                              "-cert", "cert/server.crt", "-key", "cert/server.key",
                                              "-Verify", "1", "-verify_return_error", "-CAfile", "cert/ca.crt"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--no-color"] + clientArguments)
        try client.write("from our client\n")
        _ = try? server.waitFor("our line or the end", seconds: 5) { $0.stdoutText.contains("from our client\n") || !client.isRunning }
        try client.closeInput()
        _ = try client.waitForExit()
        return (server, client)
    }

    @Test("tls13-client --cert cert/client.crt ↔ openssl s_server -Verify 1 -CAfile cert/ca.crt: accepted")
    func ourClientWithCertificate() throws {
        let (server, client) = try opensslServer(["--cert", "cert/client.crt", "--key", "cert/client.key"])
        #expect(client.terminationStatus == 0, "\(client.stderrText)")
        #expect(server.stdoutText.unwrapped.contains("from our client\n"), "\(server.stdoutText)")
        #expect(server.stdoutText.unwrapped.contains("subject=O = tls13-swift teaching PKI, CN = tls13-swift client"), "\(server.stdoutText)")
        #expect(client.stdoutText.unwrapped.contains("[client] ← CertificateRequest"))
        #expect(client.stdoutText.unwrapped.contains("[client] sign CertificateVerify"))
        #expect(client.stdoutText.unwrapped.contains("|TLS 1.3, client |"))
    }

    @Test("tls13-client --cert with a P-256 key ↔ openssl s_server -Verify 1: accepted")
    func ourClientECDSA() throws {
        let (server, client) = try opensslServer(["--cert", try Self.extra("ecdsa.crt"), "--key", try Self.extra("ecdsa.key")])
        #expect(client.terminationStatus == 0, "\(client.stderrText)")
        #expect(server.stdoutText.unwrapped.contains("subject=CN = ecdsa client"), "\(server.stdoutText)")
        #expect(client.stdoutText.unwrapped.contains("scheme  ecdsa_secp256r1_sha256 (0x0403)"))
    }

    @Test("tls13-client without --cert ↔ openssl s_server -Verify 1: our empty Certificate, OpenSSL's certificate_required")
    func ourClientWithout() throws {
        let (_, client) = try opensslServer([])
        #expect(client.terminationStatus == 1)
        #expect(client.stdoutText.unwrapped.contains("we have none and send an empty Certificate"))
        #expect(client.stderrText.contains("peer sent certificate_required"), "\(client.stderrText)")
    }

    @Test("tls13-client with a self-signed certificate ↔ openssl s_server -Verify 1 -verify_return_error: refused with an alert")
    func ourClientUntrusted() throws {
        let (_, client) = try opensslServer(["--cert", try Self.extra("rogue.crt"), "--key", try Self.extra("rogue.key")])
        #expect(client.terminationStatus == 1)
        #expect(client.stderrText.contains("peer sent unknown_ca"), "\(client.stderrText)")
    }

    @Test("--cert without --key is a usage error (exit 2)")
    func certWithoutKey() throws {
        let client = try ToolProcess.ours("tls13-client", ["--cert", "cert/client.crt"])
        #expect(try client.waitForExit() == 2)
        #expect(client.stderrText.contains("--cert and --key go together"))
    }
}
