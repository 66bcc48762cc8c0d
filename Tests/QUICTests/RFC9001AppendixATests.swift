import Foundation
import Testing
import TLS13
import TLSCrypto
import QUIC

/// RFC 9001 Appendix A, byte for byte: the vectors are in Tests/Vectors/rfc/rfc9001-appendix-a.json.
@Suite("RFC 9001 Appendix A")
struct RFC9001AppendixATests {
    let v = try! RFC9001Vectors.load()

    @Test("A.1: initial secret, client and server Initial secrets, key, iv and hp")
    func initialKeys() throws {
        let secrets = try InitialSecrets(destinationConnectionID: v.bytes("connection_id"))
        #expect(secrets.initialSecret == v.bytes("initial_secret"))
        #expect(secrets.client.output == v.bytes("client_initial_secret"))
        #expect(secrets.server.output == v.bytes("server_initial_secret"))
        for (keys, side) in [(secrets.clientKeys, "client"), (secrets.serverKeys, "server")] {
            #expect(keys.key == v.bytes("\(side)_key"))
            #expect(keys.iv == v.bytes("\(side)_iv"))
            #expect(keys.hp == v.bytes("\(side)_hp"))
        }
        // A.1's HkdfLabel values ("client in" and "quic key").
        #expect(secrets.client.info.hexString == "00200f746c73313320636c69656e7420696e00")
        #expect(secrets.clientKeys.derivations[0].info.hexString == "00100e746c7331332071756963206b657900")
    }

    @Test("A.2: the client Initial, protected: sample, mask, header, packet")
    func clientInitial() throws {
        let secrets = try InitialSecrets(destinationConnectionID: v.bytes("connection_id"))
        let frame = v.bytes("client_crypto_frame")
        let payload = frame + [UInt8](repeating: 0, count: v.int("client_payload_length") - frame.count)
        let (header, offset) = PacketBuilder.longHeader(
            type: .initial, destinationConnectionID: v.bytes("connection_id"), sourceConnectionID: [],
            packetNumber: UInt64(v.int("client_packet_number")), packetNumberLength: 4, payloadLength: payload.count)
        #expect(header == (v.bytes("client_unprotected_header")))
        let (packet, trace) = try PacketProtection.protect(header: header, packetNumberOffset: offset,
                                                           packetNumber: 2, payload: payload, keys: secrets.clientKeys)
        #expect(trace.sample == (v.bytes("client_sample")))
        #expect(trace.mask == (v.bytes("client_mask")))
        #expect(Array(packet.prefix(header.count)) == (v.bytes("client_protected_header")))
        #expect(packet == (v.bytes("client_packet")))
    }

    @Test("A.2 backwards: the server reads the client Initial and finds the CRYPTO frame")
    func clientInitialOpened() throws {
        let packet = v.bytes("client_packet")
        let header = try PacketHeader.parse(packet, at: 0, shortHeaderConnectionIDLength: 8)
        #expect(header.type == .initial && header.destinationConnectionID == (v.bytes("connection_id")))
        #expect(header.bytes.count == 1200)
        let secrets = try InitialSecrets(destinationConnectionID: header.destinationConnectionID)
        let unmasked = try PacketProtection.removeHeaderProtection(packet: header.bytes, packetNumberOffset: header.packetNumberOffset,
                                                                   headerProtection: secrets.clientKeys.headerProtection)
        #expect(unmasked.header == (v.bytes("client_unprotected_header")))
        let pn = PacketNumberEncoding.decode(truncated: unmasked.truncatedPacketNumber, length: unmasked.packetNumberLength, largestReceived: nil)
        #expect(pn == 2)
        let (payload, _) = try PacketProtection.decryptPayload(packet: header.bytes, unmasked: unmasked, packetNumber: pn, keys: secrets.clientKeys)
        let frame = v.bytes("client_crypto_frame")
        #expect(Array(payload.prefix(frame.count)) == frame)
        #expect(payload.dropFirst(frame.count).allSatisfy { $0 == 0 })
    }

