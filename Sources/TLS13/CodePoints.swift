// Open code points (RFC 8446 §4, §5.1, Appendix B). Each is a struct over its raw value, so a
// value we do not know is carried and printed, never a crash; `name` is the RFC's spelling.

/// RFC 8446 §5.1: enum { invalid(0), change_cipher_spec(20), alert(21), handshake(22), application_data(23), (255) } ContentType;
public struct ContentType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let invalid = Self(rawValue: 0)
    public static let changeCipherSpec = Self(rawValue: 20)
    public static let alert = Self(rawValue: 21)
    public static let handshake = Self(rawValue: 22)
    public static let applicationData = Self(rawValue: 23)

    public var name: String? {
        switch rawValue {
        case 0: "invalid"
        case 20: "change_cipher_spec"
        case 21: "alert"
        case 22: "handshake"
        case 23: "application_data"
        default: nil
        }
    }

    public var description: String { "\(name ?? "unknown") (\(rawValue))" }
}

/// RFC 8446 §4: enum { client_hello(1), server_hello(2), ... message_hash(254), (255) } HandshakeType;
public struct HandshakeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let clientHello = Self(rawValue: 1)
    public static let serverHello = Self(rawValue: 2)
    public static let newSessionTicket = Self(rawValue: 4)
    public static let endOfEarlyData = Self(rawValue: 5)
    public static let encryptedExtensions = Self(rawValue: 8)
    public static let certificate = Self(rawValue: 11)
    public static let certificateRequest = Self(rawValue: 13)
    public static let certificateVerify = Self(rawValue: 15)
    public static let finished = Self(rawValue: 20)
    public static let keyUpdate = Self(rawValue: 24)
    public static let messageHash = Self(rawValue: 254)

    public var name: String? {
        switch rawValue {
        case 1: "client_hello"
        case 2: "server_hello"
        case 4: "new_session_ticket"
        case 5: "end_of_early_data"
        case 8: "encrypted_extensions"
        case 11: "certificate"
        case 13: "certificate_request"
        case 15: "certificate_verify"
        case 20: "finished"
        case 24: "key_update"
        case 254: "message_hash"
        default: nil
        }
    }

    /// The message's name as the RFC's prose writes it ("ClientHello"), for section titles.
    public var messageName: String {
        switch rawValue {
        case 1: "ClientHello"
        case 2: "ServerHello"
        case 4: "NewSessionTicket"
        case 5: "EndOfEarlyData"
        case 8: "EncryptedExtensions"
        case 11: "Certificate"
        case 13: "CertificateRequest"
        case 15: "CertificateVerify"
        case 20: "Finished"
        case 24: "KeyUpdate"
        case 254: "message_hash"
        default: "HandshakeType(\(rawValue))"
        }
    }

    public var description: String { "\(name ?? "unknown") (\(rawValue))" }
}

/// RFC 8446 §4.2.1: uint16 ProtocolVersion;
public struct ProtocolVersion: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let tls10 = Self(rawValue: 0x0301)
    public static let tls11 = Self(rawValue: 0x0302)
    public static let tls12 = Self(rawValue: 0x0303)
    public static let tls13 = Self(rawValue: 0x0304)

    public var name: String? {
        switch rawValue {
        case 0x0300: "SSL 3.0"
        case 0x0301: "TLS 1.0"
        case 0x0302: "TLS 1.1"
        case 0x0303: "TLS 1.2"
        case 0x0304: "TLS 1.3"
        default: rawValue & 0x0f0f == 0x0a0a ? "GREASE" : nil
        }
    }

    public var description: String { "\(name ?? "unknown") (\(hex16(rawValue)))" }
}

/// RFC 8446 §B.4 cipher suites.
public struct CipherSuite: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let aes128GCMSHA256 = Self(rawValue: 0x1301)
    public static let aes256GCMSHA384 = Self(rawValue: 0x1302)
    public static let chacha20Poly1305SHA256 = Self(rawValue: 0x1303)
    public static let aes128CCMSHA256 = Self(rawValue: 0x1304)
    public static let aes128CCM8SHA256 = Self(rawValue: 0x1305)
    /// RFC 5746 signalling value some clients still send.
    public static let emptyRenegotiationInfoSCSV = Self(rawValue: 0x00ff)

    public var name: String? {
        switch rawValue {
        case 0x1301: "TLS_AES_128_GCM_SHA256"
        case 0x1302: "TLS_AES_256_GCM_SHA384"
        case 0x1303: "TLS_CHACHA20_POLY1305_SHA256"
        case 0x1304: "TLS_AES_128_CCM_SHA256"
        case 0x1305: "TLS_AES_128_CCM_8_SHA256"
        case 0x00ff: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"
        default: IANANames.name(rawValue, in: IANANames.cipherSuites)
        }
    }

    public var description: String { "\(name ?? "unknown") (\(hex16(rawValue)))" }
}

