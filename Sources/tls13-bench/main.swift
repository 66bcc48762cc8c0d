import Foundation
import TLSTool

/// tls13-bench: our primitives against `openssl speed`, and our tls13-server/-client against
/// `openssl s_server`/`s_client`, on the same machine in the same run (timings on a shared
/// machine drift, so only a side-by-side ratio means much).
///
///     swift run -c release tls13-bench [--json FILE] [--quick] [--no-e2e] [--only KEY,...]
///
/// `--only sha256,rsa2048_sign` runs just those rows (keys as in the JSON report), e.g. under a
/// profiler.
let usage = """
    usage: tls13-bench [--json FILE] [--quick] [--no-e2e] [--only KEY,...]

    Measures our primitives against `openssl speed`, and our tls13-server/tls13-client against
    openssl s_server/s_client, side by side in the same run, and prints one table (ours, OpenSSL,
    the ratio). Timings on a shared machine drift; read the ratios, not the absolute numbers.
    Build in release mode first: swift run -c release tls13-bench

      --json FILE     also write the results as JSON to FILE
      --quick         fewer and shorter repetitions (a rough table in seconds)
      --no-e2e        skip the end-to-end rows (handshakes and bulk data over loopback)
      --only KEY,...  run only these rows, by their JSON keys (e.g. sha256,rsa2048_sign)
      --help          show this text

    Needs openssl on PATH for the OpenSSL column; without it the ratios are "-".
    Exit status: 0 done, 1 the JSON file could not be written, 2 usage error.
    """

// The end-to-end rows start our server and client as children of this very executable,
// `tls13-bench --as tls13-server ARGS...`, running exactly the code of tls13-server and
// tls13-client: so `swift run tls13-bench` needs no other product built first.
if CommandLine.arguments.count >= 3, CommandLine.arguments[1] == "--as" {
    let toolArguments = Array(CommandLine.arguments.dropFirst(2))
    switch toolArguments[0] {
    case "tls13-server": exit(ServerCommand.main(arguments: toolArguments))
    case "tls13-client": exit(ClientCommand.main(arguments: toolArguments))
    default:
        FileHandle.standardError.write(Data("--as takes tls13-server or tls13-client\n".utf8))
        exit(2)
    }
}

var jsonPath: String? = nil
var policy = TimingPolicy.standard
var endToEnd = true
var onlyKeys: Set<String>? = nil
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--quick":
        policy = .quick
    case "--no-e2e":
        endToEnd = false
    case "--only":
        guard let keys = arguments.popFirst() else {
            FileHandle.standardError.write(Data("--only needs row keys\n\(usage)\n".utf8))
            exit(2)
        }
        onlyKeys = Set(keys.split(separator: ",").map(String.init))
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

// A child that dies while we feed its stdin must give us EPIPE, not kill the benchmark.
signal(SIGPIPE, SIG_IGN)

let openssl = OpenSSLSpeed()
// Our figures by row key: a row that is another row's reference is measured once per run,
// whether or not it was asked for itself.
var oursByKey: [String: Result<Double, any Error>] = [:]
@MainActor func measureOurs(_ key: String) -> Result<Double, any Error> {
    if let known = oursByKey[key] { return known }
    guard let row = benchmarkRows.first(where: { $0.key == key }) else {
        return .failure(BenchmarkFailure("no benchmark row \(key)"))
    }
    let figure = Result { try row.measureOurs(policy) }
    oursByKey[key] = figure
    return figure
}
var results: [BenchmarkResult] = []
for row in benchmarkRows where onlyKeys?.contains(row.key) ?? true {
    switch row.reference {
    case .openssl(let test):
        results.append(BenchmarkResult(key: row.key, operation: row.operation, unit: row.unit,
                                       ours: measureOurs(row.key), reference: openssl.measure(test)))
    case .ourRow(let key, let label):
        results.append(BenchmarkResult(key: row.key, operation: row.operation, unit: row.unit,
                                       ours: measureOurs(row.key), reference: measureOurs(key), referenceLabel: label))
    }
}
if endToEnd {
    do {
        results += try EndToEndBenchmark(policy: policy).run(only: onlyKeys)
    } catch {
        FileHandle.standardError.write(Data("end-to-end rows skipped: \(error)\n".utf8))
    }
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
