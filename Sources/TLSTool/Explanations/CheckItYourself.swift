import TLS13
import TLSCrypto

/// "Check it yourself": for a key-schedule step or a protected record, the shell one-liner that
/// recomputes the printed value from the printed inputs with tools a learner already has
/// (`openssl kdf` for HKDF, `python3` for HMAC and the AEAD), as The Illustrated TLS 1.3
/// Connection does. A test runs every command of a transcript and compares its output with the
/// value the trace printed.
public struct CheckItYourself: Sendable, Equatable {
    /// The command, one line, ready to paste into a shell.
    public var command: String
    /// What the command prints, as bytes (openssl prints hex in capitals with colons, python3 in
    /// lower case).
    public var expected: [UInt8]
    /// What the value is, for the line above the command: "the expanded secret".
    public var value: String

    /// The commands that recompute an event's outputs; empty for an event with none.
    public static func commands(for event: TLSEvent) -> [CheckItYourself] {
        switch event {
        case .extractSecret(_, let salt, let ikm, let secret):
            // RFC 5869 §2.2 HKDF-Extract(salt, IKM), with the suite's hash.
            guard let digest = digest(length: secret.count) else { return [] }
            return [CheckItYourself(
                command: "openssl kdf -keylen \(secret.count) -kdfopt digest:\(digest) -kdfopt mode:EXTRACT_ONLY"
                    + " -kdfopt hexkey:\(ikm.hexString) -kdfopt hexsalt:\(salt.hexString) HKDF",
                expected: secret, value: "the secret")]
        case .deriveSecret(_, _, let prk, _, let info, let secret):
            // RFC 8446 §7.1: Derive-Secret is HKDF-Expand with the HkdfLabel as info.
            return expand(prk: prk, info: info, output: secret, value: "the expanded secret")
        case .trafficKeys(_, _, _, let secret, let keyInfo, let key, let ivInfo, let iv):
            return expand(prk: secret, info: keyInfo, output: key, value: "the key")
                + expand(prk: secret, info: ivInfo, output: iv, value: "the IV")
        case .resumptionSecret(let prk, _, let info, let secret):
            return expand(prk: prk, info: info, output: secret, value: "the ticket's PSK")
        case .finished(_, let baseKey, let hash, let info, let finishedKey, let verifyData, _):
            guard let python = pythonHash(length: hash.count) else { return [] }
            // RFC 8446 §4.4.4: finished_key by HKDF-Expand-Label, then HMAC over the transcript hash.
            return expand(prk: baseKey, info: info, output: finishedKey, value: "finished_key")
                + [CheckItYourself(
                    command: "python3 -c \"import hmac,hashlib; print(hmac.new(bytes.fromhex('\(finishedKey.hexString)'),"
                        + " bytes.fromhex('\(hash.hexString)'), hashlib.\(python)).hexdigest())\"",
                    expected: verifyData, value: "verify_data")]
        default:
            return []
        }
    }

    /// RFC 8446 §5.2: the command that opens a protected record: the AEAD with the record's key,
    /// the per-record nonce and the header as additional data; it prints the TLSInnerPlaintext
    /// (content, content type, zeros).
    public static func opening(_ record: RecordTrace, suite: CipherSuite) -> CheckItYourself? {
        guard let protection = record.protection, record.bytes.count > 5 else { return nil }
        let aead: String
        switch suite {
        case .chacha20Poly1305SHA256: aead = "ChaCha20Poly1305"
        case .aes128GCMSHA256, .aes256GCMSHA384: aead = "AESGCM"
        default: return nil
        }
        let ciphertext = Array(record.bytes[5...])
        let inner = protection.content + [protection.innerContentType.rawValue]
            + Array(repeating: 0, count: protection.paddingLength)
        return CheckItYourself(
            command: "python3 -c \"from cryptography.hazmat.primitives.ciphers.aead import \(aead);"
                + " print(\(aead)(bytes.fromhex('\(protection.key.hexString)')).decrypt(bytes.fromhex('\(protection.nonce.hexString)'),"
                + " bytes.fromhex('\(ciphertext.hexString)'), bytes.fromhex('\(protection.additionalData.hexString)')).hex())\"",
            expected: inner, value: "the TLSInnerPlaintext (needs python3-cryptography)")
    }

    private static func expand(prk: [UInt8], info: [UInt8], output: [UInt8], value: String) -> [CheckItYourself] {
        guard let digest = digest(length: prk.count) else { return [] }
        return [CheckItYourself(
            command: "openssl kdf -keylen \(output.count) -kdfopt digest:\(digest) -kdfopt mode:EXPAND_ONLY"
                + " -kdfopt hexkey:\(prk.hexString) -kdfopt hexinfo:\(info.hexString) HKDF",
            expected: output, value: value)]
    }

    /// The suite's hash by its output length: TLS 1.3's suites use SHA-256 or SHA-384.
    private static func digest(length: Int) -> String? {
        switch length {
        case 32: "SHA256"
        case 48: "SHA384"
        default: nil
        }
    }

    private static func pythonHash(length: Int) -> String? {
        switch length {
        case 32: "sha256"
        case 48: "sha384"
        default: nil
        }
    }
}