/// RFC 8446 §4.2.7: enum { ..., x25519(0x001D), ... } NamedGroup;
public struct NamedGroup: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let secp256r1 = Self(rawValue: 0x0017)
    public static let secp384r1 = Self(rawValue: 0x0018)
    public static let secp521r1 = Self(rawValue: 0x0019)
    public static let x25519 = Self(rawValue: 0x001d)
    public static let x448 = Self(rawValue: 0x001e)
    /// draft-ietf-tls-ecdhe-mlkem: ML-KEM-768 and X25519, the hybrid browsers send since 2024.
    public static let x25519MLKEM768 = Self(rawValue: 0x11ec)
    public static let ffdhe2048 = Self(rawValue: 0x0100)
    public static let ffdhe3072 = Self(rawValue: 0x0101)
    public static let ffdhe4096 = Self(rawValue: 0x0102)
    public static let ffdhe6144 = Self(rawValue: 0x0103)
    public static let ffdhe8192 = Self(rawValue: 0x0104)

    public var name: String? {
        switch rawValue {
        case 0x0017: "secp256r1"
        case 0x0018: "secp384r1"
        case 0x0019: "secp521r1"
        case 0x001d: "x25519"
        case 0x001e: "x448"
        case 0x0100: "ffdhe2048"
        case 0x0101: "ffdhe3072"
        case 0x0102: "ffdhe4096"
        case 0x0103: "ffdhe6144"
        case 0x0104: "ffdhe8192"
        case 0x11ec: "X25519MLKEM768"
        default: IANANames.name(rawValue, in: IANANames.groups)
        }
    }

    public var description: String { "\(name ?? "unknown") (\(hex16(rawValue)))" }

    /// "an x25519", "a secp256r1": the name with its article, for sentences in the trace.
    public var withIndefiniteArticle: String {
        guard let name else { return "a \(description)" }
        return (name.first.map { "xX".contains($0) } ?? false ? "an " : "a ") + name
    }
}

/// RFC 8446 §4.2.3: enum { ..., rsa_pss_rsae_sha256(0x0804), ... } SignatureScheme;
public struct SignatureScheme: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let rsaPKCS1SHA256 = Self(rawValue: 0x0401)
    public static let rsaPKCS1SHA384 = Self(rawValue: 0x0501)
    public static let rsaPKCS1SHA512 = Self(rawValue: 0x0601)
    public static let ecdsaSecp256r1SHA256 = Self(rawValue: 0x0403)
    public static let ecdsaSecp384r1SHA384 = Self(rawValue: 0x0503)
    public static let ecdsaSecp521r1SHA512 = Self(rawValue: 0x0603)
    public static let rsaPSSRSAESHA256 = Self(rawValue: 0x0804)
    public static let rsaPSSRSAESHA384 = Self(rawValue: 0x0805)
    public static let rsaPSSRSAESHA512 = Self(rawValue: 0x0806)
    public static let ed25519 = Self(rawValue: 0x0807)
    public static let ed448 = Self(rawValue: 0x0808)
    public static let rsaPSSPSSSHA256 = Self(rawValue: 0x0809)
    public static let rsaPSSPSSSHA384 = Self(rawValue: 0x080a)
    public static let rsaPSSPSSSHA512 = Self(rawValue: 0x080b)
    public static let rsaPKCS1SHA1 = Self(rawValue: 0x0201)
    public static let ecdsaSHA1 = Self(rawValue: 0x0203)

    public var name: String? {
        switch rawValue {
        case 0x0401: "rsa_pkcs1_sha256"
        case 0x0501: "rsa_pkcs1_sha384"
        case 0x0601: "rsa_pkcs1_sha512"
        case 0x0403: "ecdsa_secp256r1_sha256"
        case 0x0503: "ecdsa_secp384r1_sha384"
        case 0x0603: "ecdsa_secp521r1_sha512"
        case 0x0804: "rsa_pss_rsae_sha256"
        case 0x0805: "rsa_pss_rsae_sha384"
        case 0x0806: "rsa_pss_rsae_sha512"
        case 0x0807: "ed25519"
        case 0x0808: "ed448"
        case 0x0809: "rsa_pss_pss_sha256"
        case 0x080a: "rsa_pss_pss_sha384"
        case 0x080b: "rsa_pss_pss_sha512"
        case 0x0201: "rsa_pkcs1_sha1"
        case 0x0203: "ecdsa_sha1"
        case 0x0202: "dsa_sha1 (legacy)"
        case 0x0402: "dsa_sha256 (legacy)"
        default: IANANames.name(rawValue, in: IANANames.signatureSchemes)
        }
    }

    public var description: String { "\(name ?? "unknown") (\(hex16(rawValue)))" }
}

