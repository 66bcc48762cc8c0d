import TLS13
import TLSCrypto

/// Fuzz targets for the wire format: handshake messages, extension lists, alerts and
/// change_cipher_spec, each decoded from arbitrary bytes with the checks a parsed value must
/// pass (see `FuzzEntry`).
enum WireFormatTargets {
    /// A Finished's verify_data has no length of its own: the SHA-256 suites' Hash.length.
    static let finishedLength = 32

    static func handshakeMessage(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.handshakeMessage
        guard let message = try decodeOrReject(target, {
            try HandshakeMessage(decoding: bytes, finishedLength: finishedLength)
        }) else { return .rejected }

        let encoded = try mustEncode(target, message.name) { try message.encode(into: &$0) }
        if encoded != bytes {
            // Any other difference must still stand for the same message.
            let again = try decodeOrReject(target, {
                try HandshakeMessage(decoding: encoded, finishedLength: finishedLength)
            })
            guard again == message else {
                throw InvariantViolation(target, "\(message.name) \(bytes.hexString) re-encodes to \(encoded.hexString), which does not decode to the same message")
            }
        }
        guard let header = HandshakeMessage.Header(peeking: encoded),
              header.type == message.type, header.length == encoded.count - HandshakeMessage.Header.byteCount else {
            throw InvariantViolation(target, "\(message.name) header does not describe its encoding \(encoded.hexString)")
        }
        try requireTrace(target, message.traceFields, readsBack: encoded, message.name)

        switch message {
        case .clientHello(let hello):
            try runCheck(target) { try hello.requireTLS13LegacyFields() }
            try checkExtensionRules(target, hello.extensions, in: .clientHello)
        case .serverHello(let hello):
            try runCheck(target) { try hello.requireTLS13LegacyFields() }
            try checkExtensionRules(target, hello.extensions, in: .serverHello)
        case .helloRetryRequest(let retry):
            try runCheck(target) { try retry.requireTLS13LegacyFields() }
            try checkExtensionRules(target, retry.extensions, in: .helloRetryRequest)
        case .encryptedExtensions(let extensions):
            try checkExtensionRules(target, extensions.extensions, in: .encryptedExtensions)
        case .certificateRequest(let request):
            try checkExtensionRules(target, request.extensions, in: .certificateRequest)
        case .certificate(let certificate):
            for entry in certificate.certificateList {
                try checkExtensionRules(target, entry.extensions, in: .certificate)
            }
        case .newSessionTicket(let ticket):
            try checkExtensionRules(target, ticket.extensions, in: .newSessionTicket)
        case .endOfEarlyData, .certificateVerify, .finished, .keyUpdate, .unknown:
            break
        }
        return .accepted
    }

    /// The first byte picks the message (`ExtensionContext`), the rest is a uint16-prefixed
    /// extension list. Every extension whose data this library decodes in that message must
    /// re-encode to the same data and trace back to it.
    static func extensionList(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.extensionList
        guard let contextByte = bytes.first else { return .rejected }
        let contexts = ExtensionContext.allCases
        let context = contexts[Int(contextByte) % contexts.count]
        let listBytes = Array(bytes.dropFirst())
        guard let list = try decodeOrReject(target, { () throws -> [Extension] in
            var r = ByteReader(listBytes)
            let list = try r.lengthPrefixed(.u16, "extensions") { r in
                var list: [Extension] = []
                while !r.isAtEnd { list.append(try Extension(decoding: &r)) }
                return list
            }
            try r.expectEnd("extensions")
            return list
        }) else { return .rejected }

        let encodedList = try mustEncode(target, "extension list") { w in
            try w.lengthPrefixed(.u16) { w in try list.forEach { try $0.encode(into: &w) } }
        }
        guard encodedList == listBytes else {
            throw InvariantViolation(target, "extension list \(listBytes.hexString) re-encodes to \(encodedList.hexString)")
        }

        for ext in list {
            guard let bodyType = context.bodyType(of: ext.type),
                  let body = try decodeOrReject(target, { try ext.decode(as: bodyType) }) else { continue }
            let bodyBytes = try mustEncode(target, "\(ext.type) in \(context.messageName)") { try body.encode(into: &$0) }
            guard bodyBytes == ext.data else {
                throw InvariantViolation(target, "\(ext.type) in \(context.messageName): \(ext.data.hexString) re-encodes to \(bodyBytes.hexString)")
            }
            try requireTrace(target, body.traceFields, readsBack: ext.data, "\(ext.type) in \(context.messageName)")
        }
        try checkExtensionRules(target, list, in: context)
        return .accepted
    }

    static func alert(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.alert
        guard let alert = try decodeOrReject(target, { try Alert(decoding: bytes) }) else { return .rejected }
        guard alert.bytes == bytes else {
            throw InvariantViolation(target, "alert \(bytes.hexString) re-encodes to \(alert.bytes.hexString)")
        }
        try requireTrace(target, alert.traceFields, readsBack: bytes, "alert")
        return .accepted
    }

    static func changeCipherSpec(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.changeCipherSpec
        guard let changeCipherSpec = try decodeOrReject(target, { try ChangeCipherSpec(decoding: bytes) }) else { return .rejected }
        var w = ByteWriter()
        changeCipherSpec.encode(into: &w)
        guard w.bytes == bytes else {
            throw InvariantViolation(target, "change_cipher_spec \(bytes.hexString) re-encodes to \(w.bytes.hexString)")
        }
        try requireTrace(target, changeCipherSpec.traceFields, readsBack: bytes, "change_cipher_spec")
        return .accepted
    }

    /// RFC 8446 §4.2's rules, the way both a request and a response are checked: as a request
    /// (nothing is unsolicited), as a response to a request for exactly these extensions, and
    /// as a response to a request for none (everything but an HRR cookie is unsolicited).
    static func checkExtensionRules(_ target: FuzzTarget, _ extensions: [Extension],
                                    in context: ExtensionContext) throws(InvariantViolation) {
        try runCheck(target) { try checkExtensions(extensions, in: context, requested: nil) }
        try runCheck(target) { try checkExtensions(extensions, in: context, requested: extensions.types) }
        try runCheck(target) { try checkExtensions(extensions, in: context, requested: []) }
    }

    /// `TraceField`'s promise: reading every node's bytes depth-first gives the exact encoding.
    static func requireTrace(_ target: FuzzTarget, _ fields: [TraceField], readsBack encoding: [UInt8],
                             _ what: String) throws(InvariantViolation) {
        let traced = fields.flatMap(\.encodedBytes)
        guard traced == encoding else {
            throw InvariantViolation(target, "the field trace of \(what) reads \(traced.hexString), not its encoding \(encoding.hexString)")
        }
    }
}
