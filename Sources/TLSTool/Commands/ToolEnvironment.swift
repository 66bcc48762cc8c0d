import Foundation
import TLS13
import TLSCrypto

/// What the client, server and demo set up the same way: colours, warnings, the key log,
/// the step gate and the random source.
public struct ToolEnvironment: Sendable {
    public var program: String
    public var traceStyle: TextStyle
    public var errorStyle: TextStyle
    public var keyLog: KeyLogWriter?
    public var stepGate: StepGate?
    /// `--explain` / `--lang`: the language of the trace's reasons, nil for none.
    public var explain: Language?
    /// The trace's width: lines wrap there (`TerminalWidth`: COLUMNS, the terminal, or 80).
    public var width: Int

    public init(program: String, noColor: Bool, keyLogPath: String?, step: Bool,
                explain: Language? = nil) throws(CredentialError) {
        self.program = program
        self.explain = explain
        width = TerminalWidth.current(fileDescriptor: STDOUT_FILENO)
        traceStyle = TextStyle(isEnabled: shouldUseColor(fileDescriptor: STDOUT_FILENO, noColorFlag: noColor))
        errorStyle = TextStyle(isEnabled: shouldUseColor(fileDescriptor: STDERR_FILENO, noColorFlag: noColor))
        let paths = KeyLogWriter.paths(flag: keyLogPath)
        if paths.isEmpty {
            keyLog = nil
        } else {
            do {
                keyLog = try KeyLogWriter(paths: paths)
            } catch {
                throw CredentialError("\(error)")
            }
        }
        stepGate = nil
        if step {
            stepGate = StepGate()
            if stepGate == nil { warn("--step needs a terminal (/dev/tty) to read Enter from; running without pauses") }
        }
    }

    /// True while --step pauses (until the learner answers a prompt with q): the stepping side
    /// then waits for its peer without a deadline, since the pauses are its own.
    public var isStepping: Bool { stepGate?.isStepping ?? false }

    /// The deadline for a wait of `seconds`, or none while stepping.
    public func deadline(seconds: Int) -> ContinuousClock.Instant? {
        isStepping ? nil : .now + .seconds(seconds)
    }

    /// How long a side waits for its peer's part of the handshake (`seconds`, or as long as it
    /// takes while this side steps), and what it says once the peer has been silent a while: in
    /// the trace when there is one, else on stderr. A peer stepping with --step is just slow.
    public func handshakeWait(seconds: Int, peer: Side, trace: TracePrinter?) -> HandshakeWait {
        let limit = isStepping ? "waits as long as it takes (--step)" : "gives up after \(seconds) s (--handshake-timeout S)"
        return HandshakeWait(deadline: deadline(seconds: seconds)) { [self] elapsed in
            let text = "the \(peer) has sent nothing for \(elapsed.components.seconds) s (slow, or stepping with --step); this side \(limit)"
            if let trace { trace.observe(.note(text)) } else { report(text) }
        }
    }

    /// "tls13-client: message" on stderr.
    public func report(_ message: String) {
        FileDescriptorSink.standardError.write("\(program): \(message)\n")
    }

    public func warn(_ message: String) {
        FileDescriptorSink.standardError.write(errorStyle.apply("\(program): warning: \(message)", .bold, .yellow) + "\n")
    }

    public func warnDeterministic() {
        let text = """
            \(program): WARNING: --deterministic: every random value (hello randoms, x25519 keys, PSS salts)
            \(program): WARNING: comes from a fixed seed, so anyone can recompute this connection's keys.
            \(program): WARNING: It is for teaching and reproducible transcripts only. INSECURE.
            """
        FileDescriptorSink.standardError.write(errorStyle.apply(text, .bold, .red) + "\n")
    }

    /// The trace of one connection side on stdout, pausing before each step with --step.
    public func tracePrinter(side: Side, tag: String? = nil, view: TraceView = .standard) -> TracePrinter {
        var beforeStep: (@Sendable (String) -> Void)?
        if let gate = stepGate { beforeStep = { gate.wait(next: $0) } }
        return TracePrinter(side: side, tag: tag, view: view, style: traceStyle, sink: FileDescriptorSink.standardOutput,
                            beforeStep: beforeStep, explain: explain, width: width)
    }

    /// Writes the --capture file, if any, once its connection is over; a failure is reported,
    /// since the connection itself went as it went.
    public func write(_ capture: CaptureFile?) {
        guard let capture else { return }
        do {
            try capture.write()
        } catch {
            report("cannot write the capture \(capture.path): \(error)")
        }
    }

    /// The observers of one connection: the trace (if any), the key log and the capture (--capture).
    public func observer(trace: TracePrinter?, capture: CaptureFile? = nil) -> TLSObserver? {
        let keyLog = keyLog
        if trace == nil && keyLog == nil && capture == nil { return nil }
        return { event in
            keyLog?.observe(event)
            capture?.observe(event)
            trace?.observe(event)
        }
    }
}

/// The fixed seeds of --deterministic: different for each side, so the two hello randoms and
/// key shares differ as they would in a real connection. ASCII "client" and "server".
public enum DeterministicSeed {
    public static let client: UInt64 = 0x63_6c_69_65_6e_74
    public static let server: UInt64 = 0x73_65_72_76_65_72

    public static func seed(for side: Side) -> UInt64 { side == .client ? client : server }
}

/// A fresh random source for one connection.
public func makeRandomSource(deterministic: Bool, side: Side) -> any RandomSource {
    deterministic ? DeterministicRandom(seed: DeterministicSeed.seed(for: side)) : SystemRandom()
}

/// What `TLSSession.completeHandshake` needs from the tool: when to give up, what to say meanwhile.
public struct HandshakeWait {
    public var deadline: ContinuousClock.Instant?
    public var peerIsSlow: (Duration) -> Void

    public init(deadline: ContinuousClock.Instant?, peerIsSlow: @escaping (Duration) -> Void = { _ in }) {
        self.deadline = deadline
        self.peerIsSlow = peerIsSlow
    }
}
