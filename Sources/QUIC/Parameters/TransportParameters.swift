import TLS13

/// RFC 9000 §18: what each endpoint declares about itself, carried in the TLS
/// quic_transport_parameters extension (RFC 9001 §8.2): a sequence of (id, length, value), each a
/// variable-length integer id and length. Every violation of §18.2's rules is a
/// TRANSPORT_PARAMETER_ERROR; unknown ids (including the reserved 31 × N + 27, §18.1) are
/// ignored.
public struct TransportParameters: Hashable, Sendable {
    public var originalDestinationConnectionID: [UInt8]?
    /// Milliseconds; 0 means no idle timeout.
    public var maxIdleTimeout: UInt64 = 0
    public var statelessResetToken: [UInt8]?
    public var maxUDPPayloadSize: UInt64 = 65527
    public var initialMaxData: UInt64 = 0
    public var initialMaxStreamDataBidiLocal: UInt64 = 0
    public var initialMaxStreamDataBidiRemote: UInt64 = 0
    public var initialMaxStreamDataUni: UInt64 = 0
    public var initialMaxStreamsBidi: UInt64 = 0
    public var initialMaxStreamsUni: UInt64 = 0
    public var ackDelayExponent: UInt64 = 3
    /// Milliseconds.
    public var maxAckDelay: UInt64 = 25
    public var disableActiveMigration = false
    /// Kept as bytes: this endpoint never migrates (§18.2 preferred_address).
    public var preferredAddress: [UInt8]?
    public var activeConnectionIDLimit: UInt64 = 2
    public var initialSourceConnectionID: [UInt8]?
    public var retrySourceConnectionID: [UInt8]?

    public init() {}

    /// The ids this implementation knows, with the RFC's names, for traces.
    public static func name(of id: UInt64) -> String? {
        switch id {
        case 0x00: "original_destination_connection_id"
        case 0x01: "max_idle_timeout"
        case 0x02: "stateless_reset_token"
        case 0x03: "max_udp_payload_size"
        case 0x04: "initial_max_data"
        case 0x05: "initial_max_stream_data_bidi_local"
        case 0x06: "initial_max_stream_data_bidi_remote"
        case 0x07: "initial_max_stream_data_uni"
        case 0x08: "initial_max_streams_bidi"
        case 0x09: "initial_max_streams_uni"
        case 0x0a: "ack_delay_exponent"
        case 0x0b: "max_ack_delay"
        case 0x0c: "disable_active_migration"
        case 0x0d: "preferred_address"
        case 0x0e: "active_connection_id_limit"
        case 0x0f: "initial_source_connection_id"
        case 0x10: "retry_source_connection_id"
        default: id >= 27 && (id - 27) % 31 == 0 ? "reserved (GREASE)" : nil
        }
    }

    // MARK: Encoding

    public var encoded: [UInt8] {
        var w = ByteWriter(reservingCapacity: 96)
        func bytes(_ id: UInt64, _ value: [UInt8]?) {
            guard let value else { return }
            w.varint(id); w.varint(UInt64(value.count)); w.bytes(value)
        }
        func integer(_ id: UInt64, _ value: UInt64, default defaultValue: UInt64) {
            guard value != defaultValue else { return }
            w.varint(id); w.varint(UInt64(VariableLengthInteger.length(of: value))); w.varint(value)
        }
        bytes(0x00, originalDestinationConnectionID)
        integer(0x01, maxIdleTimeout, default: 0)
        bytes(0x02, statelessResetToken)
        integer(0x03, maxUDPPayloadSize, default: 65527)
        integer(0x04, initialMaxData, default: 0)
        integer(0x05, initialMaxStreamDataBidiLocal, default: 0)
        integer(0x06, initialMaxStreamDataBidiRemote, default: 0)
        integer(0x07, initialMaxStreamDataUni, default: 0)
        integer(0x08, initialMaxStreamsBidi, default: 0)
        integer(0x09, initialMaxStreamsUni, default: 0)
        integer(0x0a, ackDelayExponent, default: 3)
        integer(0x0b, maxAckDelay, default: 25)
        if disableActiveMigration { bytes(0x0c, []) }
        bytes(0x0d, preferredAddress)
        integer(0x0e, activeConnectionIDLimit, default: 2)
        bytes(0x0f, initialSourceConnectionID)
        bytes(0x10, retrySourceConnectionID)
        return w.bytes
    }

