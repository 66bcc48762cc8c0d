import TLS13

/// Reading and writing frames (RFC 9000 §19). Every length is checked against the bytes that
/// remain before anything is allocated; every failure is a `QUICError` of type
/// FRAME_ENCODING_ERROR naming the frame type (§12.4), except the limits §19 gives their own
/// error (a STREAM frame past 2^62, an over-long connection ID: FRAME_ENCODING_ERROR too, §19.8,
/// §19.15; a MAX_STREAMS above 2^60: FRAME_ENCODING_ERROR, §19.11).
extension Frame {
    /// All the frames of a packet payload, in order.
    public static func parseAll(_ payload: [UInt8]) throws -> [Frame] {
        var reader = ByteReader(payload)
        var frames: [Frame] = []
        while !reader.isAtEnd { frames.append(try parse(&reader)) }
        // §12.4: "A packet MUST contain at least one frame" (PROTOCOL_VIOLATION).
        guard !frames.isEmpty else { throw QUICError(.protocolViolation, "a packet with no frame") }
        return frames
    }

    /// One frame from `reader`.
    public static func parse(_ reader: inout ByteReader) throws -> Frame {
        let type: UInt64
        do {
            type = try reader.varint("frame type")
        } catch {
            throw QUICError(.frameEncodingError, "truncated frame type")
        }
        do {
            return try parseBody(type: type, &reader)
        } catch let error as QUICError {
            throw error
        } catch {
            throw QUICError(.frameEncodingError, "\(name(ofType: type) ?? "frame") malformed: \(error)", frameType: type)
        }
    }

    private static func parseBody(type: UInt64, _ r: inout ByteReader) throws -> Frame {
        func bytes(_ what: String) throws -> [UInt8] {
            let count = try r.varint("\(what) length")
            guard count <= UInt64(r.remaining) else {
                throw QUICError(.frameEncodingError, "\(what) of \(count) bytes, \(r.remaining) left", frameType: type)
            }
            return try r.bytes(Int(count), what)
        }
        switch type {
        case 0x00:
            var count = 1
            while !r.isAtEnd, r.rest.first == 0 {
                _ = try r.u8("padding")
                count += 1
            }
            return .padding(count: count)
        case 0x01:
            return .ping
        case 0x02, 0x03:
            let largest = try r.varint("Largest Acknowledged")
            let delay = try r.varint("ACK Delay")
            let rangeCount = try r.varint("ACK Range Count")
            let first = try r.varint("First ACK Range")
            // §19.3.1: each range counts down from the largest; going below zero is
            // FRAME_ENCODING_ERROR.
            guard first <= largest else {
                throw QUICError(.frameEncodingError, "First ACK Range \(first) goes below packet 0", frameType: type)
            }
            var ranges = [(largest - first)...largest]
            var smallest = largest - first
            guard rangeCount <= UInt64(r.remaining) / 2 else {
                throw QUICError(.frameEncodingError, "\(rangeCount) ACK ranges cannot fit in \(r.remaining) bytes", frameType: type)
            }
            for _ in 0..<rangeCount {
                let gap = try r.varint("Gap")
                let length = try r.varint("ACK Range Length")
                guard smallest >= gap + 2, smallest - gap - 2 >= length else {
                    throw QUICError(.frameEncodingError, "an ACK range goes below packet 0", frameType: type)
                }
                let high = smallest - gap - 2
                ranges.append((high - length)...high)
                smallest = high - length
            }
            var ecn: (UInt64, UInt64, UInt64)?
            if type == 0x03 { ecn = (try r.varint("ECT0 Count"), try r.varint("ECT1 Count"), try r.varint("ECN-CE Count")) }
            return .ack(Ack(ranges: ranges, ackDelay: delay, ecn: ecn))
        case 0x04:
            return .resetStream(streamID: try r.varint("Stream ID"), errorCode: try r.varint("Application Protocol Error Code"),
                                finalSize: try r.varint("Final Size"))
        case 0x05:
            return .stopSending(streamID: try r.varint("Stream ID"), errorCode: try r.varint("Application Protocol Error Code"))
        case 0x06:
            let offset = try r.varint("Offset")
            let data = try bytes("Crypto Data")
            // §19.6: offset + length beyond 2^62 - 1 is FRAME_ENCODING_ERROR or CRYPTO_BUFFER_EXCEEDED.
            guard offset + UInt64(data.count) <= VariableLengthInteger.maximum else {
                throw QUICError(.frameEncodingError, "CRYPTO data ends past 2^62", frameType: type)
            }
            return .crypto(offset: offset, data: data)
        case 0x07:
            let token = try bytes("Token")
            // §19.7: "A client MUST treat receipt of a NEW_TOKEN frame with an empty Token field
            // as a connection error of type FRAME_ENCODING_ERROR."
            guard !token.isEmpty else { throw QUICError(.frameEncodingError, "NEW_TOKEN with an empty token", frameType: type) }
            return .newToken(token: token)
        case 0x08...0x0f:
            let streamID = try r.varint("Stream ID")
            let offset = type & 0x04 != 0 ? try r.varint("Offset") : 0
            let data: [UInt8] = type & 0x02 != 0 ? try bytes("Stream Data") : Array(r.rest)
            if type & 0x02 == 0 { _ = try r.bytes(r.remaining, "Stream Data") }
            // §19.8: "The largest offset delivered on a stream ... cannot exceed 2^62-1"
            // (FRAME_ENCODING_ERROR or FLOW_CONTROL_ERROR).
            guard offset + UInt64(data.count) <= VariableLengthInteger.maximum else {
                throw QUICError(.frameEncodingError, "STREAM data ends past 2^62", frameType: type)
            }
            return .stream(streamID: streamID, offset: offset, data: data, fin: type & 0x01 != 0)
        case 0x10:
            return .maxData(try r.varint("Maximum Data"))
        case 0x11:
            return .maxStreamData(streamID: try r.varint("Stream ID"), maximum: try r.varint("Maximum Stream Data"))
        case 0x12, 0x13:
            let maximum = try r.varint("Maximum Streams")
            // §19.11: more than 2^60 streams "MUST be treated as a connection error of type
            // FRAME_ENCODING_ERROR".
            guard maximum <= 1 << 60 else { throw QUICError(.frameEncodingError, "MAX_STREAMS above 2^60", frameType: type) }
            return .maxStreams(bidirectional: type == 0x12, maximum: maximum)
        case 0x14:
            return .dataBlocked(try r.varint("Maximum Data"))
        case 0x15:
            return .streamDataBlocked(streamID: try r.varint("Stream ID"), limit: try r.varint("Maximum Stream Data"))
        case 0x16, 0x17:
            let limit = try r.varint("Maximum Streams")
            guard limit <= 1 << 60 else { throw QUICError(.frameEncodingError, "STREAMS_BLOCKED above 2^60", frameType: type) }
            return .streamsBlocked(bidirectional: type == 0x16, limit: limit)
        case 0x18:
            let sequence = try r.varint("Sequence Number")
            let retire = try r.varint("Retire Prior To")
            let length = Int(try r.u8("Length"))
            // §19.15: a length of 0 or above 20, and Retire Prior To above the sequence number,
            // are FRAME_ENCODING_ERROR.
            guard (1...20).contains(length) else {
                throw QUICError(.frameEncodingError, "NEW_CONNECTION_ID with a \(length)-byte connection ID", frameType: type)
            }
            guard retire <= sequence else {
                throw QUICError(.frameEncodingError, "Retire Prior To \(retire) above Sequence Number \(sequence)", frameType: type)
            }
            return .newConnectionID(sequenceNumber: sequence, retirePriorTo: retire,
                                    connectionID: try r.bytes(length, "Connection ID"),
                                    statelessResetToken: try r.bytes(16, "Stateless Reset Token"))
        case 0x19:
            return .retireConnectionID(sequenceNumber: try r.varint("Sequence Number"))
        case 0x1a:
            return .pathChallenge(try r.bytes(8, "Data"))
        case 0x1b:
            return .pathResponse(try r.bytes(8, "Data"))
        case 0x1c, 0x1d:
            let code = try r.varint("Error Code")
            let frameType = type == 0x1c ? try r.varint("Frame Type") : nil
            return .connectionClose(errorCode: code, frameType: frameType, reason: try bytes("Reason Phrase"))
        case 0x1e:
            return .handshakeDone
        default:
            throw QUICError(.frameEncodingError, "unknown frame type 0x\(String(type, radix: 16))", frameType: type)
        }
    }

