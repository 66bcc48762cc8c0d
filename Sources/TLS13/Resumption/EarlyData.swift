import TLSCrypto

/// What resumption and 0-RTT add to a connection's state (see ServerResumption.swift and
/// ClientResumption.swift for the steps).
struct ResumptionState {
    /// Client: the 0-RTT data sent with the ClientHello, until the server says whether it took it.
    var sentEarlyData: [UInt8] = []
    /// Client: nil when no early data was sent; then whether EncryptedExtensions accepted it.
    var earlyDataAccepted: Bool?
    /// Client: the tickets received, as sessions to resume later (newest last).
    var sessions: [ResumptionSession] = []
    /// Server: 0-RTT bytes received so far (limited by max_early_data_size).
    var earlyDataReceived = 0
}

extension TLSConnection {
    /// True once a PSK was accepted (after ServerHello on both sides).
    public var isResumed: Bool { acceptedPSKIndex != nil }

    /// Client: the tickets the server sent, each ready to resume with (`--sess-out`).
    public var receivedSessions: [ResumptionSession] { resumption.sessions }

    /// Client: nil when no 0-RTT data was sent; otherwise whether the server accepted it.
    public var earlyDataAccepted: Bool? { resumption.earlyDataAccepted }

    /// Client: the early data the server did not accept; RFC 8446 §4.2.10 leaves it to the
    /// application to send it again after the handshake, which our tools do.
    public var rejectedEarlyData: [UInt8] {
        resumption.earlyDataAccepted == false ? resumption.sentEarlyData : []
    }

    /// Server: a 0-RTT record's data. §4.2.10: "If the server ... receives more than
    /// max_early_data_size bytes of 0-RTT data, it SHOULD abort the connection with an
    /// "unexpected_message" alert."
    func readEarlyData(_ data: [UInt8]) throws {
        resumption.earlyDataReceived += data.count
        guard resumption.earlyDataReceived <= Int(configuration.maxEarlyDataSize) else {
            throw TLSError(.unexpectedMessage, "more than max_early_data_size (\(configuration.maxEarlyDataSize) bytes) of 0-RTT data")
        }
        events(.earlyData(.received, data))
    }

    /// Server: §4.5 EndOfEarlyData ends the 0-RTT data; it is in the transcript, and the client's
    /// next records are under its handshake key.
    func readEndOfEarlyData(bytes: [UInt8], _ flight: ServerFlightSent) throws -> HandshakeState {
        var flight = flight
        // §5.1: no handshake message may straddle the key change (unexpected_message).
        guard !records.hasBufferedHandshakeBytes else {
            throw TLSError(.unexpectedMessage, "EndOfEarlyData shares its record with a message under the next key")
        }
        flight.keys.transcript.append(bytes)
        events(.note("0-RTT ends: \(resumption.earlyDataReceived) bytes of early data received; the client's handshake key takes over"))
        try installClientHandshakeKeyAfterEarlyData(flight.keys)
        return .expectClientFinished(flight)
    }
}
