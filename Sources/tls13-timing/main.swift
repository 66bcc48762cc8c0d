import Foundation

/// tls13-timing: a dudect-style check that the secret-dependent operations take the same time
/// for a fixed and for random secret inputs (see WelchTest.swift and the README's "Timing"
/// section). A measuring tool for people, not a CI test: its verdict depends on the machine
/// and its load.
///
///     swift run -c release tls13-timing [--scale F] [--only KEY,...]
///
/// `--scale 0.1` takes a tenth of the default measurements (a quick look); `--only x25519,tag`
/// runs just those experiments. Prints a Markdown table; exits 1 when the positive control is
/// not flagged (the run could not have seen a leak) or any other operation is.
let usage = "usage: tls13-timing [--scale F] [--only KEY,...]"
/// dudect's "probably not constant time" level: |t| above it rejects equal means with a false
/// positive rate of about 10⁻⁵ per test for normally distributed means.
let threshold = 4.5

var scale = 1.0
var only: Set<String>? = nil
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--scale":
        guard let value = arguments.popFirst().flatMap(Double.init), value > 0 else {
            FileHandle.standardError.write(Data("--scale needs a positive number\n\(usage)\n".utf8))
            exit(2)
        }
        scale = value
    case "--only":
        guard let keys = arguments.popFirst() else {
            FileHandle.standardError.write(Data("--only needs experiment keys\n\(usage)\n".utf8))
            exit(2)
        }
        only = Set(keys.split(separator: ",").map(String.init))
    case "-h", "--help":
        print(usage + "\nexperiments: " + experiments.map(\.key).joined(separator: ", "))
        exit(0)
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n\(usage)\n".utf8))
        exit(2)
    }
}

#if DEBUG
FileHandle.standardError.write(Data("warning: debug build; measure with `swift run -c release tls13-timing`\n".utf8))
#endif

print("| Operation | Classes (0 vs 1) | Measurements per class | Mean ns (0 / 1) | max \\|t\\| | Test | Verdict |")
print("|---|---|---:|---:|---:|---|---|")
var failed = false
for experiment in experiments where only?.contains(experiment.key) ?? true {
    do {
        let result = try experiment.run(scale: scale)
        let leaks = result.outcome.maxT > threshold
        let isControl = experiment.key == "control"
        failed = failed || leaks != isControl
        let verdict = leaks ? (isControl ? "leak detected (as it must be)" : "**LEAK** (|t| > 4.5)") : "no leak detected"
        let means = result.outcome.meanNanoseconds
        print("| \(experiment.operation) | \(experiment.classes) | \(result.measurements / 2) | "
              + String(format: "%.0f / %.0f", means.0, means.1)
              + " | " + String(format: "%.2f", result.outcome.maxT) + " | \(result.outcome.test) | \(verdict) |")
        FileHandle.standardError.write(Data(String(format: "%@: %.1f s\n", experiment.key, result.seconds).utf8))
    } catch {
        failed = true
        print("| \(experiment.operation) | \(experiment.classes) | – | – | – | – | error: \(error) |")
    }
}
exit(failed ? 1 : 0)
