import Foundation
import Testing
import TLSCrypto
import TLS13

/// Collects the events an observer receives, from whatever thread reports them.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [TLSEvent] = []

    var observer: TLSObserver { { event in self.lock.withLock { self.storage.append(event) } } }
    var events: [TLSEvent] { lock.withLock { storage } }
}

/// RFC 8448 §3 (Simple 1-RTT Handshake, TLS_AES_128_GCM_SHA256): every secret, key, IV and
/// Finished value recomputed from the trace's own inputs (the x25519 shared secret and the
/// handshake messages) and compared with the values the trace prints.
@Suite("RFC 8448 §3 key schedule")
struct KeyScheduleTests {
    let rfc: RFC8448.Section
    let schedule: KeySchedule
    let log = EventLog()

    init() throws {
        rfc = try RFC8448.load().section(3)
        let parameters = try #require(CipherSuiteParameters(.aes128GCMSHA256))
        schedule = KeySchedule(parameters: parameters, events: EventSink(observer: log.observer))
    }

    func expected(_ title: String, _ label: String = "expanded", side: Side = .server) throws -> [UInt8] {
        try rfc.step(side, title).bytes(label)
    }

    /// Transcript-Hash of the §3 messages named, in order.
    func transcriptHash(_ messages: [(Side, String)]) throws -> [UInt8] {
        var transcript = TranscriptHash(algorithm: schedule.hash)
        for (side, name) in messages { transcript.append(try rfc.message(side, name)) }
        return transcript.current
    }

    var helloMessages: [(Side, String)] { [(.client, "ClientHello"), (.server, "ServerHello")] }
    var serverFlight: [(Side, String)] {
        helloMessages + [(.server, "EncryptedExtensions"), (.server, "Certificate"), (.server, "CertificateVerify")]
    }

    func handshakeSecret() throws -> HandshakeSecret {
        let sharedSecret = try expected("extract secret \"handshake\"", "IKM", side: .server)
        return schedule.earlySecret().handshakeSecret(sharedSecret: sharedSecret)
    }

    @Test("RFC 8448 §3: early secret, derived secret and handshake secret")
    func earlyAndHandshakeSecrets() throws {
        let early = schedule.earlySecret()
        #expect(early.secret == (try expected("extract secret \"early\"", "secret")))
        let handshake = early.handshakeSecret(sharedSecret: try expected("extract secret \"handshake\"", "IKM"))
        #expect(handshake.secret == (try expected("extract secret \"handshake\"", "secret")))
        #expect(handshake.masterSecret().secret == (try expected("extract secret \"master\"", "secret")))
    }

    @Test("RFC 8448 §3: the events carry the trace's inputs (salt, IKM, PRK, hash, info)")
    func eventsFollowTheTrace() throws {
        _ = try handshakeSecret()
        let events = log.events
        guard case .extractSecret(let stage, let salt, let ikm, _) = events.first else {
            Issue.record("first event is not extract secret \"early\"")
            return
        }
        #expect(stage == .early)
        #expect(salt == [UInt8](repeating: 0, count: 32))
        #expect(ikm == (try expected("extract secret \"early\"", "IKM")))
        let derived = events.compactMap { event -> (String, KeyScheduleStage?, [UInt8], [UInt8], [UInt8])? in
            if case .deriveSecret(let label, let purpose, let prk, let hash, let info, _) = event { return (label, purpose, prk, hash, info) }
            return nil
        }
        let step = try rfc.step(.server, "derive secret for handshake \"tls13 derived\"")
        #expect(derived.first?.0 == "tls13 derived")
        #expect(derived.first?.1 == .handshake)
        #expect(derived.first?.2 == (try step.bytes("PRK")))
        #expect(derived.first?.3 == (try step.bytes("hash")))
        #expect(derived.first?.4 == (try step.bytes("info")))
    }

    @Test("RFC 8448 §3: client and server handshake traffic secrets")
    func handshakeTrafficSecrets() throws {
        let secret = try handshakeSecret()
        let hash = try transcriptHash(helloMessages)
        #expect(hash == (try expected("derive secret \"tls13 c hs traffic\"", "hash")))
        #expect(secret.clientHandshakeTrafficSecret(transcriptHash: hash).secret == (try expected("derive secret \"tls13 c hs traffic\"")))
        #expect(secret.serverHandshakeTrafficSecret(transcriptHash: hash).secret == (try expected("derive secret \"tls13 s hs traffic\"")))
    }

