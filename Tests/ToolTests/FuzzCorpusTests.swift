import Foundation
import Testing
import TLSFuzz

/// The committed fuzz corpus (Tests/Fuzz/corpus) replayed through the fuzz entry function,
/// without sanitizers: an input that once crashed or broke an invariant, once fixed and
/// committed, stays fixed. Scripts/fuzz.sh does the fuzzing itself.
@Suite("Fuzz corpus replay")
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/corpus")

    static func inputs() throws -> [(name: String, bytes: [UInt8])] {
        try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted().map { name in
            (name, [UInt8](try Data(contentsOf: corpus.appendingPathComponent(name))))
        }
    }

    @Test("every corpus input runs through FuzzEntry without breaking an invariant")
    func replay() throws {
        let inputs = try Self.inputs()
        #expect(!inputs.isEmpty)
        for input in inputs {
            #expect(throws: Never.self, "\(input.name)") { try FuzzEntry.run(input.bytes) }
        }
    }

    /// The recorded streams (`tls13-fuzz --record-seeds`) are where the fuzzer starts on the
    /// state machines; if the engine's messages change, they stop reaching the end of the
    /// handshake and must be recorded again.
    @Test("the recorded client and server streams still drive a whole handshake")
    func recordedStreamsComplete() throws {
        let recorded = try Self.inputs().filter { $0.name.contains("recorded-") }
        #expect(recorded.count == 4)
        for input in recorded {
            #expect(try FuzzEntry.run(input.bytes) == .handshakeCompleted, "\(input.name)")
        }
    }

    @Test("every fuzz target has seeds in the corpus")
    func everyTargetSeeded() throws {
        let selectors = Set(try Self.inputs().compactMap(\.bytes.first))
        for target in FuzzTarget.allCases {
            #expect(selectors.contains(target.rawValue), "no seed for \(target) (selector \(target.rawValue))")
        }
    }
}
