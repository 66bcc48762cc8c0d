import TLSCrypto

/// One (EC)DHE or KEM group of RFC 8446 §4.2.7, as the handshake sees it: a group names itself,
/// makes the client's key share, answers a client's share (server), and turns the server's answer
/// into the shared secret (client). The handshake code never names a particular group; x25519,
/// secp256r1 and the post-quantum hybrid are peers behind this protocol.
///
/// The server's side is "respond", not "make a key pair and combine", because for a KEM
/// (draft-ietf-tls-ecdhe-mlkem) the server's key_exchange is a ciphertext made from the client's
/// share; for Diffie-Hellman groups `DiffieHellmanGroup` supplies it from the two halves.
///
/// A peer's share that is malformed or unusable is a `CryptoError`; the handshake turns it into
/// illegal_parameter (RFC 8446 §4.2.8.1, §4.2.8.2: "Peers MUST validate each other's public key").
public protocol KeyExchangeGroup: Sendable {
    var group: NamedGroup { get }

    /// A group whose share a client sends alongside this one by default, for servers that do
    /// not know this group (so they need no HelloRetryRequest), or nil. The post-quantum hybrid
    /// names x25519, as browsers send them.
    var fallbackShareGroup: NamedGroup? { get }

    /// Why a client sends the fallback share, for the trace.
    var fallbackShareReason: String? { get }

    /// Client: a fresh private key (or the configured one, for RFC 8448 mode) and the
    /// key_exchange bytes of its KeyShareEntry.
    func makeKeyShare(random: any RandomSource, fixedPrivateKey: [UInt8]?) throws -> KeyShare

    /// Client: the shared secret from our key share and the server's key_exchange.
    func sharedSecret(_ ours: KeyShare, serverShare: [UInt8]) throws -> [UInt8]

    /// Server: our key_exchange for the client's, and the shared secret. `ours` is the server's
    /// own key pair when the group has one (Diffie-Hellman), for the trace.
    func respond(toClientShare clientShare: [UInt8], random: any RandomSource,
                 fixedPrivateKey: [UInt8]?) throws -> (ours: KeyShare?, keyExchange: [UInt8], sharedSecret: [UInt8])
}

extension KeyExchangeGroup {
    public var fallbackShareGroup: NamedGroup? { nil }
    public var fallbackShareReason: String? { nil }
}

/// A private key and the public key_exchange value that goes on the wire.
public struct KeyShare: Sendable, Hashable {
    public var group: NamedGroup
    public var privateKey: [UInt8]
    public var keyExchange: [UInt8]

    public init(group: NamedGroup, privateKey: [UInt8], keyExchange: [UInt8]) {
        self.group = group
        self.privateKey = privateKey
        self.keyExchange = keyExchange
    }
}

/// A Diffie-Hellman group: both sides make a key pair and combine their private key with the
/// peer's public key (RFC 8446 §7.4), so the server's answer is built from the client's steps.
public protocol DiffieHellmanGroup: KeyExchangeGroup {
    /// The shared secret from our private key and the peer's key_exchange (validated here).
    func agree(privateKey: [UInt8], peerShare: [UInt8]) throws -> [UInt8]
}

extension DiffieHellmanGroup {
    public func sharedSecret(_ ours: KeyShare, serverShare: [UInt8]) throws -> [UInt8] {
        try agree(privateKey: ours.privateKey, peerShare: serverShare)
    }

    public func respond(toClientShare clientShare: [UInt8], random: any RandomSource,
                        fixedPrivateKey: [UInt8]?) throws -> (ours: KeyShare?, keyExchange: [UInt8], sharedSecret: [UInt8]) {
        let ours = try makeKeyShare(random: random, fixedPrivateKey: fixedPrivateKey)
        return (ours, ours.keyExchange, try agree(privateKey: ours.privateKey, peerShare: clientShare))
    }
}

/// The groups this library implements, looked up by code point.
public enum KeyExchangeGroups {
    public static let implemented: [any KeyExchangeGroup] = [X25519MLKEM768Group(), X25519Group(), Secp256r1Group()]

    public static func named(_ group: NamedGroup) -> (any KeyExchangeGroup)? {
        implemented.first { $0.group == group }
    }
}
