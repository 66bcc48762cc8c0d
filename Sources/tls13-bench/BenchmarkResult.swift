import Foundation

/// A measured row: our figure and the reference's (OpenSSL's, or another of our own rows'),
/// ready for the table and the JSON report.
struct BenchmarkResult {
    /// Key in the `--json` report, e.g. "sha256".
    let key: String
    /// What the table shows, e.g. "SHA-256 (16 KiB)".
    let operation: String
    let unit: BenchmarkUnit
    let ours: Result<Double, any Error>
    let reference: Result<Double, any Error>
    /// What the reference is when it is not OpenSSL, e.g. "our X25519".
    var referenceLabel: String? = nil

    var oursValue: Double? { try? ours.get() }
    var referenceValue: Double? { try? reference.get() }

    /// Our speed over the reference's: above 1 means we are faster. For a rate that is ours / theirs,
    /// for a duration theirs / ours; a figure where less is better but zero is normal (CPU used
    /// while idle) has no ratio.
    var ratio: Double? {
        guard let ours = oursValue, let theirs = referenceValue else { return nil }
        switch unit.better {
        case .higher: return theirs > 0 ? ours / theirs : nil
        case .lower: return ours > 0 ? theirs / ours : nil
        case .none: return nil
        }
    }

    /// An aligned text table: operation, ours, reference, unit, ratio. A reference other than
    /// OpenSSL is named after the operation.
    static func table(_ results: [BenchmarkResult]) -> String {
        let header = ["Operation", "Ours", "Reference", "Unit", "Speed ratio"]
        let rows: [[String]] = results.map { result in
            let ratio = result.ratio.map { String(format: "%.3f", $0) } ?? "-"
            let operation = result.referenceLabel.map { "\(result.operation) vs \($0)" } ?? result.operation
            return [operation, cell(result.ours), cell(result.reference), result.unit.rawValue, ratio]
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
        let legend = """
            Reference: OpenSSL, or our own figure where the row says "vs". Speed ratio: our speed / the reference's
            (for times: the reference's time / ours); above 1 means we are faster.
            """
        return ([line(header), rule] + rows.map(line) + [rule, legend]).joined(separator: "\n")
    }

    /// `{"sha256": {"ours": n, "reference": n, "reference_source": "openssl", "unit": "MB/s",
    /// "ratio": n}, ...}`, with null for a figure we could not get (no openssl, a failed run);
    /// reference_source is "openssl" or the label of our own reference row ("our X25519").
    static func json(_ results: [BenchmarkResult]) throws -> Data {
        var report: [String: Any] = [:]
        for result in results {
            var entry: [String: Any] = ["unit": result.unit.rawValue]
            entry["ours"] = jsonNumber(result.oursValue, decimals: 3)
            entry["reference"] = jsonNumber(result.referenceValue, decimals: 3)
            entry["reference_source"] = result.referenceLabel ?? "openssl"
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
