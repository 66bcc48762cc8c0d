/// RFC 8446 §4.6.3: the sender switches to the next generation of its traffic secret, and may
/// ask the peer to do the same.
///
///     enum {
///         update_not_requested(0), update_requested(1), (255)
///     } KeyUpdateRequest;
///
///     struct {
///         KeyUpdateRequest request_update;
///     } KeyUpdate;
public struct KeyUpdate: Hashable, Sendable {
    public enum Request: UInt8, Hashable, Sendable {
        case updateNotRequested = 0
        case updateRequested = 1

        public var name: String {
            switch self {
            case .updateNotRequested: "update_not_requested"
            case .updateRequested: "update_requested"
            }
        }
    }

    public var requestUpdate: Request

    public init(requestUpdate: Request) { self.requestUpdate = requestUpdate }

    /// "If an implementation receives any other value [than 0 or 1], it MUST terminate the
    /// connection with an "illegal_parameter" alert."
    public init(decoding r: inout ByteReader) throws {
        let value = try r.u8("request_update")
        guard let request = Request(rawValue: value) else {
            throw TLSError(.illegalParameter, "KeyUpdate request_update is \(value), not 0 or 1")
        }
        requestUpdate = request
    }

    public func encode(into w: inout ByteWriter) {
        w.u8(requestUpdate.rawValue, field: "request_update", "\(requestUpdate.name) (\(requestUpdate.rawValue))")
    }

    public var traceFields: [TraceField] { ByteWriter.recordedFields { encode(into: &$0) } }
}
