import Foundation
import Testing
import TLS13
import TLSFuzz

/// Minimal reproducers of what fuzzing found, kept so each stays fixed.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// A pre-TLS 1.3 ClientHello: legacy_version 0x0303, a zero random, no session id, one
    /// suite, null compression, and no extensions block at all (RFC 8446 §4.1.2 allows this).
    static let clientHelloWithoutExtensions: [UInt8] = {
        let body: [UInt8] = [0x03, 0x03] + [UInt8](repeating: 0, count: 32)
            + [0x00] + [0x00, 0x02, 0x13, 0x01] + [0x01, 0x00]
        return [HandshakeType.clientHello.rawValue, 0x00, 0x00, UInt8(body.count)] + body
    }()

    @Test("a ClientHello without extensions re-encodes and traces to the bytes it came from")
    func clientHelloWithoutExtensionsRoundTrips() throws {
        let message = Self.clientHelloWithoutExtensions
        let decoded = try HandshakeMessage(decoding: message, finishedLength: 32)
        // Found by the fuzzer: this used to re-encode and trace with an empty extensions block
        // (`00 00`, below the <8..2^16-1> floor), two bytes that never crossed the wire.
        #expect(try decoded.encoded == message)
        #expect(decoded.traceFields.flatMap(\.encodedBytes) == message)
    }

    @Test("a 186-byte ClientHello under a 64-byte cap on other messages: the record layer hands it up whole, as it must")
    func longClientHelloUnderSmallCap() throws {
        // Found by the fuzzer in CI: the harness held ClientHello to the cap of other messages,
        // but a ClientHello may be as long as its syntax allows (RecordLayer.sizeLimit).
        let input = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus/20-long-clienthello-small-limit"))
        #expect(throws: Never.self) { try FuzzEntry.run(Array(input)) }
    }
}
