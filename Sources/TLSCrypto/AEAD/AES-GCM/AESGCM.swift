/// AES-GCM (NIST SP 800-38D), the AEAD of TLS_AES_128_GCM_SHA256 and TLS_AES_256_GCM_SHA384
/// (RFC 8446 §5.2, RFC 5116 §5.1 and §5.2).
public enum AESGCM {
    /// GCM over AES with everything SP 800-38D allows: AES-128, -192 and -256 keys, IVs of any
    /// non-zero length, tags of 16, 15, 14, 13, 12, 8 or 4 bytes (§5.2.1.2). TLS uses it with
    /// 12-byte IVs and 16-byte tags through `AES128GCM` and `AES256GCM`; the Wycheproof tests
    /// use the rest.
    public struct Core: Sendable {
        private let cipher: AES
        /// GHASH keyed with H = CIPH_K(0^128) (§6.4), with the powers of H computed once per key.
        private let hashTemplate: GHASH

        public static let allowedTagLengths: Set<Int> = [16, 15, 14, 13, 12, 8, 4]
        /// §5.2.1.1: len(P) ≤ 2^39 − 256 bits, so that the 32-bit block counter never wraps
        /// onto a counter block already used.
        public static let maximumTextByteCount = (1 << 36) - 32

        public init(key: [UInt8]) throws {
            cipher = try AES(key: key)
            hashTemplate = GHASH(hashKey: cipher.encrypt(block: [UInt8](repeating: 0, count: 16)))
        }

        /// §7.1 GCM-AE: returns C || T.
        public func seal(iv: [UInt8], plaintext: [UInt8], additionalData: [UInt8], tagLength: Int = 16) throws -> [UInt8] {
            try checkParameters(iv: iv, textByteCount: plaintext.count, tagLength: tagLength)
            let count = plaintext.count
            return [UInt8](unsafeUninitializedCapacity: count + tagLength) { output, initializedCount in
                let tag = plaintext.withUnsafeBytes { input in
                    run(iv: iv, input: input, output: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(output)[0..<count]),
                        additionalData: additionalData, sealing: true)
                }
                for i in 0..<tagLength { output[count + i] = tag[i] }
                initializedCount = count + tagLength
            }
        }

        /// §7.2 GCM-AD: checks the tag in constant time, and only then hands out the plaintext.
        public func open(iv: [UInt8], ciphertextAndTag: [UInt8], additionalData: [UInt8], tagLength: Int = 16) throws -> [UInt8] {
            guard ciphertextAndTag.count >= tagLength else {
                throw CryptoError(.authenticationFailure, "AES-GCM input is shorter than its tag")
            }
            let count = ciphertextAndTag.count - tagLength
            try checkParameters(iv: iv, textByteCount: count, tagLength: tagLength)
            var tagMatches = false
            let plaintext = [UInt8](unsafeUninitializedCapacity: count) { output, initializedCount in
                ciphertextAndTag.withUnsafeBytes { input in
                    let expected = run(iv: iv, input: UnsafeRawBufferPointer(rebasing: input[0..<count]),
                                       output: UnsafeMutableRawBufferPointer(output),
                                       additionalData: additionalData, sealing: false)
                    tagMatches = constantTimeEquals(expected[0..<tagLength], input[count...])
                }
                initializedCount = count
            }
            guard tagMatches else {
                throw CryptoError(.authenticationFailure, "AES-GCM tag mismatch")
            }
            return plaintext
        }

        private func checkParameters(iv: [UInt8], textByteCount: Int, tagLength: Int) throws {
            guard !iv.isEmpty else {
                throw CryptoError(.invalidNonceSize, "GCM needs an IV of at least one byte (SP 800-38D §5.2.1.1)")
            }
            guard Core.allowedTagLengths.contains(tagLength) else {
                throw CryptoError(.invalidParameter, "GCM tags are 16, 15, 14, 13, 12, 8 or 4 bytes, not \(tagLength)")
            }
            guard textByteCount <= Core.maximumTextByteCount else {
                throw CryptoError(.invalidParameter, "GCM protects at most 2^36 - 32 bytes per message")
            }
        }

