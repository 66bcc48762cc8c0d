/// The messages an extension may appear in: the column of RFC 8446 §4.2's table, with its
/// abbreviations (CH, SH, EE, CT, CR, NST, HRR).
public enum ExtensionContext: String, Hashable, Sendable, CaseIterable {
    case clientHello = "CH"
    case serverHello = "SH"
    case helloRetryRequest = "HRR"
    case encryptedExtensions = "EE"
    case certificate = "CT"
    case certificateRequest = "CR"
    case newSessionTicket = "NST"

    public var messageName: String {
        switch self {
        case .clientHello: "ClientHello"
        case .serverHello: "ServerHello"
        case .helloRetryRequest: "HelloRetryRequest"
        case .encryptedExtensions: "EncryptedExtensions"
        case .certificate: "Certificate"
        case .certificateRequest: "CertificateRequest"
        case .newSessionTicket: "NewSessionTicket"
        }
    }

    /// Which typed body decodes an extension's data in this message, when this library knows
    /// it. The same extension type can have different bodies in different messages
    /// (key_share: a list of shares in CH, one share in SH, a group in HRR).
    public func bodyType(of type: ExtensionType) -> (any ExtensionBody.Type)? {
        switch (type, self) {
        case (.serverName, .clientHello): ServerNameList.self
        case (.serverName, .encryptedExtensions): EmptyExtensionData.self
        case (.supportedGroups, .clientHello), (.supportedGroups, .encryptedExtensions): NamedGroupList.self
        case (.signatureAlgorithms, .clientHello), (.signatureAlgorithms, .certificateRequest),
             (.signatureAlgorithmsCert, .clientHello), (.signatureAlgorithmsCert, .certificateRequest):
            SignatureSchemeList.self
        case (.keyShare, .clientHello): KeyShareClientHello.self
        case (.keyShare, .serverHello): KeyShareServerHello.self
        case (.keyShare, .helloRetryRequest): KeyShareHelloRetryRequest.self
        case (.supportedVersions, .clientHello): SupportedVersionsClientHello.self
        case (.supportedVersions, .serverHello), (.supportedVersions, .helloRetryRequest):
            SupportedVersionsServerHello.self
        case (.cookie, .clientHello), (.cookie, .helloRetryRequest): Cookie.self
        case (.pskKeyExchangeModes, .clientHello): PSKKeyExchangeModes.self
        case (.earlyData, .clientHello), (.earlyData, .encryptedExtensions): EmptyExtensionData.self
        case (.earlyData, .newSessionTicket): EarlyDataIndication.self
        case (.preSharedKey, .clientHello): PreSharedKeyClientHello.self
        case (.preSharedKey, .serverHello): PreSharedKeyServerHello.self
        case (.postHandshakeAuth, .clientHello): EmptyExtensionData.self
        case (.certificateAuthorities, .clientHello), (.certificateAuthorities, .certificateRequest): CertificateAuthorities.self
        case (.recordSizeLimit, .clientHello), (.recordSizeLimit, .encryptedExtensions): RecordSizeLimit.self
        case (.applicationLayerProtocolNegotiation, .clientHello), (.applicationLayerProtocolNegotiation, .encryptedExtensions):
            ProtocolNameList.self
        default: nil
        }
    }
}

extension ExtensionType {
    /// RFC 8446 §4.2 table (plus RFC 8449 record_size_limit): the messages this extension may
    /// appear in, or nil for an extension TLS 1.3 does not define. Extensions that only
    /// TLS 1.2 uses (renegotiation_info, ec_point_formats, session_ticket, ...) are listed for
    /// CH alone: a client that also offers TLS 1.2 sends them, a TLS 1.3 server ignores them.
    public var permittedContexts: Set<ExtensionContext>? {
        switch self {
        case .serverName, .maxFragmentLength, .supportedGroups, .useSRTP, .heartbeat,
             .applicationLayerProtocolNegotiation, .clientCertificateType, .serverCertificateType,
             .recordSizeLimit:
            [.clientHello, .encryptedExtensions]
        case .statusRequest, .signedCertificateTimestamp: [.clientHello, .certificateRequest, .certificate]
        case .signatureAlgorithms, .signatureAlgorithmsCert, .certificateAuthorities:
            [.clientHello, .certificateRequest]
        case .padding, .pskKeyExchangeModes, .postHandshakeAuth: [.clientHello]
        case .quicTransportParameters: [.clientHello, .encryptedExtensions]
        case .keyShare, .supportedVersions: [.clientHello, .serverHello, .helloRetryRequest]
        case .preSharedKey: [.clientHello, .serverHello]
        case .earlyData: [.clientHello, .encryptedExtensions, .newSessionTicket]
        case .cookie: [.clientHello, .helloRetryRequest]
        case .oidFilters: [.certificateRequest]
        case .ecPointFormats, .sessionTicket, .encryptThenMAC, .extendedMasterSecret, .renegotiationInfo:
            [.clientHello]
        default: nil
        }
    }
}

/// RFC 8446 §4.2: checks the extensions of a received message against the table of where each
/// extension may appear and against what we asked for.
///
/// - `requested`: the extension types of the ClientHello we sent, when checking the server's
///   ServerHello, HelloRetryRequest, EncryptedExtensions or Certificate. "Implementations MUST
///   NOT send extension responses if the remote endpoint did not send the corresponding
///   extension requests, with the exception of the "cookie" extension in the
///   HelloRetryRequest. Upon receiving such an extension, an endpoint MUST abort the handshake
///   with an "unsupported_extension" alert." Pass nil for requests (ClientHello,
///   CertificateRequest) and NewSessionTicket, whose unknown extensions are ignored.
/// - "If an implementation receives an extension which it recognizes and which is not specified
///   for the message in which it appears, it MUST abort the handshake with an
///   "illegal_parameter" alert."
/// - §4.2.11: "pre_shared_key" MUST be the last extension in the ClientHello (illegal_parameter).
public func checkExtensions(_ extensions: [Extension], in context: ExtensionContext,
                            requested: Set<ExtensionType>?) throws {
    for ext in extensions {
        if let requested, !requested.contains(ext.type),
           !(context == .helloRetryRequest && ext.type == .cookie) {
            throw TLSError(.unsupportedExtension,
                           "\(context.messageName) contains \(ext.type), which was not requested")
        }
        if let permitted = ext.type.permittedContexts, !permitted.contains(context) {
            throw TLSError(.illegalParameter,
                           "\(ext.type) is not allowed in \(context.messageName) (RFC 8446 §4.2)")
        }
    }
    if context == .clientHello, let index = extensions.firstIndex(where: { $0.type == .preSharedKey }),
       index != extensions.count - 1 {
        throw TLSError(.illegalParameter, "pre_shared_key is not the last extension of the ClientHello")
    }
}