    @Test("RFC 8448 §3: handshake traffic keys and IVs, both directions")
    func handshakeTrafficKeys() throws {
        let secret = try handshakeSecret()
        let hash = try transcriptHash(helloMessages)
        let server = secret.serverHandshakeTrafficSecret(transcriptHash: hash).trafficKeys(.write, epoch: .handshake)
        let serverStep = try rfc.step(.server, "derive write traffic keys for handshake data")
        #expect(server.key == (try serverStep.bytes("key expanded")))
        #expect(server.iv == (try serverStep.bytes("iv expanded")))
        let client = secret.clientHandshakeTrafficSecret(transcriptHash: hash).trafficKeys(.read, epoch: .handshake)
        let clientStep = try rfc.step(.server, "derive read traffic keys for handshake data")
        #expect(client.key == (try clientStep.bytes("key expanded")))
        #expect(client.iv == (try clientStep.bytes("iv expanded")))
        let keyEvents = log.events.compactMap { event -> [UInt8]? in
            if case .trafficKeys(_, _, _, _, let keyInfo, _, _, _) = event { return keyInfo }
            return nil
        }
        #expect(keyEvents.first == (try serverStep.bytes("key info")))
    }

    @Test("RFC 8448 §3: server and client Finished (finished_key and verify_data)")
    func finished() throws {
        let secret = try handshakeSecret()
        let helloHash = try transcriptHash(helloMessages)
        let server = secret.serverHandshakeTrafficSecret(transcriptHash: helloHash)
        let serverVerifyData = server.finishedVerifyData(of: .server, transcriptHash: try transcriptHash(serverFlight))
        #expect(serverVerifyData == (try expected("calculate finished \"tls13 finished\"", "finished")))
        #expect(try rfc.message(.server, "Finished") == [0x14, 0x00, 0x00, 0x20] + serverVerifyData)

        guard case .finished(_, _, _, let info, let finishedKey, _, let matched) = log.events.last else {
            Issue.record("no finished event")
            return
        }
        #expect(info == (try expected("calculate finished \"tls13 finished\"", "info")))
        #expect(finishedKey == (try expected("calculate finished \"tls13 finished\"")))
        #expect(matched == nil)

        let client = secret.clientHandshakeTrafficSecret(transcriptHash: helloHash)
        let throughServerFinished = try transcriptHash(serverFlight + [(.server, "Finished")])
        let clientVerifyData = try expected("calculate finished \"tls13 finished\"", "finished", side: .client)
        #expect(client.verifyFinished(of: .client, transcriptHash: throughServerFinished, received: clientVerifyData))
        var forged = clientVerifyData
        forged[0] ^= 1
        #expect(!client.verifyFinished(of: .client, transcriptHash: throughServerFinished, received: forged))
    }

    @Test("RFC 8448 §3: application traffic secrets, exporter and resumption master secrets")
    func masterSecretDerivations() throws {
        let master = try handshakeSecret().masterSecret()
        let hash = try transcriptHash(serverFlight + [(.server, "Finished")])
        #expect(hash == (try expected("derive secret \"tls13 c ap traffic\"", "hash")))
        let clientTraffic = master.clientApplicationTrafficSecret(transcriptHash: hash)
        let serverTraffic = master.serverApplicationTrafficSecret(transcriptHash: hash)
        #expect(clientTraffic.secret == (try expected("derive secret \"tls13 c ap traffic\"")))
        #expect(serverTraffic.secret == (try expected("derive secret \"tls13 s ap traffic\"")))
        #expect(master.exporterMasterSecret(transcriptHash: hash) == (try expected("derive secret \"tls13 exp master\"")))

        let serverKeys = serverTraffic.trafficKeys(.write, epoch: .application(generation: 0))
        #expect(serverKeys.key == (try expected("derive write traffic keys for application data", "key expanded")))
        #expect(serverKeys.iv == (try expected("derive write traffic keys for application data", "iv expanded")))
        let clientKeys = clientTraffic.trafficKeys(.write, epoch: .application(generation: 0))
        #expect(clientKeys.key == (try expected("derive write traffic keys for application data", "key expanded", side: .client)))
        #expect(clientKeys.iv == (try expected("derive write traffic keys for application data", "iv expanded", side: .client)))

        let throughClientFinished = try transcriptHash(serverFlight + [(.server, "Finished"), (.client, "Finished")])
        let resumption = master.resumptionMasterSecret(transcriptHash: throughClientFinished)
        #expect(resumption.secret == (try expected("derive secret \"tls13 res master\"", side: .client)))
        let ticketNonce = try expected("generate resumption secret \"tls13 resumption\"", "hash", side: .server)
        #expect(resumption.resumptionSecret(ticketNonce: ticketNonce) == (try expected("generate resumption secret \"tls13 resumption\"")))
    }

