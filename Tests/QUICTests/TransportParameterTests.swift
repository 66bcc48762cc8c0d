import Testing
import QUIC
import TLS13

/// RFC 9000 §18: transport parameters round-trip, unknown ones are ignored, and each rule of
/// §18.2 (and §7.4's duplicates) is a TRANSPORT_PARAMETER_ERROR.
@Suite("QUIC transport parameters (RFC 9000 §18)")
struct TransportParameterTests {
    static func parameter(_ id: UInt64, _ value: [UInt8]) -> [UInt8] { encodedVarint(id) + encodedVarint(UInt64(value.count)) + value }
    static func integer(_ id: UInt64, _ value: UInt64) -> [UInt8] { parameter(id, encodedVarint(value)) }

    @Test("a server's parameters encode and decode back, defaults left out")
    func roundTrip() throws {
        var parameters = TransportParameters()
        parameters.originalDestinationConnectionID = [1, 2, 3, 4, 5, 6, 7, 8]
        parameters.maxIdleTimeout = 30_000
        parameters.statelessResetToken = Array(repeating: 7, count: 16)
        parameters.maxUDPPayloadSize = 1452
        parameters.initialMaxData = 1 << 20
        parameters.initialMaxStreamDataBidiLocal = 1 << 18
        parameters.initialMaxStreamDataBidiRemote = 1 << 18
        parameters.initialMaxStreamDataUni = 1 << 18
        parameters.initialMaxStreamsBidi = 100
        parameters.initialMaxStreamsUni = 3
        parameters.ackDelayExponent = 4
        parameters.maxAckDelay = 20
        parameters.disableActiveMigration = true
        parameters.activeConnectionIDLimit = 4
        parameters.initialSourceConnectionID = [9, 9, 9, 9]
        parameters.retrySourceConnectionID = [8, 8]
        #expect(try TransportParameters(decoding: parameters.encoded, fromServer: true) == parameters)
        #expect(TransportParameters().encoded.isEmpty, "every default is left out")
    }

    @Test("unknown and reserved (31 × N + 27) parameters are ignored")
    func unknownIgnored() throws {
        let bytes = Self.parameter(27, [1, 2, 3]) + Self.parameter(0x3fff, []) + Self.integer(0x04, 5000)
        let parameters = try TransportParameters(decoding: bytes, fromServer: false)
        #expect(parameters.initialMaxData == 5000)
        #expect(TransportParameters.name(of: 27 + 31 * 5) == "reserved (GREASE)")
    }

    @Test("each rule of §18.2 is a TRANSPORT_PARAMETER_ERROR", arguments: [
        (integer(0x03, 1199), true, "max_udp_payload_size below 1200"),
        (integer(0x0a, 21), true, "ack_delay_exponent above 20"),
        (integer(0x0b, 1 << 14), true, "max_ack_delay of 2^14"),
        (integer(0x0e, 1), true, "active_connection_id_limit below 2"),
        (integer(0x08, (1 << 60) + 1), true, "initial_max_streams_bidi above 2^60"),
        (parameter(0x02, [1, 2, 3]), true, "a 3-byte stateless reset token"),
        (parameter(0x0c, [1]), true, "disable_active_migration with a value"),
        (parameter(0x00, [1, 2]), false, "original_destination_connection_id from a client"),
        (parameter(0x02, [UInt8](repeating: 0, count: 16)), false, "stateless_reset_token from a client"),
        (parameter(0x10, [1]), false, "retry_source_connection_id from a client"),
        (integer(0x04, 1) + integer(0x04, 2), true, "a parameter twice"),
        (parameter(0x04, [0x40]), true, "a truncated integer value"),
        (parameter(0x04, [1, 2]), true, "trailing bytes after the integer"),
        ([0x04, 0x05, 1], true, "a length past the end"),
        ([0x40], true, "a truncated id"),
    ] as [([UInt8], Bool, String)])
    func violations(_ bytes: [UInt8], _ fromServer: Bool, _ why: String) {
        do {
            _ = try TransportParameters(decoding: bytes, fromServer: fromServer)
            Issue.record("\(why): accepted")
        } catch let error as QUICError {
            #expect(error.code == .transportParameterError, "\(why): \(error)")
        } catch {
            Issue.record("\(why): \(error)")
        }
    }
}
