import TLSCrypto

/// One direction of record protection under one traffic key (RFC 8446 §5.2-§5.3): the AEAD keyed
/// with [sender]_write_key, the IV, and the sequence number that counts records under this key.
/// A key change makes a new value, so the sequence number restarts at 0 (§5.3).
public struct RecordProtection {
    /// Which key this is, for traces.
    public let epoch: TrafficEpoch
    public let keys: TrafficKeys
    private let cipher: any AEAD
    private let tagLength: Int
    public private(set) var sequenceNumber: UInt64 = 0

    public init(parameters: CipherSuiteParameters, keys: TrafficKeys, epoch: TrafficEpoch) throws {
        do {
            cipher = try parameters.aead.init(key: keys.key)
        } catch {
            throw TLSError(.internalError, "cannot key \(parameters.aead.name): \(error)")
        }
        self.keys = keys
        self.epoch = epoch
        self.tagLength = parameters.aead.tagByteCount
    }

    /// The largest TLSCiphertext.length a peer may send: 2^14 + 256 (RFC 8446 §5.2).
    public static let maximumCiphertextLength = (1 << 14) + 256

    /// RFC 8446 §5.3 Per-Record Nonce: the 64-bit sequence number in network byte order, left-padded
    /// with zeros to iv_length, XORed with the static IV.
    public func nonce(for sequenceNumber: UInt64) -> [UInt8] {
        var nonce = keys.iv
        for i in 0..<8 {
            nonce[nonce.count - 1 - i] ^= UInt8(truncatingIfNeeded: sequenceNumber >> (8 * UInt64(i)))
        }
        return nonce
    }

    /// RFC 8446 §5.5: "If the sequence number would wrap, implementations MUST either rekey or
    /// terminate the connection." We terminate: 2^64 records cannot happen in practice, but the
    /// counter must never silently repeat a nonce.
    private mutating func takeSequenceNumber() throws -> UInt64 {
        guard sequenceNumber < UInt64.max else {
            throw TLSError(.internalError, "record sequence number would wrap under the \(epoch) key")
        }
        defer { sequenceNumber += 1 }
        return sequenceNumber
    }

    /// RFC 8446 §5.2: builds
    ///
    ///     struct {
    ///         opaque content[TLSPlaintext.length];
    ///         ContentType type;
    ///         uint8 zeros[length_of_padding];
    ///     } TLSInnerPlaintext;
    ///
    ///     struct {
    ///         ContentType opaque_type = application_data; /* 23 */
    ///         ProtocolVersion legacy_record_version = 0x0303; /* TLS v1.2 */
    ///         uint16 length;
    ///         opaque encrypted_record[TLSCiphertext.length];
    ///     } TLSCiphertext;
    ///
    /// with additional_data = the 5-byte TLSCiphertext header. We send no padding.
    public mutating func seal(_ contentType: ContentType, _ content: [UInt8]) throws -> RecordTrace {
        let sequenceNumber = try takeSequenceNumber()
        let nonce = nonce(for: sequenceNumber)
        let innerPlaintext = content + [contentType.rawValue]
        let length = innerPlaintext.count + tagLength
        let header: [UInt8] = [ContentType.applicationData.rawValue, 0x03, 0x03,
                               UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        let encryptedRecord: [UInt8]
        do {
            encryptedRecord = try cipher.seal(nonce: nonce, plaintext: innerPlaintext, additionalData: header)
        } catch {
            throw TLSError(.internalError, "record encryption failed: \(error)")
        }
        let protection = RecordTrace.Protection(
            epoch: epoch, sequenceNumber: sequenceNumber, key: keys.key, iv: keys.iv, nonce: nonce,
            additionalData: header, innerContentType: contentType, content: content, paddingLength: 0,
            tag: Array(encryptedRecord.suffix(tagLength)))
        return RecordTrace(contentType: .applicationData, bytes: header + encryptedRecord, protection: protection)
    }

    /// Opens one TLSCiphertext (`header` is its 5 bytes, `encryptedRecord` the rest); the result
    /// names the real content type and the content.
    public mutating func open(header: [UInt8], encryptedRecord: [UInt8]) throws -> RecordTrace.Protection {
        // A record too short to hold even the tag cannot authenticate.
        guard encryptedRecord.count >= tagLength else {
            throw TLSError(.badRecordMAC, "protected record of \(encryptedRecord.count) bytes is shorter than the AEAD tag")
        }
        // The number is used up only once the record authenticates: a record that fails is not
        // one of the peer's records under this key (it may be skipped early data, RFC 8446 §4.2.10).
        let number = sequenceNumber
        guard number < UInt64.max else {
            throw TLSError(.internalError, "record sequence number would wrap under the \(epoch) key")
        }
        let nonce = nonce(for: number)
        var innerPlaintext: [UInt8]
        do {
            innerPlaintext = try cipher.open(nonce: nonce, ciphertextAndTag: encryptedRecord, additionalData: header)
        } catch {
            // RFC 8446 §5.2: "If the decryption fails, the receiver MUST terminate the connection
            // with a "bad_record_mac" alert."
            throw TLSError(.badRecordMAC, "record \(number) under the \(epoch) key failed authentication")
        }
        sequenceNumber = number + 1
        // RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 1 octets for TLSInnerPlaintext ...
        // An endpoint that receives a record that exceeds this length MUST terminate the
        // connection with a "record_overflow" alert."
        guard innerPlaintext.count <= (1 << 14) + 1 else {
            throw TLSError(.recordOverflow, "TLSInnerPlaintext of \(innerPlaintext.count) bytes exceeds 2^14 + 1")
        }
        // RFC 8446 §5.4: the content type is the last non-zero byte; "If a receiving
        // implementation does not find a non-zero octet in the cleartext, it MUST terminate the
        // connection with an "unexpected_message" alert."
        guard let typeIndex = innerPlaintext.lastIndex(where: { $0 != 0 }) else {
            throw TLSError(.unexpectedMessage, "decrypted record holds only padding, no content type")
        }
        let paddingLength = innerPlaintext.count - typeIndex - 1
        let innerType = ContentType(rawValue: innerPlaintext[typeIndex])
        innerPlaintext.removeSubrange(typeIndex...)
        return RecordTrace.Protection(
            epoch: epoch, sequenceNumber: number, key: keys.key, iv: keys.iv, nonce: nonce,
            additionalData: header, innerContentType: innerType, content: innerPlaintext,
            paddingLength: paddingLength, tag: Array(encryptedRecord.suffix(tagLength)))
    }
}
