import Foundation

/// One `openssl speed` measurement the table compares against.
enum OpenSSLSpeedTest: Hashable {
    /// `openssl speed -evp NAME -bytes 16384 -seconds 1`: throughput on 16 KiB buffers.
    case evp(String)
    /// `openssl speed -seconds 1 ecdhx25519` (OpenSSL 3.0's name for X25519 key agreement).
    case x25519
    /// `openssl speed -seconds 1 rsa2048`, which reports signs and verifies per second together.
    case rsa2048Sign
    case rsa2048Verify
    /// `openssl speed -seconds 1 ecdhp256 ecdsap256`: one run for the three P-256 rows.
    case p256ECDH
    case ecdsaP256Sign
    case ecdsaP256Verify

    /// The command-line arguments after `openssl`. `-mr` asks for the machine-readable report.
    var arguments: [String] {
        switch self {
        case .evp(let name): ["speed", "-mr", "-seconds", "1", "-bytes", "\(benchmarkBlockSize)", "-evp", name]
        case .x25519: ["speed", "-mr", "-seconds", "1", "ecdhx25519"]
        case .rsa2048Sign, .rsa2048Verify: ["speed", "-mr", "-seconds", "1", "rsa2048"]
        case .p256ECDH, .ecdsaP256Sign, .ecdsaP256Verify: ["speed", "-mr", "-seconds", "1", "ecdhp256", "ecdsap256"]
        }
    }

    /// Picks the figure out of the `-mr` report:
    ///     +F:<n>:<cipher>:<bytes per second>         (-evp with a single -bytes size)
    ///     +F5:<n>:253:<ops per second>:<seconds per op>   (ecdhx25519)
    ///     +F2:<n>:2048:<signs per second>:<verifies per second>   (rsa2048)
    ///     +F4:<n>:256:<signs per second>:<verifies per second>    (ecdsap256)
    ///     +F5:<n>:256:<ops per second>:<seconds per op>           (ecdhp256)
    /// Returns MB/s (10^6 bytes, as OpenSSL's "k" is 1000 bytes) or operations per second.
    func figure(fromMachineReadable report: String) -> Double? {
        let (prefix, field): (String, Int) = switch self {
        case .evp: ("+F:", 3)
        case .x25519, .p256ECDH: ("+F5:", 3)
        case .rsa2048Sign: ("+F2:", 3)
        case .rsa2048Verify: ("+F2:", 4)
        case .ecdsaP256Sign: ("+F4:", 3)
        case .ecdsaP256Verify: ("+F4:", 4)
        }
        for line in report.split(separator: "\n") where line.hasPrefix(prefix) {
            let fields = line.split(separator: ":")
            guard fields.count > field, let value = Double(fields[field]) else { return nil }
            if case .evp = self { return value / 1e6 }
            return value
        }
        return nil
    }
}

/// Runs `openssl speed`, once per distinct command line (the RSA rows share one run, and so do
/// the P-256 rows).
final class OpenSSLSpeed {
    private let executable: URL?
    private var reports: [[String]: Result<String, BenchmarkFailure>] = [:]

    init() {
        executable = findOnPath("openssl")
    }

    func measure(_ test: OpenSSLSpeedTest) -> Result<Double, any Error> {
        guard let executable else { return .failure(BenchmarkFailure("openssl not found")) }
        let arguments = test.arguments
        let report = reports[arguments] ?? Self.run(executable, arguments)
        reports[arguments] = report
        return Result {
            guard let value = test.figure(fromMachineReadable: try report.get()) else {
                throw BenchmarkFailure("unreadable `openssl \(arguments.joined(separator: " "))` output")
            }
            return value
        }
    }

    private static func run(_ executable: URL, _ arguments: [String]) -> Result<String, BenchmarkFailure> {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(BenchmarkFailure("failed: cannot run openssl: \(error)"))
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(BenchmarkFailure("failed: `openssl \(arguments.joined(separator: " "))` exited with \(process.terminationStatus)"))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }
}

struct BenchmarkFailure: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
