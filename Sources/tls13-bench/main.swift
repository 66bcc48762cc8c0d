import Foundation

/// tls13-bench: our primitives against `openssl speed` on the same machine, in the same run
/// (timings on a shared machine drift, so only a side-by-side ratio means much).
///
///     swift run -c release tls13-bench [--json FILE] [--quick]
let usage = "usage: tls13-bench [--json FILE] [--quick]"

var jsonPath: String? = nil
var policy = TimingPolicy.standard
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--quick":
        policy = .quick
    case "--json":
        guard let path = arguments.popFirst() else {
            FileHandle.standardError.write(Data("--json needs a file name\n\(usage)\n".utf8))
            exit(2)
        }
        jsonPath = path
    case "-h", "--help":
        print(usage)
        exit(0)
    default:
        FileHandle.standardError.write(Data("unknown argument \(argument)\n\(usage)\n".utf8))
        exit(2)
    }
}

#if DEBUG
FileHandle.standardError.write(Data("warning: debug build; measure with `swift run -c release tls13-bench`\n".utf8))
#endif

let openssl = OpenSSLSpeed()
var results: [BenchmarkResult] = []
for row in benchmarkRows {
    let ours: Result<Double, any Error>
    do {
        ours = .success(try row.measureOurs(policy))
    } catch {
        ours = .failure(error)
    }
    results.append(BenchmarkResult(row: row, ours: ours, openssl: openssl.measure(row.openssl)))
}

print(BenchmarkResult.table(results))

if let jsonPath {
    do {
        try BenchmarkResult.json(results).write(to: URL(fileURLWithPath: jsonPath))
    } catch {
        FileHandle.standardError.write(Data("cannot write \(jsonPath): \(error)\n".utf8))
        exit(1)
    }
}
