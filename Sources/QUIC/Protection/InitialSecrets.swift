import TLS13
import TLSCrypto

/// RFC 9001 §5.2 Initial Secrets: Initial packets are protected with keys anyone can compute
/// from the Destination Connection ID of the client's first Initial. They stop nobody from reading
/// the packet; they stop packets that were not made for this connection, and off-path tampering.
///
///     initial_salt = 0x38762cf7f55934b34d179ae6a4c80cadccbb7f0a
///     initial_secret = HKDF-Extract(initial_salt, client_dst_connection_id)
///     client_initial_secret = HKDF-Expand-Label(initial_secret, "client in", "", Hash.length)
///     server_initial_secret = HKDF-Expand-Label(initial_secret, "server in", "", Hash.length)
///
/// with SHA-256, and AES-128-GCM for the packets (TLS_AES_128_GCM_SHA256).
public struct InitialSecrets: Sendable {
    public static let saltV1: [UInt8] = [
        0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
        0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a,
    ]
    public static let suite = CipherSuiteParameters(.aes128GCMSHA256)!

    public let destinationConnectionID: [UInt8]
    public let initialSecret: [UInt8]
    public let client: PacketKeys.Derivation
    public let server: PacketKeys.Derivation
    public let clientKeys: PacketKeys
    public let serverKeys: PacketKeys

    public init(destinationConnectionID: [UInt8]) throws {
        let suite = Self.suite
        self.destinationConnectionID = destinationConnectionID
        initialSecret = suite.hash.extract(Self.saltV1, destinationConnectionID)
        client = try PacketKeys.expand(initialSecret, "client in", suite.hash.length, suite)
        server = try PacketKeys.expand(initialSecret, "server in", suite.hash.length, suite)
        clientKeys = try PacketKeys(secret: client.output, suite: suite)
        serverKeys = try PacketKeys(secret: server.output, suite: suite)
    }

    public func keys(for side: Side) -> PacketKeys { side == .client ? clientKeys : serverKeys }
}
