import Foundation

/// A measured row: our figure and OpenSSL's, ready for the table and the JSON report.
struct BenchmarkResult {
    /// Key in the `--json` report, e.g. "sha256".
    let key: String
    /// What the table shows, e.g. "SHA-256 (16 KiB)".
    let operation: String
    let unit: BenchmarkUnit
    let ours: Result<Double, any Error>
    let openssl: Result<Double, any Error>

    var oursValue: Double? { try? ours.get() }
    var opensslValue: Double? { try? openssl.get() }

    /// Our speed over OpenSSL's: above 1 means we are faster. For a rate that is ours / theirs,
    /// for a duration theirs / ours; a figure where less is better but zero is normal (CPU used
    /// while idle) has no ratio.
    var ratio: Double? {
        guard let ours = oursValue, let theirs = opensslValue else { return nil }
        switch unit.better {
        case .higher: return theirs > 0 ? ours / theirs : nil
        case .lower: return ours > 0 ? theirs / ours : nil
        case .none: return nil
        }
    }

    /// An aligned text table: operation, ours, OpenSSL, unit, ratio.
    static func table(_ results: [BenchmarkResult]) -> String {
        let header = ["Operation", "Ours", "OpenSSL", "Unit", "Speed ratio"]
        let rows: [[String]] = results.map { result in
            let ratio = result.ratio.map { String(format: "%.3f", $0) } ?? "-"
            return [result.operation, cell(result.ours), cell(result.openssl), result.unit.rawValue, ratio]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        // Text columns align left, numbers right.
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 || column == 3 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        let rule = String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))
        let legend = "Speed ratio: our speed / OpenSSL's (for times: OpenSSL's time / ours); above 1 means we are faster."
        return ([line(header), rule] + rows.map(line) + [rule, legend]).joined(separator: "\n")
    }

    /// `{"sha256": {"ours": n, "openssl": n, "unit": "MB/s", "ratio": n}, ...}`, with null for a
    /// figure we could not get (no openssl, a failed run).
    static func json(_ results: [BenchmarkResult]) throws -> Data {
        var report: [String: Any] = [:]
        for result in results {
            var entry: [String: Any] = ["unit": result.unit.rawValue]
            entry["ours"] = jsonNumber(result.oursValue, decimals: 3)
            entry["openssl"] = jsonNumber(result.opensslValue, decimals: 3)
            entry["ratio"] = jsonNumber(result.ratio, decimals: 3)
            report[result.key] = entry
        }
        return try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    private static func jsonNumber(_ value: Double?, decimals: Int) -> Any {
        guard let value else { return NSNull() }
        let scale = pow(10, Double(decimals))
        return (value * scale).rounded() / scale
    }

    private static func cell(_ figure: Result<Double, any Error>) -> String {
        switch figure {
        case .success(let value) where value < 10: String(format: "%.2f", value)
        case .success(let value): String(format: "%.1f", value)
        case .failure(let failure as BenchmarkFailure): failure.reason
        case .failure(let error): "failed: \(error)"
        }
    }
}
