import Foundation

/// How long each of our measurements runs. The machine is shared and noisy, so we repeat and
/// keep the best run: the one least disturbed by everything else.
struct TimingPolicy: Sendable {
    /// CPU seconds per run.
    let duration: Double
    let repetitions: Int

    static let standard = TimingPolicy(duration: 0.5, repetitions: 3)
    /// `--quick`: enough to see the order of magnitude, e.g. in CI.
    static let quick = TimingPolicy(duration: 0.1, repetitions: 1)
}

/// Runs `operation` back to back for `policy.duration` CPU seconds, `policy.repetitions` times,
/// and returns the best rate seen, in operations per second.
///
/// Time is this thread's CPU time, not the wall clock, because that is what `openssl speed`
/// counts (its default is user time): on a busy machine the wall clock would also charge us
/// for the time other processes held the core, and the ratio would measure the load.
func bestRate(_ policy: TimingPolicy, _ operation: () throws -> Void) rethrows -> Double {
    var best = 0.0
    for _ in 0..<policy.repetitions {
        var count = 0
        let start = threadCPUSeconds()
        var elapsed = 0.0
        repeat {
            try operation()
            count += 1
            elapsed = threadCPUSeconds() - start
        } while elapsed < policy.duration
        best = max(best, Double(count) / elapsed)
    }
    return best
}

private func threadCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// Keeps a result alive so the optimiser cannot delete the work that produced it.
@inline(never)
func keep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
