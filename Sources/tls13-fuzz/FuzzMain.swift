import Foundation
import TLSFuzz

// One source file, two programs (see Scripts/fuzz.sh):
//
// - Built normally, `tls13-fuzz FILE|DIR...` replays inputs (a corpus, a crash artifact)
//   through `FuzzEntry.run` and says how many ran; it exits non-zero when one breaks an
//   invariant. A crashing input crashes it, with the stack trace.
// - Built with `-DTLS13_FUZZ -sanitize=fuzzer,address`, it is a libFuzzer binary that takes
//   libFuzzer's flags (`tls13-fuzz -max_total_time=60 CORPUS_DIR`).

#if TLS13_FUZZ

/// libFuzzer calls this once per generated input. A broken invariant traps, so libFuzzer
/// saves the input like any other crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try FuzzEntry.run(input)
    } catch {
        fatalError("invariant violated: \(error)")
    }
    return 0
}

/// libFuzzer's driver (compiler-rt FuzzerInterface.h), declared here because Swift cannot
/// import a C header without a C target:
/// `int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *, size_t));`
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links every executable with `main` aliased to the module's own entry point, so
/// libFuzzer's `main` never runs; this entry point starts libFuzzer's driver instead.
@main
enum FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
    }
}

#else

@main
enum ReplayMain {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.count == 2, arguments.first == "--record-seeds", let directory = arguments.last {
            recordSeeds(into: directory)
            return
        }
        guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) else {
            FileHandle.standardError.write(Data("""
                usage: tls13-fuzz FILE|DIR...
                       tls13-fuzz --record-seeds DIR
                Replays fuzz inputs (e.g. Tests/Fuzz/corpus, or a crash file from fuzz-artifacts/)
                through the fuzz entry function. Scripts/fuzz.sh builds the libFuzzer version.
                --record-seeds writes the server and client targets' seeds: each side's bytes
                of an in-memory connection between our client and our server.

                """.utf8))
            exit(2)
        }
        var outcomes: [FuzzTarget: [FuzzOutcome: Int]] = [:]
        var ran = 0
        var violations = 0
        for path in arguments {
            for file in inputFiles(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("tls13-fuzz: cannot read \(file)\n".utf8))
                    exit(2)
                }
                let input = [UInt8](data)
                ran += 1
                do {
                    let outcome = try FuzzEntry.run(input)
                    if let target = input.first.flatMap(FuzzTarget.init(rawValue:)) {
                        outcomes[target, default: [:]][outcome, default: 0] += 1
                    }
                } catch {
                    violations += 1
                    print("\(file): \(error)")
                }
            }
        }
        for target in FuzzTarget.allCases {
            guard let counts = outcomes[target] else { continue }
            let total = counts.values.reduce(0, +)
            let parts = [(FuzzOutcome.handshakeCompleted, "completed the handshake"), (.accepted, "accepted"), (.rejected, "rejected")]
                .compactMap { outcome, words in counts[outcome].map { "\($0) \(words)" } }
            print("\(target): \(total) input\(total == 1 ? "" : "s"): \(parts.joined(separator: ", "))")
        }
        print("ran \(ran) input\(ran == 1 ? "" : "s"), \(violations) invariant violation\(violations == 1 ? "" : "s")")
        exit(violations == 0 ? 0 : 1)
    }

    /// Each side's stream, whole and in 7-byte chunks (which split record headers), as seeds
    /// for the target that plays the other side.
    static func recordSeeds(into directory: String) {
        do {
            let recording = try HandshakeRecording.record()
            let seeds: [(String, FuzzTarget, [UInt8])] = [
                ("recorded-client-stream", .server, recording.clientToServer),
                ("recorded-server-stream", .client, recording.serverToClient),
            ]
            for (name, target, stream) in seeds {
                for chunkSize: UInt8 in [0, 7] {
                    let file = URL(fileURLWithPath: directory)
                        .appendingPathComponent(String(format: "%02x-%@-chunk%d", target.rawValue, name, chunkSize))
                    try Data([target.rawValue, chunkSize] + stream).write(to: file)
                    print("wrote \(file.path)")
                }
            }
        } catch {
            FileHandle.standardError.write(Data("tls13-fuzz: recording a handshake failed: \(error)\n".utf8))
            exit(1)
        }
    }

    /// The file itself, or every regular file under a directory, in name order.
    static func inputFiles(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return [path]
        }
        let directory = URL(fileURLWithPath: path)
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])?
            .compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        return (files ?? []).map(\.path).sorted()
    }
}

#endif
