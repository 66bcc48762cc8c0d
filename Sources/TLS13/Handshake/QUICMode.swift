import TLSCrypto

/// RFC 9001: the TLS handshake carried by QUIC. The messages are the same; what changes is
/// around them:
///
/// - §4: no TLS records. Handshake bytes leave per encryption level (`takeQUICHandshakeData`)
///   and arrive per level (`receiveQUICHandshake`), for QUIC to put in CRYPTO frames.
/// - §5: QUIC protects its packets with the traffic secrets TLS derives; the `.trafficKeys`
///   events give each secret with its direction and level ("handshake data", "application data").
/// - §8.2: quic_transport_parameters in ClientHello and EncryptedExtensions, required
///   (missing_extension).
/// - §8.1: ALPN required (no_application_protocol).
/// - §8.4: no middlebox compatibility mode: an empty legacy_session_id, no ChangeCipherSpec.
/// - §4.8: a TLS alert becomes QUIC's CRYPTO_ERROR (0x0100 + the alert), not a record.
extension TLSConnection {
    var isQUIC: Bool { configuration.quicTransportParameters != nil }

    /// QUIC: handshake bytes that arrived in CRYPTO frames (in order, for the current level).
    public func receiveQUICHandshake(_ bytes: [UInt8]) throws {
        records.receiveHandshakeData(bytes)
        try receive([])
    }

    /// QUIC: the handshake bytes to send, with the key each belongs to (nil before any: the
    /// Initial level; then handshake, application), oldest first.
    public func takeQUICHandshakeData() -> [(epoch: TrafficEpoch?, bytes: [UInt8])] {
        defer { quicOutgoing = [] }
        return quicOutgoing
    }

    /// The peer's quic_transport_parameters, once its ClientHello or EncryptedExtensions arrived.
    public var peerQUICTransportParameters: [UInt8]? { quicPeerParameters }

    /// The extension we send.
    func quicTransportParametersExtension() -> Extension? {
        configuration.quicTransportParameters.map { Extension(type: .quicTransportParameters, data: $0) }
    }

    /// RFC 9001 §8.2: "endpoints MUST send the quic_transport_parameters extension; endpoints
    /// that receive ClientHello or EncryptedExtensions messages without the
    /// quic_transport_parameters extension MUST close the connection with an error of type
    /// 0x016d (equivalent to a fatal TLS missing_extension alert)". §8.1: without an agreed
    /// application protocol, "no_application_protocol".
    func readQUICExtensions(_ extensions: [Extension], in message: String) throws {
        guard isQUIC else { return }
        guard let parameters = extensions.first(.quicTransportParameters) else {
            events(.check("\(message) carries quic_transport_parameters (RFC 9001 §8.2)", passed: false, rule: Self.quicTransportParametersRule))
            throw TLSError(.missingExtension, "the \(message) has no quic_transport_parameters")
        }
        quicPeerParameters = parameters.data
        events(.check("\(message) carries quic_transport_parameters (\(parameters.data.count) bytes, RFC 9001 §8.2)", passed: true, rule: Self.quicTransportParametersRule))
        guard applicationProtocol != nil else {
            events(.check("an application protocol is agreed (ALPN, required by RFC 9001 §8.1)", passed: false, rule: Self.quicTransportParametersRule))
            throw TLSError(.noApplicationProtocol, "QUIC needs an application protocol agreed by ALPN")
        }
    }
}

// The RFC text behind this file's checks, shown with each check's outcome (TLSEvent.check).
extension TLSConnection {
    static let quicTransportParametersRule = "RFC 9001 §8.2: \"endpoints MUST send the quic_transport_parameters extension; endpoints that receive ClientHello or EncryptedExtensions messages without the quic_transport_parameters extension MUST close the connection with an error of type 0x016d (equivalent to a fatal TLS missing_extension alert)\". §8.1: without an agreed application protocol, \"no_application_protocol\"."
}
