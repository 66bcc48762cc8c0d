import TLSCrypto

/// X25519MLKEM768 (draft-ietf-tls-ecdhe-mlkem §3, code point 0x11EC): a post-quantum hybrid. The
/// shared secret is safe as long as either half is, so a quantum computer that one day breaks
/// X25519 still cannot read today's recorded traffic ("harvest now, decrypt later"), and a flaw in
/// the young ML-KEM still leaves X25519's protection.
///
///     client key_exchange = ML-KEM-768 encapsulation key (1184) || X25519 public key (32)
///     server key_exchange = ML-KEM-768 ciphertext (1088)        || X25519 public key (32)
///     shared secret       = ML-KEM shared secret (32)            || X25519 shared secret (32)
///
/// (For this group the ML-KEM half comes first in all three, unlike the draft's other hybrids.)
/// ML-KEM is a KEM, not Diffie-Hellman: the server does not make a key pair for it but
/// encapsulates a fresh secret to the client's key; only the client can decapsulate it.
///
/// Our client's private key is kept as the 64-byte ML-KEM seed d || z (FIPS 203 §7.1 lets the
/// seed stand for the decapsulation key) followed by the 32-byte X25519 private key: 96 bytes
/// a learner can read in the trace, from which the 2400-byte decapsulation key is re-derived.
public struct X25519MLKEM768Group: KeyExchangeGroup {
    public var group: NamedGroup { .x25519MLKEM768 }
    public var fallbackShareGroup: NamedGroup? { .x25519 }
    public var fallbackShareReason: String? {
        "two key shares, as browsers send them: X25519MLKEM768 for a server that speaks post-quantum, x25519 for one that does not (it answers without a HelloRetryRequest)"
    }

    public static let clientShareByteCount = MLKEM768.encapsulationKeyByteCount + 32
    public static let serverShareByteCount = MLKEM768.ciphertextByteCount + 32
    static let privateKeyByteCount = MLKEM768.seedByteCount + 32

    public init() {}

    public func makeKeyShare(random: any RandomSource, fixedPrivateKey: [UInt8]?) throws -> KeyShare {
        if let fixedPrivateKey, fixedPrivateKey.count != Self.privateKeyByteCount {
            throw CryptoError(.invalidKeySize, "an X25519MLKEM768 private key is the 64-byte ML-KEM seed and the 32-byte X25519 key")
        }
        let seed = try fixedPrivateKey.map { Array($0.prefix(MLKEM768.seedByteCount)) } ?? random.bytes(MLKEM768.seedByteCount)
        let x25519 = try fixedPrivateKey.map { Array($0.suffix(32)) } ?? X25519.generatePrivateKey(using: random)
        let pair = try MLKEM768.generateKeyPair(seed: seed)
        return KeyShare(group: group, privateKey: seed + x25519,
                        keyExchange: pair.encapsulationKey.bytes + (try X25519.publicKey(privateKey: x25519)))
    }

    /// draft-ietf-tls-ecdhe-mlkem §3: the server's share must be exactly 1120 bytes; ML-KEM
    /// decapsulation never fails on a well-formed ciphertext (implicit rejection: a forged one
    /// gives an unrelated secret and the Finished check fails), X25519 refuses the all-zero secret.
    public func sharedSecret(_ ours: KeyShare, serverShare: [UInt8]) throws -> [UInt8] {
        guard serverShare.count == Self.serverShareByteCount else {
            throw CryptoError(.invalidParameter, "X25519MLKEM768 server key_exchange is \(serverShare.count) bytes, not \(Self.serverShareByteCount)")
        }
        let pair = try MLKEM768.generateKeyPair(seed: Array(ours.privateKey.prefix(MLKEM768.seedByteCount)))
        let mlkemSecret = try MLKEM768.decapsulate(Array(serverShare.prefix(MLKEM768.ciphertextByteCount)), with: pair.decapsulationKey)
        let x25519Secret = try X25519Group().agree(privateKey: Array(ours.privateKey.suffix(32)), peerShare: Array(serverShare.suffix(32)))
        return mlkemSecret + x25519Secret
    }

    /// The client's share must be exactly 1216 bytes, and its encapsulation key must pass FIPS 203
    /// §7.2's modulus check; then we encapsulate to it and do X25519 with a fresh key of ours.
    public func respond(toClientShare clientShare: [UInt8], random: any RandomSource,
                        fixedPrivateKey: [UInt8]?) throws -> (ours: KeyShare?, keyExchange: [UInt8], sharedSecret: [UInt8]) {
        guard clientShare.count == Self.clientShareByteCount else {
            throw CryptoError(.invalidParameter, "X25519MLKEM768 client key_exchange is \(clientShare.count) bytes, not \(Self.clientShareByteCount)")
        }
        let key = try MLKEM768.EncapsulationKey(bytes: Array(clientShare.prefix(MLKEM768.encapsulationKeyByteCount)))
        let encapsulation = try MLKEM768.encapsulate(to: key, using: random)
        let x25519 = try X25519Group().makeKeyShare(random: random, fixedPrivateKey: fixedPrivateKey)
        let x25519Secret = try X25519Group().agree(privateKey: x25519.privateKey, peerShare: Array(clientShare.suffix(32)))
        let keyExchange = encapsulation.ciphertext + x25519.keyExchange
        return (KeyShare(group: group, privateKey: x25519.privateKey, keyExchange: keyExchange), keyExchange,
                encapsulation.sharedSecret + x25519Secret)
    }
}
