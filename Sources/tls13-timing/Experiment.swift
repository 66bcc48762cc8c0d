import Foundation
import TLSCrypto

/// One timing experiment in the manner of dudect: an operation, two classes of secret input,
/// and how many measurements of each.
///
/// `prepare` receives the class of every measurement (0 = the fixed input, 1 = a fresh random
/// one, in random order) and builds all inputs before any timing starts, as dudect does, so the
/// measured interval holds only the operation. It returns the operation on input `i`.
struct Experiment: Sendable {
    let key: String
    let operation: String
    let classes: String
    let measurementsPerClass: Int
    let prepare: @Sendable (_ classes: [UInt8]) throws -> (_ index: Int) throws -> Void

    struct Result {
        let experiment: Experiment
        let measurements: Int
        let outcome: DudectAnalysis.Outcome
        let seconds: Double
    }

    /// Draws the class sequence, prepares the inputs, times every call with the monotonic
    /// clock (`clock_gettime`, read through the vDSO: about 20 ns, with nanosecond resolution
    /// on a TSC clock source), and analyses the times.
    func run(scale: Double) throws -> Result {
        let count = 2 * max(1_000, Int(Double(measurementsPerClass) * scale))
        let random = SystemRandom()
        let classes = try random.bytes(count).map { $0 & 1 }
        let operation = try prepare(classes)
        var times = [UInt64](repeating: 0, count: count)
        let started = monotonicNanoseconds()
        for _ in 0..<min(count, 200) { try operation(0) }  // warm caches and branch predictors
        for i in 0..<count {
            let start = monotonicNanoseconds()
            try operation(i)
            times[i] = monotonicNanoseconds() &- start
        }
        let seconds = Double(monotonicNanoseconds() - started) / 1e9
        return Result(experiment: self, measurements: count, outcome: DudectAnalysis.analyse(times: times, classes: classes), seconds: seconds)
    }
}

@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
}

/// Keeps a result alive so the optimiser cannot delete the work that produced it.
@inline(never)
func keep<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
