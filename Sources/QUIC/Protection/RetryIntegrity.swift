import TLSCrypto

/// RFC 9001 §5.8 Retry Packet Integrity: the last 16 bytes of a Retry are an AES-128-GCM tag,
/// with a key and nonce fixed by the RFC, over nothing but associated data: the Retry
/// pseudo-packet, i.e. the Original Destination Connection ID (the client's first DCID) then the
/// Retry packet without its tag.
///
///     Retry Pseudo-Packet {
///       ODCID Length (8),
///       Original Destination Connection ID (0..160),
///       Header Form (1) = 1, Fixed Bit (1) = 1, Long Packet Type (2) = 3, Unused (4),
///       Version (32), DCID Len (8), Destination Connection ID (0..160),
///       SCID Len (8), Source Connection ID (0..160), Retry Token (..),
///     }
///
/// The key is public, so the tag proves nothing about who sent the Retry; it proves the Retry
/// answers this client's Initial (an off-path attacker does not know the ODCID) and was not damaged.
public enum RetryIntegrity {
    public static let key: [UInt8] = [
        0xbe, 0x0c, 0x69, 0x0b, 0x9f, 0x66, 0x57, 0x5a, 0x1d, 0x76, 0x6b, 0x54, 0xe3, 0x68, 0xc8, 0x4e,
    ]
    public static let nonce: [UInt8] = [0x46, 0x15, 0x99, 0xd3, 0x5d, 0x63, 0x2b, 0xf2, 0x23, 0x98, 0x25, 0xbb]
    public static let tagLength = 16

    public static func pseudoPacket(originalDestinationConnectionID odcid: [UInt8], retryWithoutTag: [UInt8]) -> [UInt8] {
        [UInt8(odcid.count)] + odcid + retryWithoutTag
    }

    public static func tag(originalDestinationConnectionID odcid: [UInt8], retryWithoutTag: [UInt8]) throws -> [UInt8] {
        let aead = try AES128GCM(key: key)
        let pseudo = pseudoPacket(originalDestinationConnectionID: odcid, retryWithoutTag: retryWithoutTag)
        return try aead.seal(nonce: nonce, plaintext: [], additionalData: pseudo)
    }

    /// True when the Retry's last 16 bytes are the right tag (compared in constant time).
    public static func isValid(retry: [UInt8], originalDestinationConnectionID odcid: [UInt8]) -> Bool {
        guard retry.count > tagLength, let expected = try? tag(originalDestinationConnectionID: odcid,
                                                               retryWithoutTag: Array(retry.dropLast(tagLength))) else {
            return false
        }
        return constantTimeEquals(expected, retry.suffix(tagLength))
    }
}