        /// The shared body of GCM-AE and GCM-AD: GCTR (§6.5) from inc32(J0) over `input` into
        /// `output`, GHASH over A and over the ciphertext (the output when sealing, the input when
        /// opening), and the full 16-byte tag GCTR(J0, S) (§7.1 steps 5 and 6).
        ///
        /// The keystream is made 32 blocks at a time, counter blocks J0, inc32(J0), ...: block 0
        /// of the first batch encrypts J0 itself and masks the tag, so a short record costs one
        /// bitsliced call, not two.
        private func run(iv: [UInt8], input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer,
                         additionalData: [UInt8], sealing: Bool) -> [UInt8] {
            var ghash = hashTemplate
            additionalData.withUnsafeBytes { ghash.update($0) }

            let j0 = preCounterBlock(iv: iv)
            // Counter blocks as the cipher reads them: little-endian words. The last word is the
            // big-endian 32-bit counter that inc32 steps.
            @inline(__always) func word(_ i: Int) -> UInt32 {
                (0..<4).reduce(0) { $0 | UInt32(j0[4 * i + $1]) << (8 * UInt32($1)) }
            }
            let prefix = (word(0), word(1), word(2))
            var counter: UInt32 = j0[12..<16].reduce(0) { $0 << 8 | UInt32($1) }
            var tagMask = [UInt8](repeating: 0, count: 16)

            withUnsafeTemporaryAllocation(byteCount: 16 * Core.batchBlockCount, alignment: 64) { batch in
                let keystream = UnsafeRawPointer(batch.baseAddress!)
                let count = input.count
                var offset = 0
                var isFirstBatch = true
                repeat {
                    let blocksNeeded = (count - offset + 15) / 16 + (isFirstBatch ? 1 : 0)
                    let blocks = min(Core.batchBlockCount, blocksNeeded)
                    makeKeystream(blockCount: blocks, prefix: prefix, counter: counter, into: batch.baseAddress!)
                    counter &+= UInt32(blocks)
                    var keystreamOffset = 0
                    if isFirstBatch {
                        for i in 0..<16 { tagMask[i] = keystream.load(fromByteOffset: i, as: UInt8.self) }
                        keystreamOffset = 16
                        isFirstBatch = false
                    }
                    let length = min(16 * blocks - keystreamOffset, count - offset)
                    if length > 0 {
                        let source = UnsafeRawBufferPointer(rebasing: input[offset..<offset + length])
                        let destination = UnsafeMutableRawBufferPointer(rebasing: output[offset..<offset + length])
                        if !sealing { ghash.update(source) }
                        Core.xor(source, keystream + keystreamOffset, into: destination)
                        if sealing { ghash.update(UnsafeRawBufferPointer(destination)) }
                    }
                    offset += length
                } while offset < count
            }

            let s = ghash.finalize(additionalDataByteCount: additionalData.count, textByteCount: input.count)
            return (0..<16).map { s[$0] ^ tagMask[$0] }
        }

        /// Blocks per keystream batch: 32, four per lane of a `Lanes8` bitsliced state.
        private static let batchBlockCount = 4 * Lanes8.laneCount

        /// Encrypts the counter blocks prefix || [counter + i]_32, i < blockCount, into
        /// `keystream`. Up to 4 blocks take the scalar 4-block path, more the 32-block vector path.
        @inline(__always)
        private func makeKeystream(blockCount: Int, prefix: (UInt32, UInt32, UInt32), counter: UInt32,
                                   into keystream: UnsafeMutableRawPointer) {
            if blockCount <= 4 {
                var state = BitslicedState<UInt64>(counterBlocks: prefix, counter: counter)
                cipher.encrypt(&state)
                state.store(to: keystream)
            } else {
                var state = BitslicedState<Lanes8>(counterBlocks: prefix, counter: counter)
                cipher.encrypt(&state)
                state.store(to: keystream)
            }
        }

