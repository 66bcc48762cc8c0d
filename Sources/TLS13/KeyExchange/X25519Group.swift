import TLSCrypto

/// x25519 (RFC 8446 §4.2.8.2, RFC 7748): the key_exchange is the 32-byte public key, the shared
/// secret the 32-byte X25519 output.
public struct X25519Group: DiffieHellmanGroup {
    public var group: NamedGroup { .x25519 }

    public init() {}

    public func makeKeyShare(random: any RandomSource, fixedPrivateKey: [UInt8]?) throws -> KeyShare {
        let privateKey = try fixedPrivateKey ?? X25519.generatePrivateKey(using: random)
        return KeyShare(group: group, privateKey: privateKey, keyExchange: try X25519.publicKey(privateKey: privateKey))
    }

    /// §4.2.8.2: the value is the 32-byte public key (anything else is malformed); §7.4.2:
    /// implementations "MUST check whether the computed Diffie-Hellman shared secret is the
    /// all-zero value and abort if so" (a low-order point, RFC 7748 §6.1).
    public func agree(privateKey: [UInt8], peerShare: [UInt8]) throws -> [UInt8] {
        guard peerShare.count == 32 else {
            throw CryptoError(.invalidParameter, "x25519 key_exchange is \(peerShare.count) bytes, not 32")
        }
        do {
            return try X25519.sharedSecret(privateKey: privateKey, peerPublicKey: peerShare)
        } catch let error as CryptoError where error.kind == .zeroSharedSecret {
            throw CryptoError(.zeroSharedSecret, "x25519 public key gives the all-zero shared secret")
        }
    }
}
