import TLS13
import TLSCrypto

/// The sans-I/O state machines (`TLSConnection`) fed a peer's bytes.
///
/// Input: a chunk-size byte (0: everything at once), then the peer's byte stream, delivered
/// with `receive` in chunks of that size. Both ends are deterministic (`DeterministicRandom`,
/// a fixed clock), so a recorded peer stream (`HandshakeRecording`) replays to a completed
/// handshake and the fuzzer mutates from there.
///
/// Besides not crashing: a connection that throws a `TLSError` of its own has closed (queued
/// its alert) and refuses anything further; a connection that completes its handshake can
/// still send, update its keys and close.
enum ConnectionTargets {
    static let clientSeed: UInt64 = 1
    static let serverSeed: UInt64 = 2

    /// Our server, with the teaching certificate and key, fed a client's bytes.
    static func server(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let checker = EventChecker(.server)
        let server = TLSConnection(side: .server, configuration: serverConfiguration(observer: checker.observer))
        return try drive(server, with: bytes, .server, checker)
    }

    /// Our client, trusting the teaching CA and expecting "localhost", fed a server's bytes
    /// after it has sent its ClientHello.
    static func client(_ bytes: [UInt8]) throws(InvariantViolation) -> FuzzOutcome {
        let checker = EventChecker(.client)
        let client = TLSConnection(side: .client, configuration: clientConfiguration(observer: checker.observer))
        guard (try? client.start()) != nil else {
            throw InvariantViolation(.client, "a fresh client could not start")
        }
        _ = client.takeOutgoing()
        return try drive(client, with: bytes, .client, checker)
    }

    static func serverConfiguration(observer: TLSObserver?) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.certificateChain = [FuzzPKI.serverCertificate.der]
        configuration.privateKey = .rsa(FuzzPKI.serverKey)
        configuration.random = DeterministicRandom(seed: serverSeed)
        configuration.now = { FuzzPKI.now }
        configuration.observer = observer
        return configuration
    }

    static func clientConfiguration(observer: TLSObserver?) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        configuration.serverName = "localhost"
        configuration.trustAnchors = [FuzzPKI.caCertificate]
        configuration.random = DeterministicRandom(seed: clientSeed)
        configuration.now = { FuzzPKI.now }
        configuration.observer = observer
        return configuration
    }

    static func drive(_ connection: TLSConnection, with input: [UInt8], _ target: FuzzTarget,
                      _ checker: EventChecker) throws(InvariantViolation) -> FuzzOutcome {
        guard let chunkByte = input.first else { return .rejected }
        let chunkSize = chunkByte == 0 ? Int.max : Int(chunkByte)
        let stream = Array(input.dropFirst())
        var completed = false
        var failure: TLSError?
        var start = 0
        while start < stream.count, failure == nil {
            let end = start + min(chunkSize, stream.count - start)
            do {
                try connection.receive(Array(stream[start..<end]))
            } catch let error as TLSError {
                failure = error
            } catch {
                throw InvariantViolation(target, "receive threw \(type(of: error)) (\(error)), not a TLSError")
            }
            _ = connection.takeOutgoing()
            _ = connection.takeApplicationData()
            completed = completed || connection.isHandshakeComplete
            start = end
        }

        if let failure {
            // CONTRACT.md: "On a violation it queues the fatal alert into the outgoing buffer and
            // then throws ... After a throw the connection is dead."
            if failure.origin == .local && !connection.isClosed {
                throw InvariantViolation(target, "threw \(failure) but is not closed (no alert queued)")
            }
            if (try? connection.receive([])) != nil {
                throw InvariantViolation(target, "accepted bytes after throwing \(failure)")
            }
        } else if connection.isHandshakeComplete {
            try runCheck(target) { try connection.send(Array("GET / HTTP/1.0\r\n\r\n".utf8)) }
            try runCheck(target) { try connection.updateKeys(requestPeerUpdate: true) }
            connection.close()
            guard connection.isClosed else {
                throw InvariantViolation(target, "close() left the connection open")
            }
            _ = connection.takeOutgoing()
        }
        try checker.check()
        if completed { return .handshakeCompleted }
        return failure == nil ? .accepted : .rejected
    }
}
