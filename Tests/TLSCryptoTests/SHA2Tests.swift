import Testing
import TLSCrypto

/// FIPS 180-4 examples (NIST "Examples with Intermediate Values" for SHA-256, SHA-384, SHA-512).
@Suite("SHA-2 (FIPS 180-4)")
struct SHA2Tests {
    static let abc = Array("abc".utf8)
    static let bits448 = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    static let bits896 = Array(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
        + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8)
    static let millionA = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)

    @Test("SHA-256: \"abc\", empty, 448-bit, 896-bit, one million 'a'")
    func sha256() {
        #expect(SHA256.hash(Self.abc).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([]).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hash(Self.bits448).hexString == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hash(Self.bits896).hexString == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
        #expect(SHA256.hash(Self.millionA).hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("SHA-384: \"abc\", empty, 448-bit, 896-bit, one million 'a'")
    func sha384() {
        #expect(SHA384.hash(Self.abc).hexString == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7")
        #expect(SHA384.hash([]).hexString == "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")
        #expect(SHA384.hash(Self.bits448).hexString == "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b")
        #expect(SHA384.hash(Self.bits896).hexString == "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039")
        #expect(SHA384.hash(Self.millionA).hexString == "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985")
    }

    @Test("SHA-512: \"abc\", empty, 448-bit, 896-bit, one million 'a'")
    func sha512() {
        #expect(SHA512.hash(Self.abc).hexString == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        #expect(SHA512.hash([]).hexString == "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e")
        #expect(SHA512.hash(Self.bits448).hexString == "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445")
        #expect(SHA512.hash(Self.bits896).hexString == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
        #expect(SHA512.hash(Self.millionA).hexString == "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b")
    }

    /// A 300-byte message crosses block boundaries at 64 and 128 (SHA-2), 72 and 136 (SHA-3); feeding it in two pieces
    /// split at every point (and byte by byte) must give the one-shot digest.
    static let splitMessage = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }

    @Test("incremental updates at every split point equal the one-shot digest",
          arguments: [SHA256.self, SHA384.self, SHA512.self, SHA3_256.self, SHA3_512.self] as [any HashFunction.Type])
    func incrementalEqualsOneShot(_ hash: any HashFunction.Type) {
        let agree = Self.splitsAgree(hash)
        #expect(agree)
    }

    private static func splitsAgree<H: HashFunction>(_: H.Type) -> Bool {
        let expected = H.hash(splitMessage)
        for split in 0...splitMessage.count {
            var h = H()
            h.update(splitMessage[..<split])
            h.update(splitMessage[split...])
            if h.finalize() != expected { return false }
        }
        var byteByByte = H()
        for byte in splitMessage { byteByByte.update(CollectionOfOne(byte)) }
        return byteByByte.finalize() == expected
    }

    @Test("finalising a copy of a half-fed hash leaves the original running (transcript hash)",
          arguments: [SHA256.self, SHA384.self, SHA512.self, SHA3_256.self, SHA3_512.self] as [any HashFunction.Type])
    func copyIsIndependent(_ hash: any HashFunction.Type) {
        let agree = Self.copyAgrees(hash)
        #expect(agree)
    }

    private static func copyAgrees<H: HashFunction>(_: H.Type) -> Bool {
        var original = H()
        original.update(splitMessage[..<150])
        var copy = original
        let snapshot = copy.finalize()
        copy.update(Array("diverge".utf8))
        original.update(splitMessage[150...])
        return snapshot == H.hash(splitMessage[..<150])
            && original.finalize() == H.hash(splitMessage)
            && original.finalize() == original.finalize()
    }

    @Test("digest and block sizes")
    func sizes() {
        #expect(SHA256.hash([]).count == SHA256.digestByteCount)
        #expect(SHA384.hash([]).count == SHA384.digestByteCount)
        #expect(SHA512.hash([]).count == SHA512.digestByteCount)
        #expect([SHA256.blockByteCount, SHA384.blockByteCount, SHA512.blockByteCount] == [64, 128, 128])
    }
}
