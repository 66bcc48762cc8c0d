// Names from the IANA TLS registries (https://www.iana.org/assignments/tls-parameters) for code
// points this library does not implement but real clients send: the TLS 1.2 cipher suites,
// groups, signature schemes and extensions of browsers and OpenSSL. A trace of a browser's
// ClientHello then names every value; a value in none of these tables prints as
// "unknown (0x....)", and a GREASE value (RFC 8701, 0x?a?a) as "GREASE".
enum IANANames {
    /// RFC 8701: GREASE values of 16-bit registries are 0x0a0a, 0x1a1a, ... 0xfafa.
    static func isGREASE(_ value: UInt16) -> Bool { value & 0x0f0f == 0x0a0a && value >> 8 == value & 0xff }

    static func name(_ value: UInt16, in table: [UInt16: String]) -> String? {
        table[value] ?? (isGREASE(value) ? "GREASE" : nil)
    }

    /// TLS Cipher Suites (TLS 1.0-1.2 suites a client may still offer).
    static let cipherSuites: [UInt16: String] = [
        0x000a: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x002f: "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0033: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x0039: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x003c: "TLS_RSA_WITH_AES_128_CBC_SHA256",
        0x003d: "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        0x006b: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        0x009c: "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009d: "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x009e: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009f: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0x5600: "TLS_FALLBACK_SCSV",
        0xc009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xc00a: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xc012: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0xc013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xc014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xc023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        0xc024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xc027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        0xc028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0xc02b: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xc02c: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xc02f: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xc030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xc09c: "TLS_RSA_WITH_AES_128_CCM",
        0xc09d: "TLS_RSA_WITH_AES_256_CCM",
        0xc09e: "TLS_DHE_RSA_WITH_AES_128_CCM",
        0xc09f: "TLS_DHE_RSA_WITH_AES_256_CCM",
        0xc0ac: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
        0xc0ad: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
        0xc0ae: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
        0xc0af: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        0xcca8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xcca9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xccaa: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    ]

    /// TLS Supported Groups.
    static let groups: [UInt16: String] = [
        0x0015: "secp224r1",
        0x0016: "secp256k1",
        0x001a: "brainpoolP256r1",
        0x001b: "brainpoolP384r1",
        0x001c: "brainpoolP512r1",
        0x001f: "brainpoolP256r1tls13",
        0x0020: "brainpoolP384r1tls13",
        0x0021: "brainpoolP512r1tls13",
        0x0022: "GC256A",
        0x0023: "GC256B",
        0x0024: "GC256C",
        0x0025: "GC256D",
        0x0026: "GC512A",
        0x0027: "GC512B",
        0x0028: "GC512C",
        0x0029: "curveSM2",
        0x0200: "MLKEM512",
        0x0201: "MLKEM768",
        0x0202: "MLKEM1024",
        0x11eb: "SecP256r1MLKEM768",
        0x11ed: "SecP384r1MLKEM1024",
        0x6399: "X25519Kyber768Draft00",
        0x639a: "SecP256r1Kyber768Draft00",
    ]

    /// TLS SignatureScheme.
    static let signatureSchemes: [UInt16: String] = [
        0x0420: "rsa_pkcs1_sha256_legacy",
        0x0520: "rsa_pkcs1_sha384_legacy",
        0x0620: "rsa_pkcs1_sha512_legacy",
        0x0704: "eccsi_sha256",
        0x0708: "sm2sig_sm3",
        0x0709: "gostr34102012_256a",
        0x081a: "ecdsa_brainpoolP256r1tls13_sha256",
        0x081b: "ecdsa_brainpoolP384r1tls13_sha384",
        0x081c: "ecdsa_brainpoolP512r1tls13_sha512",
        0x0904: "mldsa44",
        0x0905: "mldsa65",
        0x0906: "mldsa87",
    ]

    /// TLS ExtensionType Values.
    static let extensions: [UInt16: String] = [
        2: "client_certificate_url",
        3: "trusted_ca_keys",
        4: "truncated_hmac",
        6: "user_mapping",
        7: "client_authz",
        8: "server_authz",
        9: "cert_type",
        12: "srp",
        17: "status_request_v2",
        24: "token_binding",
        25: "cached_info",
        26: "tls_lts",
        27: "compress_certificate",
        29: "pwd_protect",
        30: "pwd_clear",
        31: "password_salt",
        32: "ticket_pinning",
        33: "tls_cert_with_extern_psk",
        34: "delegated_credential",
        36: "TLMSP",
        37: "TLMSP_proxying",
        38: "TLMSP_delegate",
        39: "supported_ekt_ciphers",
        46: "connection_id (deprecated)",
        52: "transparency_info",
        53: "connection_id_deprecated",
        54: "connection_id",
        55: "external_id_hash",
        56: "external_session_id",
        57: "quic_transport_parameters",
        58: "ticket_request",
        59: "dnssec_chain",
        60: "sequence_number_encryption_algorithms",
        61: "rrc",
        62: "tls_flags",
        0x3374: "next_protocol_negotiation",
        0x4469: "application_settings (old)",
        0x44cd: "application_settings",
        0x754f: "channel_id",
        0xfd00: "ech_outer_extensions",
        0xfe0d: "encrypted_client_hello",
    ]
}
