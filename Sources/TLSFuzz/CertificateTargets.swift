import TLSCrypto

/// Fuzz targets for what a peer or a key file hands to TLSCrypto's parsers: X.509 certificates
/// in DER, PEM text, and RSA private keys. Their rejections are `CryptoError`s.
enum CertificateTargets {
    /// `isSignature(by:)` costs a modular exponentiation with the certificate's own key; keys
    /// beyond these sizes are legal but would spend the fuzzer's time on arithmetic, not parsing.
    static let verifiedModulusBits = 4096
    static let verifiedExponentBits = 17

    static func certificate(_ der: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.certificate
        guard let certificate = try decodeOrReject(target, expecting: CryptoError.self, {
            try Certificate(der: der)
        }) else { return .rejected }
        try inspect(certificate, der: der, target)
        return .accepted
    }

    /// PEM text as a server's --cert/--key/--ca file holds it: every block is decoded, and each
    /// certificate or key block parsed.
    static func pem(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.pem
        let text = String(decoding: bytes, as: UTF8.self)
        guard let blocks = try decodeOrReject(target, expecting: CryptoError.self, { try PEM.decode(text) }) else {
            return .rejected
        }
        for block in blocks {
            switch block.label {
            case "CERTIFICATE":
                if let certificate = try decodeOrReject(target, expecting: CryptoError.self, {
                    try Certificate(der: block.der)
                }) {
                    try inspect(certificate, der: block.der, target)
                }
            case "RSA PRIVATE KEY":
                _ = try decodeOrReject(target, expecting: CryptoError.self) { try RSAPrivateKey(pkcs1DER: block.der) }
            case "PRIVATE KEY":
                _ = try decodeOrReject(target, expecting: CryptoError.self) { try RSAPrivateKey(pkcs8DER: block.der) }
            default:
                break
            }
        }
        _ = try decodeOrReject(target, expecting: CryptoError.self) { try RSAPrivateKey(pem: text) }
        return .accepted
    }

    /// The first byte chooses PKCS #1 (even) or PKCS #8 (odd), the rest is the key's DER.
    static func privateKey(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.privateKey
        guard let format = bytes.first else { return .rejected }
        let der = Array(bytes.dropFirst())
        let key = try decodeOrReject(target, expecting: CryptoError.self) {
            format % 2 == 0 ? try RSAPrivateKey(pkcs1DER: der) : try RSAPrivateKey(pkcs8DER: der)
        }
        return key == nil ? .rejected : .accepted
    }

    /// What a client does with a parsed certificate: read its fields, check its signature by
    /// itself and by the teaching CA. The parsed value must keep the exact bytes it came from.
    static func inspect(_ certificate: Certificate, der: [UInt8], _ target: FuzzTarget) throws(InvariantViolation) {
        guard certificate.der == der else {
            throw InvariantViolation(target, "Certificate.der is not the bytes it was parsed from: \(der.hexString)")
        }
        // DER: the outer SEQUENCE's header is 2 bytes, or 2 plus the count of long-form length
        // bytes; TBSCertificate follows it directly.
        let headerLength = der[1] < 0x80 ? 2 : 2 + Int(der[1] & 0x7f)
        guard der.dropFirst(headerLength).starts(with: certificate.tbsBytes) else {
            throw InvariantViolation(target, "tbsBytes do not follow the certificate's header: \(der.hexString)")
        }
        _ = certificate.description
        _ = certificate.subjectAltNames.map(\.description)
        guard let key = certificate.publicKey, key.modulusBitCount <= verifiedModulusBits,
              key.exponent.bitCount <= verifiedExponentBits else { return }
        _ = certificate.isSignature(by: certificate)
        _ = certificate.isSignature(by: FuzzPKI.caCertificate)
    }
}
