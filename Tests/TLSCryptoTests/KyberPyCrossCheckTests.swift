import Foundation
import Testing
import TLSCrypto

/// ML-KEM-768 against kyber-py (PyPI), an independent pure-Python FIPS 203 implementation, on
/// random inputs, in both directions: the same seeds give the same keys and ciphertexts; their
/// key pairs and ciphertexts decapsulate correctly with our code; our key pairs and ciphertexts,
/// and our tampered ciphertexts (implicit rejection), decapsulate to our secrets with theirs.
///
/// kyber-py is installed with pip into a virtual environment under .build-kyber-py/ in the
/// package (reused when it already works), or the one TLS13_KYBER_PY_VENV names. A missing
/// python3 or a failed install fails the test with the reason: the cross-check is part of the
/// suite, not optional.
@Suite("ML-KEM-768 against kyber-py")
struct KyberPyCrossCheckTests {
    struct OurCase: Codable {
        let seed: String, m: String, ek: String, dk: String, ct: String, K: String, tamperedCt: String, rejectionK: String
    }
    struct Input: Codable {
        let ours: [OurCase]
        let theirCount: Int
    }
    struct TheirAnswer: Codable {
        /// For each of our cases: kyber-py's keys from our seed, its encapsulation with our m,
        /// and its decapsulation of our ciphertext and of our tampered ciphertext.
        let ek: String, dk: String, ct: String, K: String, decapsK: String, decapsTamperedK: String
    }
    struct TheirCase: Codable {
        let ek: String, dk: String, ct: String, K: String
    }
    struct Output: Codable {
        let answers: [TheirAnswer]
        let theirs: [TheirCase]
    }

    static let script = """
    import json, sys
    from kyber_py.ml_kem import ML_KEM_768 as M
    request = json.load(sys.stdin)
    h, b = bytes.hex, bytes.fromhex
    answers = []
    for case in request["ours"]:
        ek, dk = M.key_derive(b(case["seed"]))
        K, ct = M._encaps_internal(ek, b(case["m"]))
        answers.append({"ek": h(ek), "dk": h(dk), "ct": h(ct), "K": h(K),
                        "decapsK": h(M.decaps(b(case["dk"]), b(case["ct"]))),
                        "decapsTamperedK": h(M.decaps(b(case["dk"]), b(case["tamperedCt"])))})
    theirs = []
    for _ in range(request["theirCount"]):
        ek, dk = M.keygen()
        K, ct = M.encaps(ek)
        theirs.append({"ek": h(ek), "dk": h(dk), "ct": h(ct), "K": h(K)})
    json.dump({"answers": answers, "theirs": theirs}, sys.stdout)
    """

    @Test("random seeds, messages and key pairs agree in both directions")
    func crossCheck() throws {
        let python = try KyberPy.python()
        let runSeed = try SystemRandom().bytes(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let random = DeterministicRandom(seed: runSeed)
        let context = Comment(rawValue: "DeterministicRandom seed \(runSeed)")

        var ours: [OurCase] = []
        for _ in 0..<8 {
            let seed = try random.bytes(64), m = try random.bytes(32)
            let pair = try MLKEM768.generateKeyPair(seed: seed)
            let encapsulation = try MLKEM768.encapsulate(to: pair.encapsulationKey, message: m)
            var tampered = encapsulation.ciphertext
            tampered[Int(try random.bytes(2).reduce(0) { $0 << 8 | Int($1) }) % tampered.count] ^= 0x80
            let rejection = try MLKEM768.decapsulate(tampered, with: pair.decapsulationKey)
            ours.append(OurCase(seed: seed.hexString, m: m.hexString, ek: pair.encapsulationKey.bytes.hexString,
                                dk: pair.decapsulationKey.bytes.hexString, ct: encapsulation.ciphertext.hexString,
                                K: encapsulation.sharedSecret.hexString, tamperedCt: tampered.hexString, rejectionK: rejection.hexString))
        }
        let input = try JSONEncoder().encode(Input(ours: ours, theirCount: 8))
        let output = try JSONDecoder().decode(Output.self, from: KyberPy.run(python, script: Self.script, input: input))

        try #require(output.answers.count == ours.count, context)
        for (mine, theirs) in zip(ours, output.answers) {
            #expect(theirs.ek == mine.ek, context)
            #expect(theirs.dk == mine.dk, context)
            #expect(theirs.ct == mine.ct, context)
            #expect(theirs.K == mine.K, context)
            #expect(theirs.decapsK == mine.K, context)
            #expect(theirs.decapsTamperedK == mine.rejectionK, context)
            #expect(mine.rejectionK != mine.K, context)
        }
        try #require(output.theirs.count == 8, context)
        for theirs in output.theirs {
            let ek = try MLKEM768.EncapsulationKey(bytes: try #require([UInt8](hex: theirs.ek)))
            let dk = try MLKEM768.DecapsulationKey(bytes: try #require([UInt8](hex: theirs.dk)))
            #expect(dk.encapsulationKey == ek)
            #expect(try MLKEM768.decapsulate(try #require([UInt8](hex: theirs.ct)), with: dk).hexString == theirs.K)
        }
        print("kyber-py cross-check: \(ours.count) of our key pairs and encapsulations, \(output.theirs.count) of theirs")
    }
}

/// A Python virtual environment with kyber-py.
enum KyberPy {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The venv's python, creating the venv and installing kyber-py first if need be.
    static func python() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        let venv = environment["TLS13_KYBER_PY_VENV"].map { URL(fileURLWithPath: $0) }
            ?? RepositoryFile.root.appendingPathComponent(".build-kyber-py/venv")
        let python = venv.appendingPathComponent("bin/python")
        if (try? run(python, script: "import kyber_py", input: Data())) != nil {
            return python
        }
        try runTool("/usr/bin/env", ["python3", "-m", "venv", venv.path], what: "creating a venv with python3 (is python3 with venv installed?)")
        try runTool(python.path, ["-m", "pip", "install", "--quiet", "kyber-py"], what: "pip install kyber-py")
        return python
    }

    /// Runs `script` with `input` on stdin; returns stdout, or throws with stderr.
    static func run(_ python: URL, script: String, input: Data) throws -> Data {
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python failed: \(String(decoding: errors, as: UTF8.self))")
        }
        return output
    }

    private static func runTool(_ path: String, _ arguments: [String], what: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw Failure(description: "\(what): cannot start \(path): \(error)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(what) failed (exit \(process.terminationStatus)): \(String(decoding: message, as: UTF8.self))")
        }
    }
}
