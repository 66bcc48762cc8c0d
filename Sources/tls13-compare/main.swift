// tls13-compare: holds a trace in RFC 8448 layout (`--trace rfc8448`) against a section of RFC 8448 and
// prints, entry by entry, ✓ equal / ✗ different (both values) / – missing, then a summary.
//
// Exit status: 0 when every RFC entry is present and equal, 1 otherwise, 2 for a usage error or
// an input that cannot be read.
import RFC8448Reader
import Foundation
import TLSTool

let usage = """
    usage: tls13-compare TRACE_FILE [--section N] [--rfc PATH] [--no-color]

      TRACE_FILE   output of --trace rfc8448 ("-" reads standard input)
      --section N  the RFC 8448 section to compare with (\(RFC8448Section.numbers); default: the
                   one the trace matches best)
      --rfc PATH   the text of RFC 8448 (default: Tests/Vectors/rfc/rfc8448.txt of this package)
      --no-color   no colours even on a terminal (NO_COLOR=1 does the same)

    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tls13-compare: \(message)\n".utf8))
    exit(2)
}

func usageError(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tls13-compare: \(message)\n\n\(usage)".utf8))
    exit(2)
}

/// Where `swift run tls13-compare` finds the RFC: the package's copy, seen from the current
/// directory (the package root, for `swift run`), else from where this file was compiled.
func defaultRFCPath() -> String? {
    let relative = "Tests/Vectors/rfc/rfc8448.txt"
    let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let candidates = [
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relative).path,
        packageRoot.appendingPathComponent(relative).path,
    ]
    return candidates.first { FileManager.default.isReadableFile(atPath: $0) }
}

func readText(_ path: String) -> String {
    if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return String(decoding: data, as: UTF8.self)
}

var tracePath: String?
var rfcPath: String?
var noColor = false
var section: Int?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "-h", "--help":
        print(usage, terminator: "")
        exit(0)
    case "--rfc":
        guard let path = arguments.popFirst() else { usageError("--rfc needs a path") }
        rfcPath = path
    case "--section":
        guard let text = arguments.popFirst(), let number = Int(text), RFC8448Section(rawValue: number) != nil else {
            usageError("--section needs one of \(RFC8448Section.numbers)")
        }
        section = number
    case "--no-color":
        noColor = true
    case let option where option.hasPrefix("-") && option != "-":
        usageError("unknown option \(option)")
    default:
        guard tracePath == nil else { usageError("one trace file only") }
        tracePath = argument
    }
}
guard let tracePath else { usageError("no trace file") }
guard let rfcPath = rfcPath ?? defaultRFCPath() else {
    fail("cannot find Tests/Vectors/rfc/rfc8448.txt; run from the package root or pass --rfc PATH")
}

let comparison: RFC8448Comparison
do {
    let rfcText = readText(rfcPath)
    let traceText = readText(tracePath)
    // A trace in the standard view has no RFC 8448 entries at all: say what to run instead of
    // reporting "0 of 109".
    if try RFC8448Trace(parsing: traceText).entries.isEmpty {
        fail("""
            \(tracePath) holds no value in RFC 8448's layout (a standard-view trace?).
            tls13-compare needs the output of --trace rfc8448, for example:
              tls13-demo --rfc8448 > ours.txt && tls13-compare ours.txt
            """)
    }
    let best = try RFC8448Comparison.bestMatch(rfcText: rfcText, traceText: traceText,
                                               sections: section.map { [$0] } ?? RFC8448Section.allCases.map(\.rawValue))
    comparison = best.comparison
    print("RFC 8448 §\(best.section)")
} catch {
    fail("\(error)")
}
print(comparison.report(colors: shouldUseColor(noColorFlag: noColor)), terminator: "")
exit(comparison.allEqual ? 0 : 1)