    // MARK: Decoding

    /// Parses the parameters a peer sent. `fromServer`: §18.2 lists parameters only a server
    /// may send; a client sending one is a TRANSPORT_PARAMETER_ERROR.
    public init(decoding bytes: [UInt8], fromServer: Bool) throws {
        self.init()
        var r = ByteReader(bytes)
        var seen = Set<UInt64>()
        func fail(_ reason: String) -> QUICError { QUICError(.transportParameterError, reason) }
        while !r.isAtEnd {
            let id: UInt64, value: [UInt8]
            do {
                id = try r.varint("transport parameter id")
                let length = try r.varint("transport parameter length")
                guard length <= UInt64(r.remaining) else { throw fail("parameter 0x\(String(id, radix: 16)) is longer than the extension") }
                value = try r.bytes(Int(length), "transport parameter value")
            } catch let error as QUICError {
                throw error
            } catch {
                throw fail("truncated transport parameters")
            }
            // §7.4: "An endpoint SHOULD treat receipt of duplicate transport parameters as a
            // connection error of type TRANSPORT_PARAMETER_ERROR."
            guard seen.insert(id).inserted else { throw fail("\(Self.name(of: id) ?? "parameter 0x\(String(id, radix: 16))") twice") }
            if !fromServer, [0x00, 0x02, 0x0d, 0x10].contains(id) {
                throw fail("a client sent \(Self.name(of: id) ?? ""), which only a server may send (§18.2)")
            }
            func integer() throws -> UInt64 {
                var v = ByteReader(value)
                guard let number = try? v.varint("value"), v.isAtEnd else {
                    throw fail("\(Self.name(of: id) ?? "") is not one variable-length integer")
                }
                return number
            }
            switch id {
            case 0x00: originalDestinationConnectionID = value
            case 0x01: maxIdleTimeout = try integer()
            case 0x02:
                guard value.count == 16 else { throw fail("stateless_reset_token of \(value.count) bytes, not 16") }
                statelessResetToken = value
            case 0x03:
                maxUDPPayloadSize = try integer()
                guard maxUDPPayloadSize >= 1200 else { throw fail("max_udp_payload_size \(maxUDPPayloadSize) below 1200") }
            case 0x04: initialMaxData = try integer()
            case 0x05: initialMaxStreamDataBidiLocal = try integer()
            case 0x06: initialMaxStreamDataBidiRemote = try integer()
            case 0x07: initialMaxStreamDataUni = try integer()
            case 0x08:
                initialMaxStreamsBidi = try integer()
                guard initialMaxStreamsBidi <= 1 << 60 else { throw fail("initial_max_streams_bidi above 2^60") }
            case 0x09:
                initialMaxStreamsUni = try integer()
                guard initialMaxStreamsUni <= 1 << 60 else { throw fail("initial_max_streams_uni above 2^60") }
            case 0x0a:
                ackDelayExponent = try integer()
                guard ackDelayExponent <= 20 else { throw fail("ack_delay_exponent \(ackDelayExponent) above 20") }
            case 0x0b:
                maxAckDelay = try integer()
                guard maxAckDelay < 1 << 14 else { throw fail("max_ack_delay \(maxAckDelay) ms is 2^14 or more") }
            case 0x0c:
                guard value.isEmpty else { throw fail("disable_active_migration has a value") }
                disableActiveMigration = true
            case 0x0d: preferredAddress = value
            case 0x0e:
                activeConnectionIDLimit = try integer()
                guard activeConnectionIDLimit >= 2 else { throw fail("active_connection_id_limit \(activeConnectionIDLimit) below 2") }
            case 0x0f: initialSourceConnectionID = value
            case 0x10: retrySourceConnectionID = value
            default: continue  // §18.1: unknown parameters are ignored
            }
        }
    }
}
