import Foundation
import Testing
import TLSCrypto
@testable import TLSTool

/// `quic-client --rfc9001`: RFC 9001 Appendix A computed by our QUIC code, every value marked
/// equal to the RFC's.
@Suite("RFC 9001 Appendix A walkthrough (quic-client --rfc9001)")
struct RFC9001WalkthroughTests {
    static let plain = RFC9001Walkthrough.text(style: .plain)

    /// Every hex string on the page: the runs of hex digits in rows, and each hexdump's bytes
    /// joined into one string, so a value is found whether it is printed inline or dumped.
    static func hexOnPage(_ text: String) -> [String] {
        var found: [String] = []
        var dump = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // "    0000  c0 00 00 00 01 08 83 94  c8 f0 3e 51 57 08 00 00  |..........>QW...|"
            let fields = (line.split(separator: "|", maxSplits: 1).first ?? "").split(separator: " ")
            if let offset = fields.first, offset.count >= 4, Int(offset, radix: 16) != nil,
               fields.count > 1, fields.dropFirst().allSatisfy({ $0.count == 2 && UInt8($0, radix: 16) != nil }) {
                dump += fields.dropFirst().joined()
                continue
            }
            if !dump.isEmpty { found.append(dump); dump = "" }
            found += line.split(whereSeparator: { !$0.isHexDigit }).map(String.init).filter { $0.count >= 8 }
        }
        if !dump.isEmpty { found.append(dump) }
        return found
    }

    static func onPage(_ hex: String) -> Bool { hexOnPage(plain).contains { $0.contains(hex) } }

    @Test("every value the walkthrough computes equals the RFC's: no ✗, a ✓ for each, and the summary says so")
    func allEqual() {
        #expect(!Self.plain.contains("✗"), "\(Self.plain)")
        #expect(Self.plain.components(separatedBy: "✓").count - 1 >= 48)
        #expect(Self.plain.contains("✓ all 48 values equal RFC 9001's"))
    }

    @Test("each section of Appendix A is there, under its heading")
    func sections() {
        for heading in ["A.1 Keys (RFC 9001 §5.2)", "A.2 Client Initial", "A.3 Server Initial", "A.4 Retry (RFC 9001 §5.8)",
                        "A.5 ChaCha20-Poly1305 Short Header Packet"] {
            #expect(Self.plain.contains("\n" + heading), "no section \(heading)")
        }
    }

    @Test("A.2: the protected client Initial is printed, its header and all 1200 bytes")
    func clientInitial() throws {
        #expect(Self.onPage("c000000001088394c8f03e5157080000449e7b9aec34"))
        let vectors = try Self.vectors()
        let packet = try #require(vectors["client_packet"])
        #expect(packet.count == 2400)
        #expect(Self.onPage(packet), "the 1200-byte packet is not dumped in full")
        #expect(Self.onPage(try #require(vectors["server_packet"])))
    }

    @Test("A.4 and A.5: the Retry Integrity Tag and the 21-byte ChaCha20 packet")
    func retryAndChaCha20() {
        #expect(Self.onPage("04a265ba2eff4d829058fb3f0f2496ba"))
        #expect(Self.onPage("ff000000010008f067a5502a4262b5746f6b656e04a265ba2eff4d829058fb3f0f2496ba"))
        #expect(Self.onPage("4cfe4189655e5cd55c41f69080575d7999c25a5bfb"))
        #expect(Self.onPage("1223504755036d556342ee9361d253421a826c9ecdf3c7148684b36b714881f9"))
    }

    @Test("without style there is no escape character; with style there is, and the same words")
    func style() {
        #expect(!Self.plain.contains("\u{1B}"))
        let styled = RFC9001Walkthrough.text(style: TextStyle(isEnabled: true))
        #expect(styled.contains("\u{1B}["))
        let stripped = styled.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
        #expect(stripped == Self.plain)
    }

    @Test("every line fits in 100 columns")
    func width() {
        let long = Self.plain.split(separator: "\n").filter { $0.count > 100 }
        #expect(long.isEmpty, "\(long)")
    }

    @Test("the values the tool carries are those of Tests/Vectors/rfc/rfc9001-appendix-a.json")
    func sameVectorsAsTheQUICTests() throws {
        typealias I = RFC9001Walkthrough.Inputs
        typealias P = RFC9001Walkthrough.Published
        let ours: [String: String] = [
            "connection_id": I.connectionID, "client_crypto_frame": I.clientCryptoFrame, "server_payload": I.serverPayload,
            "chacha20_secret": I.chaCha20Secret, "chacha20_payload_plaintext": I.chaCha20Payload,
            "initial_secret": P.initialSecret, "client_initial_secret": P.clientInitialSecret,
            "client_key": P.clientKey, "client_iv": P.clientIV, "client_hp": P.clientHP,
            "server_initial_secret": P.serverInitialSecret, "server_key": P.serverKey, "server_iv": P.serverIV,
            "server_hp": P.serverHP, "client_unprotected_header": P.clientUnprotectedHeader, "client_sample": P.clientSample,
            "client_mask": P.clientMask, "client_protected_header": P.clientProtectedHeader, "client_packet": P.clientPacket,
            "server_unprotected_header": P.serverUnprotectedHeader, "server_sample": P.serverSample,
            "server_mask": P.serverMask, "server_protected_header": P.serverProtectedHeader, "server_packet": P.serverPacket,
            "retry_packet": P.retryPacket, "chacha20_key": P.chaCha20Key, "chacha20_iv": P.chaCha20IV,
            "chacha20_hp": P.chaCha20HP, "chacha20_ku": P.chaCha20KeyUpdateSecret, "chacha20_nonce": P.chaCha20Nonce,
            "chacha20_unprotected_header": P.chaCha20UnprotectedHeader,
            "chacha20_payload_ciphertext": P.chaCha20Ciphertext, "chacha20_sample": P.chaCha20Sample,
            "chacha20_mask": P.chaCha20Mask, "chacha20_protected_header": P.chaCha20ProtectedHeader,
            "chacha20_packet": P.chaCha20Packet,
        ]
        let vectors = try Self.vectors()
        for (name, hex) in ours {
            #expect([UInt8](hex: hex)?.hexString == vectors[name], "\(name) differs from the JSON file")
        }
        #expect(Set(vectors.keys).subtracting(ours.keys) == [], "values of the JSON file the tool does not carry")
        let numbers = try Self.numbers()
        #expect(numbers["client_payload_length"] == I.clientPayloadLength)
        #expect(numbers["client_packet_number"].map(UInt64.init) == I.clientPacketNumber)
        #expect(numbers["server_packet_number"].map(UInt64.init) == I.serverPacketNumber)
        #expect(numbers["chacha20_packet_number"].map(UInt64.init) == I.chaCha20PacketNumber)
    }

    @Test("quic-client --rfc9001 --no-color prints the walkthrough and exits 0")
    func executable() throws {
        let client = try ToolProcess.ours("quic-client", ["--rfc9001", "--no-color"])
        #expect(try client.waitForExit() == 0)
        #expect(client.stdoutText == Self.plain)
    }

    static func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: ToolVectors.data("rfc/rfc9001-appendix-a.json")) as? [String: Any]
        return try #require(object?["vectors"] as? [String: Any])
    }

    /// The JSON file's hex values.
    static func vectors() throws -> [String: String] { try json().compactMapValues { $0 as? String } }

    /// The JSON file's numbers: the payload length and the packet numbers.
    static func numbers() throws -> [String: Int] { try json().compactMapValues { $0 as? Int } }
}
