import Foundation

/// Welch's t statistic for two samples of unequal variance (Welch, "The generalization of
/// 'Student's' problem when several different population variances are involved", Biometrika
/// 1947):
///
///     t = (mean₀ − mean₁) / √(var₀/n₀ + var₁/n₁)
///
/// accumulated one value at a time with Welford's update (Technometrics 1962), so that a
/// million measurements sum without the cancellation of Σx² − (Σx)²/n.
struct WelchTest {
    private var count = [0.0, 0.0]
    private var mean = [0.0, 0.0]
    private var squaredDeviations = [0.0, 0.0]

    mutating func add(_ value: Double, toClass c: Int) {
        count[c] += 1
        let delta = value - mean[c]
        mean[c] += delta / count[c]
        squaredDeviations[c] += delta * (value - mean[c])
    }

    var measurements: Int { Int(count[0] + count[1]) }

    func mean(ofClass c: Int) -> Double { mean[c] }

    var t: Double {
        guard count[0] > 1, count[1] > 1 else { return 0 }
        let variance0 = squaredDeviations[0] / (count[0] - 1), variance1 = squaredDeviations[1] / (count[1] - 1)
        let standardError = (variance0 / count[0] + variance1 / count[1]).squareRoot()
        return standardError > 0 ? (mean[0] - mean[1]) / standardError : 0
    }
}

/// The statistics of dudect (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?",
/// DATE 2017, and its reference code github.com/oreparaz/dudect) over one experiment's
/// measurements: the largest |t| among
///
/// - the plain first-order test on every measurement;
/// - the same test cropped at each of 100 thresholds, the percentiles 1 − 0.5^(10·(k+1)/100)
///   for k = 0..<100 of all measurements (from the 7th to above the 99.9th): cropping cuts the
///   long upper tail that interrupts, migrations and frequency changes add, which would swamp a
///   small difference in the body of the distribution;
/// - a second-order test on (x − mean of x's class)², which sees a difference in spread.
///
/// dudect takes its percentiles from the first measurements and streams the rest; we keep all
/// measurements and take them from the whole run. Like dudect, a test that kept fewer than
/// 10,000 measurements does not count (its t is too noisy to mean anything).
struct DudectAnalysis {
    struct Outcome {
        let maxT: Double
        /// Which test gave `maxT`: "raw", "crop p=0.xxx" or "2nd order".
        let test: String
        let meanNanoseconds: (Double, Double)
    }

    static let percentileCount = 100
    static let enoughMeasurements = 10_000

    static func analyse(times: [UInt64], classes: [UInt8]) -> Outcome {
        let sorted = times.sorted()
        let percentiles = (0..<percentileCount).map { k in 1 - pow(0.5, 10 * Double(k + 1) / Double(percentileCount)) }
        let thresholds = percentiles.map { sorted[min(sorted.count - 1, Int($0 * Double(sorted.count)))] }

        var raw = WelchTest()
        var cropped = [WelchTest](repeating: WelchTest(), count: percentileCount)
        for (time, c) in zip(times, classes) {
            let value = Double(time), c = Int(c)
            raw.add(value, toClass: c)
            for k in 0..<percentileCount where time < thresholds[k] {
                cropped[k].add(value, toClass: c)
            }
        }
        var secondOrder = WelchTest()
        for (time, c) in zip(times, classes) {
            let deviation = Double(time) - raw.mean(ofClass: Int(c))
            secondOrder.add(deviation * deviation, toClass: Int(c))
        }

        var candidates = [("raw", raw), ("2nd order", secondOrder)]
        for k in 0..<percentileCount {
            candidates.append((String(format: "crop p=%.3f", percentiles[k]), cropped[k]))
        }
        let counted = candidates.filter { $0.1.measurements >= enoughMeasurements }
        let worst = (counted.isEmpty ? [("raw", raw)] : counted).max { abs($0.1.t) < abs($1.1.t) }!
        return Outcome(maxT: abs(worst.1.t), test: worst.0, meanNanoseconds: (raw.mean(ofClass: 0), raw.mean(ofClass: 1)))
    }
}