    @Test("RFC 8446 §7.2: KeyUpdate's next generation is HKDF-Expand-Label(secret, \"traffic upd\", \"\", Hash.length)")
    func nextGeneration() throws {
        let secret = TrafficSecret(schedule: schedule, secret: [UInt8](repeating: 7, count: 32))
        let next = secret.nextGeneration()
        let info = try KeySchedule.hkdfLabel("traffic upd", context: [], length: 32)
        #expect(info == [0x00, 0x20, 0x11] + Array("tls13 traffic upd".utf8) + [0x00])
        #expect(next.secret == (try HKDF<SHA256>.expand(prk: secret.secret, info: info, length: 32)))
        #expect(next.generation == 1)
        #expect(next.nextGeneration().generation == 2)
    }

    @Test("RFC 8446 §4.4.1: after a HelloRetryRequest, ClientHello1 is replaced by message_hash")
    func messageHashRewrite() {
        let clientHello1: [UInt8] = [1, 0, 0, 2, 0xaa, 0xbb]
        let retry: [UInt8] = [2, 0, 0, 1, 0xcc]
        var transcript = TranscriptHash(algorithm: schedule.hash)
        transcript.append(clientHello1)
        transcript.replaceWithMessageHash()
        transcript.append(retry)
        let synthetic: [UInt8] = [254, 0, 0, 32] + SHA256.hash(clientHello1)
        #expect(transcript.current == SHA256.hash(synthetic + retry))
    }

    @Test("RFC 8448 §5: after the HelloRetryRequest the transcript starts with message_hash(ClientHello1)")
    func helloRetryRequestTranscript() throws {
        let section = try RFC8448.load().section(5)
        var transcript = TranscriptHash(algorithm: schedule.hash)
        transcript.append(try section.message(.client, "ClientHello", index: 0))
        transcript.replaceWithMessageHash()
        transcript.append(try section.message(.server, "ServerHello", index: 0))
        transcript.append(try section.message(.client, "ClientHello", index: 1))
        transcript.append(try section.message(.server, "ServerHello", index: 1))
        let step = try section.step(.server, "derive secret \"tls13 c hs traffic\"")
        #expect(transcript.current == (try step.bytes("hash")))

        let sharedSecret = try section.step(.server, "extract secret \"handshake\"").bytes("IKM")
        let handshake = schedule.earlySecret().handshakeSecret(sharedSecret: sharedSecret)
        #expect(handshake.clientHandshakeTrafficSecret(transcriptHash: transcript.current).secret == (try step.bytes("expanded")))

        for name in ["EncryptedExtensions", "Certificate", "CertificateVerify"] {
            transcript.append(try section.message(.server, name))
        }
        let server = handshake.serverHandshakeTrafficSecret(transcriptHash: try step.bytes("hash"))
        let finished = try section.step(.server, "calculate finished \"tls13 finished\"").bytes("finished")
        #expect(server.verifyFinished(of: .server, transcriptHash: transcript.current, received: finished))
    }

    @Test("RFC 8446 §B.4: each suite maps to its hash and AEAD; an unknown suite to nothing")
    func suiteParameters() throws {
        let chacha = try #require(CipherSuiteParameters(.chacha20Poly1305SHA256))
        #expect(chacha.hash.length == 32 && chacha.keyLength == 32 && chacha.ivLength == 12)
        let aes256 = try #require(CipherSuiteParameters(.aes256GCMSHA384))
        #expect(aes256.hash.length == 48 && aes256.keyLength == 32)
        let aes128 = try #require(CipherSuiteParameters(.aes128GCMSHA256))
        #expect(aes128.hash.length == 32 && aes128.keyLength == 16)
        #expect(CipherSuiteParameters(.aes128CCMSHA256) == nil)
    }
}
