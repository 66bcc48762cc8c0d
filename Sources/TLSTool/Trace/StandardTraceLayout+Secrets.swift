import TLS13
import TLSCrypto

/// The key-schedule steps of the standard view (RFC 8446 §7): key pairs, the shared secret,
/// HKDF-Extract and Derive-Secret, traffic keys, Finished and CertificateVerify, each as a table
/// of its inputs and output. A transcript hash says which messages it covers.
extension StandardTraceLayout {
    func secretBody(of event: TLSEvent) -> [String] {
        switch event {
        case .keyPair(let group, let privateKey, let publicKey):
            var table = ValueTable()
            if group != .x25519MLKEM768 {
                table.add("private key", privateKey)
                table.add("public key", publicKey)
            }
            // SEC 1 §2.3.3: an uncompressed P-256 point is 04 || X || Y.
            if group == .secp256r1, publicKey.count == 65, publicKey[0] == 0x04 {
                table.add("  form", text: "04: uncompressed point (SEC 1 §2.3.3)")
                table.add("  X", Array(publicKey[1..<33]))
                table.add("  Y", Array(publicKey[33...]))
            }
            // draft-ietf-tls-ecdhe-mlkem §3: the ML-KEM-768 half first, then the X25519 half.
            var explanation: [String] = []
            if group == .x25519MLKEM768 {
                table.add(explainingHybrid: privateKey, publicKey)
                let isClient = publicKey.count == X25519MLKEM768Group.clientShareByteCount
                explanation = ValueTable.hybridExplanation(isClient: isClient).map { indent(2) + style.apply($0, .dim) }
                if isClient, let steps = ValueTable.mlkemKeyGenSteps(seed: Array(privateKey.prefix(MLKEM768.seedByteCount))) {
                    explanation += [indent(2) + "ML-KEM-768 KeyGen from the seed (FIPS 203 Algorithms 16 and 13):"]
                        + steps.format(indent: indent(3), width: lineWidth)
                }
            }
            return heading("create an ephemeral \(group.name ?? group.description) key pair") + table.format(indent: indent(2), width: lineWidth) + explanation

        case .sharedSecret(let group, let secret):
            var table = ValueTable()
            table.add("shared secret", secret)
            // draft-ietf-tls-ecdhe-mlkem §3: the ML-KEM-768 shared secret, then the X25519 one.
            if group == .x25519MLKEM768, secret.count == 64 {
                table.add("  ML-KEM-768", Array(secret.prefix(32)))
                table.add("  X25519", Array(secret.suffix(32)))
            }
            let title = "compute the shared secret"
            if let peer = shownByPeer(secret) { return sameAs(title, peer) }
            return heading(title, Self.sharedSecretReference(group)) + table.format(indent: indent(2), width: lineWidth)

        case .extractSecret(let stage, let salt, let ikm, let secret):
            var table = ValueTable()
            table.add("salt", salt)
            table.add("IKM", ikm)
            table.add("secret", secret)
            let title = "extract secret \"\(stage.rawValue)\""
            if let peer = shownByPeer(secret) { return sameAs(title, peer) }
            return heading(title, "HKDF-Extract(salt, IKM), RFC 8446 §7.1") + table.format(indent: indent(2), width: lineWidth)

        case .deriveSecret(let label, let purpose, let prk, let hash, let info, let secret):
            var table = ValueTable()
            table.add("PRK", prk)
            table.add("hash", hash)
            if let messages = coverage.covered(by: hash) { table.add("  messages", text: messages) }
            table.add("info", info)
            table.add("expanded", secret)
            let title = purpose.map { "derive secret for \($0.rawValue) \"\(label)\"" } ?? "derive secret \"\(label)\""
            if let peer = shownByPeer(secret) { return sameAs(title, peer) }
            return heading(title, "Derive-Secret, RFC 8446 §7.1") + table.format(indent: indent(2), width: lineWidth)

        case .trafficKeys(let direction, let epoch, let suite, let secret, let keyInfo, let key, let ivInfo, let iv):
            var table = ValueTable()
            table.add("PRK", secret)
            table.add("key info", keyInfo)
            table.add("key expanded", key)
            table.add("iv info", ivInfo)
            table.add("iv expanded", iv)
            let title = "derive \(direction.rawValue) traffic keys for \(epoch.keyPurpose)"
            if let peer = shownByPeer(key + iv) { return sameAs(title, peer) }
            return heading(title, "\(suite.name ?? suite.description), RFC 8446 §7.3")
                + table.format(indent: indent(2), width: lineWidth)

        case .resumptionSecret(let prk, let nonce, let info, let secret):
            var table = ValueTable()
            table.add("PRK", prk)
            table.add("ticket_nonce", nonce)
            table.add("info", info)
            table.add("expanded", secret)
            return heading("derive secret \"tls13 resumption\"", "RFC 8446 §4.6.1") + table.format(indent: indent(2), width: lineWidth)

        case .pskBinder(let prefix, let binderHash, let binderKey, let info, let finishedKey, let binder, let matched):
            var table = ValueTable()
            table.add("ClientHello prefix", text: "\(prefix.count) bytes: the ClientHello up to its binders")
            table.add("binder hash", binderHash)
            table.add("binder_key", binderKey)
            table.add("info", info)
            table.add("finished_key", finishedKey)
            table.add(matched == nil ? "binder" : "expected", binder)
            var lines = [indent(1) + "binder_key = Derive-Secret(Early Secret, \"res binder\", \"\"), finished_key = HKDF-Expand-Label(binder_key, \"finished\", \"\", Hash.length)",
                         indent(1) + "binder = HMAC(finished_key, Transcript-Hash(ClientHello prefix)), RFC 8446 §4.2.11.2"]
            lines += table.format(indent: indent(1), width: lineWidth)
            return lines

        case .sessionTicket(let direction, let contents, let ticket):
            var table = ValueTable()
            table.add("cipher suite", text: contents.cipherSuite.description)
            table.add("issued at", text: "\(contents.issuedAtMilliseconds) ms since 1970")
            table.add("ticket_age_add", text: "\(contents.ticketAgeAdd)")
            table.add("lifetime", text: "\(contents.ticketLifetime) s")
            table.add("max early data", text: "\(contents.maxEarlyDataSize) bytes")
            table.add("PSK", contents.psk)
            if !contents.serverName.isEmpty { table.add("server name", text: String(decoding: contents.serverName, as: UTF8.self)) }
            table.add("ticket", text: "\(ticket.count) bytes: key name (16) ‖ nonce (12) ‖ AES-256-GCM(contents) with its tag (16)")
            let why = direction == .sent
                ? "the ticket holds everything resumption needs, sealed under the server's ticket key: the server keeps no state, and only it can read the PSK"
                : "opened with our ticket key (the key name picks which): the PSK and the ticket's limits come back from the ticket itself"
            return [indent(1) + style.apply(why, .dim)] + table.format(indent: indent(1), width: lineWidth)

        case .keyUpdated(let direction, let generation, let secret):
            var table = ValueTable()
            table.add("secret", secret)
            // The event names our direction; the RFC names the secret by whose it is.
            let owner = (direction == .write) == (side == .client) ? "client" : "server"
            let name = "\(owner)_application_traffic_secret"
            return heading("update the \(owner) application traffic secret (our \(direction == .write ? "sending" : "receiving") key) to generation \(generation)",
                           "RFC 8446 §7.2")
                + [indent(2) + "\(name)_\(generation) = HKDF-Expand-Label(\(name)_\(generation - 1), \"traffic upd\", \"\", Hash.length)"]
                + table.format(indent: indent(2), width: lineWidth)

        case .finished(let of, let baseKey, let hash, let info, let finishedKey, let verifyData, _):
            if let peer = shownByPeer(verifyData) {
                var table = ValueTable()
                table.add("verify_data", verifyData)
                return [indent(1) + style.apply("the same computation as the \(peer)'s above", .dim)] + table.format(indent: indent(1), width: lineWidth)
            }
            var table = ValueTable()
            table.add("base key", baseKey)
            table.add("info", info)
            table.add("finished_key", finishedKey)
            table.add("transcript hash", hash)
            if let messages = coverage.covered(by: hash) { table.add("  messages", text: messages) }
            table.add("verify_data", verifyData)
            var lines = [indent(1) + style.apply("finished_key = HKDF-Expand-Label(\(of) handshake traffic secret, \"finished\", \"\", Hash.length)", .dim),
                         indent(1) + style.apply("verify_data = HMAC(finished_key, Transcript-Hash(... up to this Finished)), RFC 8446 §4.4.4", .dim)]
            lines += table.format(indent: indent(1), width: lineWidth)
            return lines

        case .certificateVerify(let scheme, let content, let signature, _) where shownByPeer(content + signature) != nil:
            return [indent(1) + "scheme  " + scheme.description,
                    indent(1) + style.apply("the content and signature the \(side.peer) printed above", .dim)]

        case .certificateVerify(let scheme, let content, let signature, let verified):
            var lines = [indent(1) + "scheme  " + scheme.description,
                         indent(1) + "content \(verified == nil ? "signed" : "verified") (64 spaces, context string, 0, transcript hash; RFC 8446 §4.4.3)"]
            lines += dump(content, limit: nil, indent: indent(2))
            // 64 spaces, a 33-byte context string and a zero byte come before the hash.
            let hashLength = content.count - 64 - 34
            if hashLength > 0, let messages = coverage.covered(by: Array(content.suffix(hashLength))) {
                lines.append(indent(2) + "transcript hash of: " + messages)
            }
            var table = ValueTable()
            table.add("signature", signature)
            // RFC 8446 §4.2.3: an ECDSA signature is the DER Ecdsa-Sig-Value SEQUENCE { r, s }.
            if scheme == .ecdsaSecp256r1SHA256, let decoded = try? P256.Signing.ECDSASignature(derRepresentation: signature) {
                table.add("  r", decoded.r)
                table.add("  s", decoded.s)
            }
            lines += table.format(indent: indent(1), width: lineWidth)
            return lines

        default:
            return []
        }
    }

    /// How the group computes the shared secret, and where that is written down.
    static func sharedSecretReference(_ group: NamedGroup) -> String {
        switch group {
        case .x25519: "X25519(our private key, peer's public key), RFC 8446 §7.4.2"
        case .secp256r1: "ECDH: the x-coordinate of d·Q, RFC 8446 §7.4.2"
        case .x25519MLKEM768: "ML-KEM-768 shared secret ‖ X25519 shared secret, draft-ietf-tls-ecdhe-mlkem §3"
        default: "RFC 8446 §7.4"
        }
    }
}
