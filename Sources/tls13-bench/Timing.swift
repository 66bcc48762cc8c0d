/// How long each of our measurements runs. The machine is shared and noisy, so we repeat and
/// keep the best run: the one least disturbed by everything else.
struct TimingPolicy: Sendable {
    let duration: Duration
    let repetitions: Int

    static let standard = TimingPolicy(duration: .milliseconds(500), repetitions: 3)
    /// `--quick`: enough to see the order of magnitude, e.g. in CI.
    static let quick = TimingPolicy(duration: .milliseconds(100), repetitions: 1)
}

/// Runs `operation` back to back for `policy.duration`, `policy.repetitions` times, and returns
/// the best rate seen, in operations per second.
func bestRate(_ policy: TimingPolicy, _ operation: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    var best = 0.0
    for _ in 0..<policy.repetitions {
        var count = 0
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            try operation()
            count += 1
            elapsed = clock.now - start
        } while elapsed < policy.duration
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        best = max(best, Double(count) / seconds)
    }
    return best
}

/// Keeps a result alive so the optimiser cannot delete the work that produced it.
@inline(never)
func keep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
