import Foundation
import QUIC
import TLS13
import TLSCrypto

/// What `quic-client` and `quic-server` share: the clock, the trace (QUIC's own layout, TLS's
/// events through the TLS tools' printer), the key log, the capture, and `--drop`.
final class QUICToolRuntime {
    let options: QUICOptions
    let environment: ToolEnvironment
    let start = ContinuousClock.now
    let trace: QUICTracePrinter?
    let sink = FileDescriptorSink.standardOutput
    var capture: QUICCapture?
    /// `--drop`'s dice: the fixed-seed source with --deterministic, so a run loses the same datagrams.
    private let dropRandom: any RandomSource

    init(options: QUICOptions, program: String) throws(CredentialError) {
        self.options = options
        environment = try ToolEnvironment(program: program, noColor: options.noColor, keyLogPath: options.keyLogPath, step: options.step)
        let gate = environment.stepGate
        trace = options.quiet ? nil : QUICTracePrinter(side: options.side, style: environment.traceStyle, sink: FileDescriptorSink.standardOutput,
                                                       width: environment.width,
                                                       beforeDatagram: gate.map { gate in { gate.wait(next: "the next datagram") } })
        dropRandom = options.deterministic ? DeterministicRandom(seed: 0x64726f70) : SystemRandom()
    }

    /// Seconds since the tool started (the connection's clock).
    var now: Double {
        let (seconds, attoseconds) = start.duration(to: .now).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    func setPeer(_ description: String) { trace?.peer = description }

    func observe(_ event: QUICEvent) {
        capture?.observe(event)
        if case .tls(let tlsEvent) = event { environment.keyLog?.observe(tlsEvent) }
        trace?.observe(event)
    }

    /// `--drop`: whether this datagram is lost on purpose (and the trace says so).
    func dropped(_ datagram: [UInt8], sent: Bool) -> Bool {
        // Two random bytes modulo 100: the bias (65536 is not a multiple of 100) is under 0.1%.
        guard options.dropPercent > 0, let roll = try? dropRandom.bytes(2),
              (Int(roll[0]) << 8 | Int(roll[1])) % 100 < options.dropPercent else { return false }
        trace?.note("\n" + environment.traceStyle.apply("✂ --drop: \(sent ? "sent" : "received") datagram of \(datagram.count) bytes lost on purpose", .yellow) + "\n")
        return true
    }

    func writeCapture() {
        guard let capture else { return }
        do { try capture.write() } catch { environment.report("cannot write the capture \(capture.path): \(error)") }
    }

    /// The TLS side of the configuration, as the TLS tools build it.
    func tlsConfiguration() throws(CredentialError) -> TLSConfiguration {
        var tls = TLSConfiguration()
        tls.random = makeRandomSource(deterministic: options.deterministic, side: options.side)
        tls.applicationProtocols = options.applicationProtocols
        if options.side == .server {
            let credentials = try ServerCredentials.load(certificatePath: options.certificatePath, keyPath: options.keyPath)
            tls.certificateChain = credentials.certificateChain
            tls.privateKey = credentials.privateKey
            tls.ticketCount = 0
        } else {
            tls.trustAnchors = try loadTrustAnchors(path: options.caPath)
            tls.serverName = options.serverName ?? options.host
        }
        if options.deterministic { tls.clock = { DeterministicClock.milliseconds } }
        return tls
    }

    /// Sleeps in poll until one of `fds` is readable or `deadline` (seconds on `now`) passes.
    func wait(_ fds: [Int32], until deadline: Double?) -> Set<Int32> {
        let instant = deadline.map { start + .milliseconds(Int64(max(0, $0) * 1000)) }
        return Polling.readable(fds, until: instant ?? (.now + .seconds(3600)))
    }
}
