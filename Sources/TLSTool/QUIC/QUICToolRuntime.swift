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
    private var dropRandom: SplitMix64

    init(options: QUICOptions, program: String) throws(CredentialError) {
        self.options = options
        environment = try ToolEnvironment(program: program, noColor: options.noColor, keyLogPath: options.keyLogPath, step: options.step)
        let gate = environment.stepGate
        trace = options.quiet ? nil : QUICTracePrinter(side: options.side, style: environment.traceStyle, sink: FileDescriptorSink.standardOutput,
                                                       width: environment.width,
                                                       beforeDatagram: gate.map { gate in { gate.wait(next: "the next datagram") } })
        dropRandom = SplitMix64(seed: options.deterministic ? 0x64726f70 : UInt64.random(in: 0...UInt64.max))
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
        guard options.dropPercent > 0, Int(dropRandom.next() % 100) < options.dropPercent else { return false }
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

/// A tiny deterministic generator for `--drop` (splitmix64).
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
