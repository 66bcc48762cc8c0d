import TLSCrypto

/// secp256r1 (RFC 8446 §4.2.8.2, SEC 1): the key_exchange is the uncompressed point
/// 0x04 || X || Y (65 bytes), the shared secret the x-coordinate of d·Q (32 bytes, §7.4.2).
/// Every peer point is validated when it is decoded (length, form, coordinates below p, on the
/// curve: "Peers MUST validate each other's public key Y", §4.2.8.2).
public struct Secp256r1Group: DiffieHellmanGroup {
    public var group: NamedGroup { .secp256r1 }

    public init() {}

    public func makeKeyShare(random: any RandomSource, fixedPrivateKey: [UInt8]?) throws -> KeyShare {
        let key = try fixedPrivateKey.map { try P256.KeyAgreement.PrivateKey(rawRepresentation: $0) }
            ?? P256.KeyAgreement.PrivateKey(generatingWith: random)
        return KeyShare(group: group, privateKey: key.rawRepresentation, keyExchange: key.publicKey.x963Representation)
    }

    public func agree(privateKey: [UInt8], peerShare: [UInt8]) throws -> [UInt8] {
        let peer = try P256.KeyAgreement.PublicKey(x963Representation: peerShare)
        return try P256.KeyAgreement.PrivateKey(rawRepresentation: privateKey).sharedSecret(with: peer)
    }
}
