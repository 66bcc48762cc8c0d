import Foundation
import Testing

/// Issue 12: the two small tools explain themselves.
@Suite("tls13-compare and tls13-bench explain themselves")
struct SmallToolsTests {
    @Test("tls13-compare on a standard-view trace says it needs --trace rfc8448 output, exit 2")
    func compareOnStandardTrace() throws {
        let compare = try ToolProcess.ours("tls13-compare", ["transcripts/deterministic-client.txt"])
        #expect(try compare.waitForExit() == 2)
        #expect(compare.stderrText.contains("needs the output of --trace rfc8448"))
        #expect(!compare.stdoutText.contains("of 109"))
    }

    @Test("tls13-bench --help is a help text: every flag explained, exit 0, nothing measured")
    func benchHelp() throws {
        let bench = try ToolProcess.ours("tls13-bench", ["--help"])
        #expect(try bench.waitForExit() == 0)
        for flag in ["--json FILE", "--quick", "--no-e2e", "--only KEY", "--help"] {
            #expect(bench.stdoutText.contains("  \(flag)"), "\(flag) is not explained")
        }
    }
}
