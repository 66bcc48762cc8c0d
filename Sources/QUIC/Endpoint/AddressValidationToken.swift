import TLS13
import TLSCrypto

/// RFC 9000 §8.1.2–§8.1.4: the token a server puts in a Retry. Only the server that made it has
/// to read it, so its format is ours:
///
///     issued (8, ms) | ODCID length (1) | ODCID | Retry SCID length (1) | Retry SCID | MAC (16)
///
/// MAC = HMAC-SHA256(key, client address | the rest), truncated to 16 bytes: the token cannot be
/// forged, nor used from another address (§8.1.3: "the server MUST ensure that the token is
/// bound to the client's address"), and it expires (§8.1.3: "tokens SHOULD have an expiration").
public struct AddressValidationToken: Sendable, Equatable {
    public var issuedMilliseconds: UInt64
    public var originalDestinationConnectionID: [UInt8]
    public var retrySourceConnectionID: [UInt8]

    public static let lifetimeMilliseconds: UInt64 = 10_000
    static let macLength = 16

    public init(issuedMilliseconds: UInt64, originalDestinationConnectionID: [UInt8], retrySourceConnectionID: [UInt8]) {
        self.issuedMilliseconds = issuedMilliseconds
        self.originalDestinationConnectionID = originalDestinationConnectionID
        self.retrySourceConnectionID = retrySourceConnectionID
    }

    public func sealed(key: [UInt8], address: [UInt8]) -> [UInt8] {
        var w = ByteWriter(reservingCapacity: 64)
        w.u64(issuedMilliseconds)
        w.u8(UInt8(originalDestinationConnectionID.count)); w.bytes(originalDestinationConnectionID)
        w.u8(UInt8(retrySourceConnectionID.count)); w.bytes(retrySourceConnectionID)
        return w.bytes + Self.mac(key: key, address: address, body: w.bytes)
    }

    static func mac(key: [UInt8], address: [UInt8], body: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(key: key, message: [UInt8(address.count)] + address + body).prefix(macLength))
    }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case malformed, forgedOrOtherAddress, expired(ageMilliseconds: UInt64)
        public var description: String {
            switch self {
            case .malformed: "the token is not one of ours"
            case .forgedOrOtherAddress: "the token's MAC does not match (forged, or issued to another address)"
            case .expired(let age): "the token is \(age) ms old (lifetime \(AddressValidationToken.lifetimeMilliseconds) ms)"
            }
        }
    }

    /// Opens a token from an Initial; the MAC is compared in constant time.
    public init(opening token: [UInt8], key: [UInt8], address: [UInt8], nowMilliseconds: UInt64) throws(Failure) {
        guard token.count > Self.macLength + 10 else { throw .malformed }
        let body = Array(token.dropLast(Self.macLength))
        guard constantTimeEquals(Self.mac(key: key, address: address, body: body), token.suffix(Self.macLength)) else {
            throw .forgedOrOtherAddress
        }
        var r = ByteReader(body)
        guard let issued = try? r.u64("issued"), let odcid = try? r.vector(.u8, "ODCID"),
              let rscid = try? r.vector(.u8, "Retry SCID"), r.isAtEnd else { throw .malformed }
        let age = nowMilliseconds >= issued ? nowMilliseconds - issued : 0
        guard age <= Self.lifetimeMilliseconds else { throw .expired(ageMilliseconds: age) }
        self.init(issuedMilliseconds: issued, originalDestinationConnectionID: odcid, retrySourceConnectionID: rscid)
    }
}
