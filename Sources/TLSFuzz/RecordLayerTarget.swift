import TLS13
import TLSCrypto

/// The record layer's reader (RFC 8446 §5) on its own: records cut from a byte stream that
/// arrives in chunks, headers checked, protection removed, handshake messages reassembled.
///
/// Input: a flags byte, a chunk-size byte (0: everything at once), then the stream.
/// - flags bit 0: the ChangeCipherSpec window is open (`inHandshakeWindow`);
/// - bit 1: a read key is installed (ChaCha20-Poly1305, or AES-128-GCM with bit 2). The fuzzer
///   cannot forge AEAD tags, so the stream is then a list of items `kind, uint16 length, bytes`:
///   an even kind is a TLSInnerPlaintext (content, type, zeros: all from the fuzzer) that the
///   harness encrypts under the next sequence number into a TLSCiphertext; an odd kind is
///   raw bytes, passed as they are;
/// - bit 3: a 64-byte handshake message size limit instead of 64 KiB (a ClientHello may always
///   be as long as its syntax allows: `RecordLayer.sizeLimit`).
enum RecordLayerTarget {
    static func run(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let target = FuzzTarget.recordLayer
        guard bytes.count >= 2 else { return .rejected }
        let flags = bytes[0]
        let chunkSize = bytes[1] == 0 ? Int.max : Int(bytes[1])
        let limit = flags & 8 != 0 ? 64 : 64 * 1024
        let checker = EventChecker(target)
        var records = RecordLayer(events: EventSink(observer: checker.observer), handshakeMessageSizeLimit: limit)
        records.inHandshakeWindow = flags & 1 != 0

        var stream = Array(bytes.dropFirst(2))
        if flags & 2 != 0 {
            let suite: CipherSuite = flags & 4 != 0 ? .aes128GCMSHA256 : .chacha20Poly1305SHA256
            let (protection, sealer) = fixedKey(suite)
            guard (try? records.changeReadKey(to: protection)) != nil else {
                throw InvariantViolation(target, "a fresh record layer refused a read key")
            }
            stream = sealItems(stream, protection: protection, sealer: sealer)
        }

        var delivered = 0
        var start = 0
        while start < stream.count {
            let end = start + min(chunkSize, stream.count - start)
            records.receive(Array(stream[start..<end]))
            start = end
            while true {
                let next = try decodeOrReject(target) { try records.nextMessage() }
                guard let next else { return .rejected }
                guard let message = next else { break }
                switch message {
                case .handshake(let type, let bytes):
                    guard let header = HandshakeMessage.Header(peeking: bytes), header.type == type,
                          header.length == bytes.count - HandshakeMessage.Header.byteCount,
                          header.length <= RecordLayer.sizeLimit(of: type, otherMessages: limit) else {
                        throw InvariantViolation(target, "record layer handed up a malformed \(type.messageName): \(bytes.hexString)")
                    }
                    delivered += bytes.count
                case .alert:
                    delivered += 2
                case .applicationData(let data):
                    delivered += data.count
                }
                guard delivered <= stream.count else {
                    throw InvariantViolation(target, "record layer handed up \(delivered) bytes from \(stream.count)")
                }
            }
        }
        try checker.check()
        return .accepted
    }

    /// The reader's protection and an AEAD with the same key, for the harness to seal with.
    static func fixedKey(_ suite: CipherSuite) -> (RecordProtection, any AEAD) {
        guard let parameters = CipherSuiteParameters(suite) else {
            preconditionFailure("\(suite) is implemented")
        }
        let keys = TrafficKeys(key: [UInt8](repeating: 0x4b, count: parameters.keyLength),
                               iv: [UInt8](repeating: 0x49, count: parameters.ivLength))
        do {
            return (try RecordProtection(parameters: parameters, keys: keys, epoch: .application(generation: 0)),
                    try parameters.aead.init(key: keys.key))
        } catch {
            preconditionFailure("a key of the suite's own length is accepted: \(error)")
        }
    }

    /// RFC 8446 §5.2: each even item becomes a TLSCiphertext whose additional data is its own
    /// header, encrypted under the nonce of its sequence number (§5.3).
    static func sealItems(_ items: [UInt8], protection: RecordProtection, sealer: any AEAD) -> [UInt8] {
        var stream: [UInt8] = []
        var sequenceNumber: UInt64 = 0
        var offset = 0
        while offset + 3 <= items.count {
            let kind = items[offset]
            let declared = Int(items[offset + 1]) << 8 | Int(items[offset + 2])
            offset += 3
            let end = min(items.count, offset + declared)
            let item = Array(items[offset..<end])
            offset = end
            guard kind % 2 == 0 else {
                stream += item
                continue
            }
            let inner = Array(item.prefix(0xffff - type(of: sealer).tagByteCount))
            let length = inner.count + type(of: sealer).tagByteCount
            let header: [UInt8] = [ContentType.applicationData.rawValue, 0x03, 0x03,
                                   UInt8(length >> 8), UInt8(length & 0xff)]
            guard let sealed = try? sealer.seal(nonce: protection.nonce(for: sequenceNumber),
                                                plaintext: inner, additionalData: header) else {
                preconditionFailure("sealing with a valid key and nonce cannot fail")
            }
            stream += header + sealed
            sequenceNumber += 1
        }
        return stream
    }
}
