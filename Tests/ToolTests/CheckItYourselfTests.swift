import Foundation
import Testing
import TLS13
import TLSCrypto
import TLSTool

/// Issue 12, "Check it yourself": the openssl and python3 one-liners the explained trace prints
/// recompute the printed values. Needs openssl (HKDF) and python3 with the cryptography package
/// (HMAC is in the standard library; the AEADs are not); .ci/run installs both.
@Suite("Check it yourself: the trace's one-liners reproduce its values", .serialized)
struct CheckItYourselfTests {
    static func run(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ProcessFailure("exit \(process.terminationStatus): \(errorText) (command: \(command.prefix(120))…)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// "33:AD:0A" or "33ad0a\n" as bytes.
    static func bytes(_ output: String) -> [UInt8]? {
        [UInt8](hex: output)
    }

    @Test("Every key-schedule command and the record command print the values the trace printed")
    func commandsReproduce() throws {
        guard ToolProcess.opensslURL != nil else { throw ProcessFailure("openssl is not installed (apt install openssl)") }
        _ = try Self.run("python3 -c 'import cryptography'")
        let text = try String(contentsOf: ToolProcess.repositoryRoot.appendingPathComponent("transcripts/deterministic.explained.txt"), encoding: .utf8)
        var checked = 0
        var suite: CipherSuite?
        for event in try ExplanationsTests.deterministicEvents() {
            if case .trafficKeys(_, _, let keysSuite, _, _, _, _, _) = event { suite = keysSuite }
            var checks = CheckItYourself.commands(for: event)
            if case .record(_, let record) = event, let suite, let opening = CheckItYourself.opening(record, suite: suite),
               text.contains("$ " + opening.command) {
                checks.append(opening)
            }
            for check in checks where text.contains("$ " + check.command) {
                #expect(Self.bytes(try Self.run(check.command)) == check.expected, "\(check.value): \(check.command.prefix(100))")
                checked += 1
            }
        }
        // Two extracts and the Derive-Secrets, traffic keys and Finished of both sides; a record each.
        #expect(checked >= 25)
        #expect(text.components(separatedBy: "cryptography.hazmat").count - 1 >= 1)
    }
}