/// RFC 8446 §4.2: enum { server_name(0), ... (65535) } ExtensionType;
public struct ExtensionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let serverName = Self(rawValue: 0)
    public static let maxFragmentLength = Self(rawValue: 1)
    public static let statusRequest = Self(rawValue: 5)
    public static let supportedGroups = Self(rawValue: 10)
    public static let ecPointFormats = Self(rawValue: 11)
    public static let signatureAlgorithms = Self(rawValue: 13)
    public static let useSRTP = Self(rawValue: 14)
    public static let heartbeat = Self(rawValue: 15)
    public static let applicationLayerProtocolNegotiation = Self(rawValue: 16)
    public static let signedCertificateTimestamp = Self(rawValue: 18)
    public static let clientCertificateType = Self(rawValue: 19)
    public static let serverCertificateType = Self(rawValue: 20)
    public static let padding = Self(rawValue: 21)
    public static let encryptThenMAC = Self(rawValue: 22)
    public static let extendedMasterSecret = Self(rawValue: 23)
    public static let recordSizeLimit = Self(rawValue: 28)
    /// RFC 9001 §8.2: QUIC's transport parameters ride in the TLS handshake.
    public static let quicTransportParameters = Self(rawValue: 57)
    public static let sessionTicket = Self(rawValue: 35)
    public static let preSharedKey = Self(rawValue: 41)
    public static let earlyData = Self(rawValue: 42)
    public static let supportedVersions = Self(rawValue: 43)
    public static let cookie = Self(rawValue: 44)
    public static let pskKeyExchangeModes = Self(rawValue: 45)
    public static let certificateAuthorities = Self(rawValue: 47)
    public static let oidFilters = Self(rawValue: 48)
    public static let postHandshakeAuth = Self(rawValue: 49)
    public static let signatureAlgorithmsCert = Self(rawValue: 50)
    public static let keyShare = Self(rawValue: 51)
    public static let renegotiationInfo = Self(rawValue: 0xff01)

    public var name: String? {
        switch rawValue {
        case 0: "server_name"
        case 1: "max_fragment_length"
        case 5: "status_request"
        case 10: "supported_groups"
        case 11: "ec_point_formats"
        case 13: "signature_algorithms"
        case 14: "use_srtp"
        case 15: "heartbeat"
        case 16: "application_layer_protocol_negotiation"
        case 18: "signed_certificate_timestamp"
        case 19: "client_certificate_type"
        case 20: "server_certificate_type"
        case 21: "padding"
        case 22: "encrypt_then_mac"
        case 23: "extended_master_secret"
        case 28: "record_size_limit"
        case 57: "quic_transport_parameters"
        case 35: "session_ticket"
        case 41: "pre_shared_key"
        case 42: "early_data"
        case 43: "supported_versions"
        case 44: "cookie"
        case 45: "psk_key_exchange_modes"
        case 47: "certificate_authorities"
        case 48: "oid_filters"
        case 49: "post_handshake_auth"
        case 50: "signature_algorithms_cert"
        case 51: "key_share"
        case 0xff01: "renegotiation_info"
        default: IANANames.name(rawValue, in: IANANames.extensions)
        }
    }

    public var description: String { "\(name ?? "unknown") (\(hex16(rawValue)))" }
}

@usableFromInline
func hex16(_ v: UInt16) -> String {
    let digits = Array("0123456789abcdef")
    return "0x" + String([digits[Int(v >> 12)], digits[Int(v >> 8 & 0xf)], digits[Int(v >> 4 & 0xf)], digits[Int(v & 0xf)]])
}
