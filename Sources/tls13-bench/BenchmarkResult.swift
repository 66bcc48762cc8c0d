import Foundation

/// A measured row: our figure and OpenSSL's, ready for the table and the JSON report.
struct BenchmarkResult {
    let row: BenchmarkRow
    let ours: Result<Double, any Error>
    let openssl: OpenSSLFigure

    var oursValue: Double? { try? ours.get() }

    var opensslValue: Double? {
        if case .value(let v) = openssl { return v }
        return nil
    }

    /// ours / OpenSSL: above 1 means we are faster.
    var ratio: Double? {
        guard let ours = oursValue, let theirs = opensslValue, theirs > 0 else { return nil }
        return ours / theirs
    }

    /// An aligned text table: operation, ours, OpenSSL, unit, ratio.
    static func table(_ results: [BenchmarkResult]) -> String {
        let header = ["Operation", "Ours", "OpenSSL", "Unit", "Ours/OpenSSL"]
        let rows: [[String]] = results.map { result in
            let ours: String = switch result.ours {
            case .success(let value): format(value)
            case .failure(let error): "failed: \(error)"
            }
            let openssl: String = switch result.openssl {
            case .value(let value): format(value)
            case .notFound: "openssl not found"
            case .failed(let reason): "failed: \(reason)"
            }
            let ratio = result.ratio.map { String(format: "%.3f", $0) } ?? "-"
            return [result.row.operation, ours, openssl, result.row.unit.rawValue, ratio]
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
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// `{"sha256": {"ours": n, "openssl": n, "unit": "MB/s", "ratio": n}, ...}`, with null for a
    /// figure we could not get (no openssl, a failed run).
    static func json(_ results: [BenchmarkResult]) throws -> Data {
        var report: [String: Any] = [:]
        for result in results {
            var entry: [String: Any] = ["unit": result.row.unit.rawValue]
            entry["ours"] = jsonNumber(result.oursValue, decimals: 1)
            entry["openssl"] = jsonNumber(result.opensslValue, decimals: 1)
            entry["ratio"] = jsonNumber(result.ratio, decimals: 3)
            report[result.row.key] = entry
        }
        return try JSONSerialization.data(withJSONObject: report, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    private static func jsonNumber(_ value: Double?, decimals: Int) -> Any {
        guard let value else { return NSNull() }
        let scale = pow(10, Double(decimals))
        return (value * scale).rounded() / scale
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