        /// §7.1 step 2: J0 = IV || 0^31 || 1 for a 96-bit IV, else GHASH(IV || 0^s || 0^64 || [len(IV)]_64).
        private func preCounterBlock(iv: [UInt8]) -> [UInt8] {
            if iv.count == 12 {
                return iv + [0, 0, 0, 1]
            }
            var ghash = hashTemplate
            iv.withUnsafeBytes { ghash.update($0) }
            return ghash.finalize(additionalDataByteCount: 0, textByteCount: iv.count)
        }

        /// out = a ⊕ keystream, a block (16 bytes) at a time, the width `BitslicedState.store`
        /// writes. `a` and `out` are not empty.
        @inline(__always)
        private static func xor(_ a: UnsafeRawBufferPointer, _ keystream: UnsafeRawPointer, into out: UnsafeMutableRawBufferPointer) {
            let source = a.baseAddress!, destination = out.baseAddress!
            var i = 0
            while i + 16 <= a.count {
                let x = source.loadUnaligned(fromByteOffset: i, as: SIMD2<UInt64>.self)
                    ^ keystream.loadUnaligned(fromByteOffset: i, as: SIMD2<UInt64>.self)
                destination.storeBytes(of: x, toByteOffset: i, as: SIMD2<UInt64>.self)
                i += 16
            }
            while i < a.count {
                destination.storeBytes(of: a[i] ^ keystream.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self)
                i += 1
            }
        }
    }
}

/// AEAD_AES_128_GCM (RFC 5116 §5.1): 16-byte key, 12-byte nonce, 16-byte tag.
public typealias AES128GCM = AESGCM.TLSCipher<AESGCM.Key128>

/// AEAD_AES_256_GCM (RFC 5116 §5.2): 32-byte key, 12-byte nonce, 16-byte tag.
public typealias AES256GCM = AESGCM.TLSCipher<AESGCM.Key256>

/// The key size that tells RFC 5116's AEAD_AES_128_GCM and AEAD_AES_256_GCM apart; all else
/// they share.
public protocol AESGCMKeySize: Sendable {
    static var keyByteCount: Int { get }
    static var name: String { get }
}

extension AESGCM {
    public enum Key128: AESGCMKeySize {
        public static var keyByteCount: Int { 16 }
        public static var name: String { "AES-128-GCM" }
    }

    public enum Key256: AESGCMKeySize {
        public static var keyByteCount: Int { 32 }
        public static var name: String { "AES-256-GCM" }
    }

    /// GCM as TLS uses it (RFC 5116 §5.1/§5.2): one key size, 12-byte nonce, 16-byte tag.
    public struct TLSCipher<KeySize: AESGCMKeySize>: AEAD {
        public static var keyByteCount: Int { KeySize.keyByteCount }
        public static var nonceByteCount: Int { 12 }
        public static var tagByteCount: Int { 16 }
        public static var name: String { KeySize.name }

        private let core: Core

        public init(key: [UInt8]) throws {
            guard key.count == Self.keyByteCount else {
                throw CryptoError(.invalidKeySize, "\(Self.name) keys are \(Self.keyByteCount) bytes, not \(key.count)")
            }
            core = try Core(key: key)
        }

        public func seal(nonce: [UInt8], plaintext: [UInt8], additionalData: [UInt8]) throws -> [UInt8] {
            try AESGCM.checkTLSNonce(nonce, cipher: Self.name)
            return try core.seal(iv: nonce, plaintext: plaintext, additionalData: additionalData)
        }

        public func open(nonce: [UInt8], ciphertextAndTag: [UInt8], additionalData: [UInt8]) throws -> [UInt8] {
            try AESGCM.checkTLSNonce(nonce, cipher: Self.name)
            return try core.open(iv: nonce, ciphertextAndTag: ciphertextAndTag, additionalData: additionalData)
        }
    }

    /// RFC 5116 §5.1/§5.2 fix the nonce at 12 bytes (N_MIN = N_MAX = 12); TLS always sends 12.
    static func checkTLSNonce(_ nonce: [UInt8], cipher: String) throws {
        guard nonce.count == 12 else {
            throw CryptoError(.invalidNonceSize, "\(cipher) takes a 12-byte nonce, not \(nonce.count)")
        }
    }
}