    @Test("A.3: the server Initial, protected with a 2-byte packet number")
    func serverInitial() throws {
        let secrets = try InitialSecrets(destinationConnectionID: v.bytes("connection_id"))
        let payload = v.bytes("server_payload")
        let (header, offset) = PacketBuilder.longHeader(
            type: .initial, destinationConnectionID: [], sourceConnectionID: Array(hex: "f067a5502a4262b5")!,
            packetNumber: 1, packetNumberLength: 2, payloadLength: payload.count)
        #expect(header == (v.bytes("server_unprotected_header")))
        let (packet, trace) = try PacketProtection.protect(header: header, packetNumberOffset: offset,
                                                           packetNumber: 1, payload: payload, keys: secrets.serverKeys)
        #expect(trace.sample == (v.bytes("server_sample")))
        #expect(trace.mask == (v.bytes("server_mask")))
        #expect(packet == (v.bytes("server_packet")))
    }

    @Test("A.4: the Retry packet and its integrity tag")
    func retry() throws {
        let retry = try PacketBuilder.retry(destinationConnectionID: [], sourceConnectionID: Array(hex: "f067a5502a4262b5")!,
                                            token: Array("token".utf8), originalDestinationConnectionID: v.bytes("connection_id"))
        #expect(retry == (v.bytes("retry_packet")))
        #expect(RetryIntegrity.isValid(retry: retry, originalDestinationConnectionID: v.bytes("connection_id")))
        var forged = retry
        forged[forged.count - 1] ^= 1
        #expect(!RetryIntegrity.isValid(retry: forged, originalDestinationConnectionID: v.bytes("connection_id")))
        #expect(!RetryIntegrity.isValid(retry: retry, originalDestinationConnectionID: Array(hex: "8394c8f03e515709")!))
        let header = try PacketHeader.parse(retry, at: 0, shortHeaderConnectionIDLength: 0)
        #expect(header.type == .retry && header.token == Array("token".utf8))
    }

    @Test("A.5: ChaCha20-Poly1305 short header packet, and the key update secret")
    func chacha20ShortHeader() throws {
        let suite = CipherSuiteParameters(.chacha20Poly1305SHA256)!
        let keys = try PacketKeys(secret: v.bytes("chacha20_secret"), suite: suite)
        #expect(keys.key == (v.bytes("chacha20_key")))
        #expect(keys.iv == (v.bytes("chacha20_iv")))
        #expect(keys.hp == (v.bytes("chacha20_hp")))
        let next = try keys.nextGeneration()
        #expect(next.secret == (v.bytes("chacha20_ku")))
        #expect(next.hp == keys.hp)
        let pn = UInt64(v.int("chacha20_packet_number"))
        #expect(keys.nonce(for: pn) == (v.bytes("chacha20_nonce")))
        let (header, offset) = PacketBuilder.shortHeader(destinationConnectionID: [], keyPhase: false, packetNumber: pn, packetNumberLength: 3)
        #expect(header == (v.bytes("chacha20_unprotected_header")))
        let (packet, trace) = try PacketProtection.protect(header: header, packetNumberOffset: offset, packetNumber: pn,
                                                           payload: v.bytes("chacha20_payload_plaintext"), keys: keys)
        #expect(trace.sample == (v.bytes("chacha20_sample")))
        #expect(trace.mask == (v.bytes("chacha20_mask")))
        #expect(packet == (v.bytes("chacha20_packet")))
        // And back: the largest packet number received just before makes 49140 decode to 654360564.
        let unmasked = try PacketProtection.removeHeaderProtection(packet: packet, packetNumberOffset: 1, headerProtection: keys.headerProtection)
        let decoded = PacketNumberEncoding.decode(truncated: unmasked.truncatedPacketNumber, length: 3, largestReceived: pn - 1)
        #expect(decoded == pn)
        #expect(try PacketProtection.decryptPayload(packet: packet, unmasked: unmasked, packetNumber: decoded, keys: keys).payload == [0x01])
    }
}

/// The JSON file of RFC 9001 Appendix A's values.
struct RFC9001Vectors {
    let values: [String: Any]

    static func load() throws -> RFC9001Vectors {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/rfc/rfc9001-appendix-a.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
        return RFC9001Vectors(values: object?["vectors"] as? [String: Any] ?? [:])
    }

    /// The hex value `name`; a missing or malformed one is recorded as a test failure.
    func bytes(_ name: String) -> [UInt8] {
        guard let hex = values[name] as? String, let bytes = [UInt8](hex: hex) else {
            Issue.record("rfc9001-appendix-a.json has no hex value \(name)")
            return []
        }
        return bytes
    }

    func int(_ name: String) -> Int { values[name] as? Int ?? -1 }
}