    /// The frame's encoding (§19), STREAM always with its length, and with its offset when not 0.
    public var encoded: [UInt8] {
        var w = ByteWriter(reservingCapacity: 32)
        func bytes(_ data: [UInt8]) {
            w.varint(UInt64(data.count))
            w.bytes(data)
        }
        switch self {
        case .padding(let count):
            w.bytes([UInt8](repeating: 0, count: count))
            return w.bytes
        default:
            w.varint(type)
        }
        switch self {
        case .padding, .ping, .handshakeDone:
            break
        case .ack(let ack):
            w.varint(ack.largestAcknowledged)
            w.varint(ack.ackDelay)
            w.varint(UInt64(ack.ranges.count - 1))
            w.varint(ack.ranges[0].upperBound - ack.ranges[0].lowerBound)
            var smallest = ack.ranges[0].lowerBound
            for range in ack.ranges.dropFirst() {
                w.varint(smallest - range.upperBound - 2)
                w.varint(range.upperBound - range.lowerBound)
                smallest = range.lowerBound
            }
            if let ecn = ack.ecn {
                w.varint(ecn.0)
                w.varint(ecn.1)
                w.varint(ecn.2)
            }
        case .resetStream(let id, let code, let size):
            w.varint(id); w.varint(code); w.varint(size)
        case .stopSending(let id, let code):
            w.varint(id); w.varint(code)
        case .crypto(let offset, let data):
            w.varint(offset); bytes(data)
        case .newToken(let token):
            bytes(token)
        case .stream(let id, let offset, let data, _):
            w.varint(id)
            if offset > 0 { w.varint(offset) }
            bytes(data)
        case .maxData(let value), .dataBlocked(let value):
            w.varint(value)
        case .maxStreamData(let id, let value), .streamDataBlocked(let id, let value):
            w.varint(id); w.varint(value)
        case .maxStreams(_, let value), .streamsBlocked(_, let value):
            w.varint(value)
        case .newConnectionID(let sequence, let retire, let id, let token):
            w.varint(sequence); w.varint(retire); w.u8(UInt8(id.count)); w.bytes(id); w.bytes(token)
        case .retireConnectionID(let sequence):
            w.varint(sequence)
        case .pathChallenge(let data), .pathResponse(let data):
            w.bytes(data)
        case .connectionClose(let code, let frameType, let reason):
            w.varint(code)
            if let frameType { w.varint(frameType) }
            bytes(reason)
        }
        return w.bytes
    }
}
