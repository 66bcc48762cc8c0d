import Foundation
import Testing

/// Issue 13, "Done means": secp256r1 key exchange and ecdsa_secp256r1_sha256 signatures (RFC 8446
/// §9.1's mandatory set) against OpenSSL and between our own tools, over real loopback sockets.
@Suite("P-256 and ECDSA over loopback")
struct P256InteropTests {
    static func requireOpenSSL() throws {
        guard ToolProcess.opensslURL != nil else {
            throw P256InteropFailure("openssl is not installed (.ci/run installs it)")
        }
    }

    /// openssl s_client against our server: data both ways; what was negotiated is read from
    /// the server's trace and from OpenSSL's own summary.
    func opensslClient(serverArguments: [String], clientArguments: [String]) throws -> (server: ToolProcess, client: ToolProcess) {
        try Self.requireOpenSSL()
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--no-color"] + serverArguments)
        let port = try server.listeningPort()
        let client = try ToolProcess.openssl(["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_3", "-CAfile", "cert/ca.crt",
                                              "-servername", "localhost", "-verify_hostname", "localhost",
                                              "-verify_return_error"] + clientArguments)
        defer { client.terminate() }
        try client.write("from openssl\n")
        try client.waitFor("the echo") { $0.stdoutText.contains("\nfrom openssl\n") || $0.stdoutText.hasPrefix("from openssl\n") }
        try client.closeInput()
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(client.stdoutText.unwrapped.contains("Verify return code: 0 (ok)"), "\(client.stdoutText)")
        return (server, client)
    }

    @Test("openssl s_client -groups P-256 -sigalgs ecdsa_secp256r1_sha256 ↔ our server with cert/server-ecdsa.crt")
    func opensslClientECDSA() throws {
        let (server, client) = try opensslClient(
            serverArguments: ["--cert", "cert/server-ecdsa.crt", "--key", "cert/server-ecdsa.key"],
            clientArguments: ["-groups", "P-256", "-sigalgs", "ecdsa_secp256r1_sha256"])
        #expect(server.stdoutText.unwrapped.contains("✓ client sent a secp256r1 key share"), "\(server.stdoutText.suffix(3000))")
        #expect(server.stdoutText.unwrapped.contains("create an ephemeral secp256r1 key pair"))
        #expect(server.stdoutText.unwrapped.contains("scheme  ecdsa_secp256r1_sha256 (0x0403)"))
        #expect(client.stdoutText.unwrapped.contains("Server Temp Key: ECDH, prime256v1, 256 bits"), "\(client.stdoutText)")
        #expect(client.stdoutText.unwrapped.contains("Peer signature type: ECDSA"), "\(client.stdoutText)")
    }

    @Test("openssl s_client -groups P-256 ↔ our RSA server: the group alone")
    func opensslClientP256Group() throws {
        let (server, client) = try opensslClient(serverArguments: [], clientArguments: ["-groups", "P-256"])
        #expect(server.stdoutText.unwrapped.contains("✓ client sent a secp256r1 key share"))
        #expect(client.stdoutText.unwrapped.contains("Server Temp Key: ECDH, prime256v1, 256 bits"), "\(client.stdoutText)")
    }

    /// Our client against openssl s_server with the ECDSA certificate.
    func opensslServer(serverGroups: String, clientArguments: [String]) throws -> (server: ToolProcess, client: ToolProcess) {
        try Self.requireOpenSSL()
        let server = try ToolProcess.openssl(["s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-tls1_3",
                                              "-groups", serverGroups,
                                              "-cert", "cert/server-ecdsa.crt", "-key", "cert/server-ecdsa.key"])
        defer { server.terminate() }
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--no-color"] + clientArguments)
        try client.write("from our client\n")
        try server.waitFor("our client's line") { $0.stdoutText.contains("from our client\n") }
        try server.write("from openssl\n")
        try client.waitFor("openssl's line") { $0.stdoutText.contains("│ from openssl") }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        return (server, client)
    }

    @Test("our client --groups secp256r1 ↔ openssl s_server -groups P-256 with an ECDSA certificate")
    func opensslServerECDSA() throws {
        let (_, client) = try opensslServer(serverGroups: "P-256", clientArguments: ["--groups", "secp256r1"])
        #expect(client.stdoutText.unwrapped.contains("✓ server's key share is for secp256r1, the group we offered"))
        #expect(client.stdoutText.unwrapped.contains("✓ server's CertificateVerify signature (ecdsa_secp256r1_sha256 (0x0403)) verifies with the certificate's key"))
        #expect(!client.stdoutText.unwrapped.contains("ClientHello1 becomes message_hash"))
    }

    @Test("our default client (x25519 share) ↔ openssl s_server -groups P-256: OpenSSL's HelloRetryRequest asks for secp256r1 and we answer it")
    func opensslServerRetry() throws {
        let (_, client) = try opensslServer(serverGroups: "P-256", clientArguments: [])
        #expect(client.stdoutText.unwrapped.contains("✓ HelloRetryRequest asks for a group we offered but sent no share for (secp256r1 (0x0017))"), "\(client.stdoutText.prefix(6000))")
        #expect(client.stdoutText.unwrapped.contains("✓ server's key share is for secp256r1, the group we offered"))
    }

    @Test("tls13-server --groups secp256r1 ↔ our default client: RFC 8448 §5's situation, a HelloRetryRequest for P-256, then data both ways")
    func ourServerPrefersP256() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--once", "--echo", "--no-color", "--groups", "secp256r1"])
        let port = try server.listeningPort()
        let client = try ToolProcess.ours("tls13-client", ["--port", "\(port)", "--quiet"])
        try client.write("ping\n")
        try client.waitFor("the echo") { $0.stdoutText == "ping\n" }
        try client.closeInput()
        #expect(try client.waitForExit() == 0, "\(client.stderrText)")
        #expect(try server.waitForExit() == 0, "\(server.stderrText)")
        #expect(server.stdoutText.unwrapped.contains("the ClientHello has no secp256r1 (0x0017) key share: asking for one with a HelloRetryRequest"))
        #expect(server.stdoutText.unwrapped.contains("✓ client sent a secp256r1 key share"))
    }

    @Test("a key that is not the certificate's is refused at start: exit 2 and a message naming both files")
    func mismatchedKey() throws {
        let server = try ToolProcess.ours("tls13-server", ["--port", "0", "--cert", "cert/server.crt", "--key", "cert/server-ecdsa.key"])
        #expect(try server.waitForExit() == 2)
        #expect(server.stderrText.contains("cert/server-ecdsa.key is not the private key of the certificate in cert/server.crt"), "\(server.stderrText)")
    }
}

struct P256InteropFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
