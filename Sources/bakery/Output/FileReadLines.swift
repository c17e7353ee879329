import BakeryCore
import Foundation

/// The human lines `onboard` and `graph import` share: what was read, and what was ignored or reported.
enum FileReadLines {
    /// Rows with time and rate, accepted, rejected with one line per reason.
    static func figures(rows: Int, seconds: Double, rowsPerSecond: Double, accepted: Int, rejected: [String: Int])
        -> [String]
    {
        var lines = [
            "rows              \(Figures.grouped(rows)) in \(String(format: "%.2f", seconds)) s (\(Figures.grouped(Int(rowsPerSecond))) rows/s)",
            "accepted          \(Figures.grouped(accepted))",
            "rejected          \(Figures.grouped(rejected.values.reduce(0, +)))",
        ]
        for (reason, count) in rejected.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(reason.padding(toLength: 20, withPad: " ", startingAt: 0)) \(Figures.grouped(count))")
        }
        return lines
    }

    /// Ignored header columns and the rejection report, when there are any.
    static func closing(ignoredColumns: [String], report: String?, reportTruncated: Bool) -> [String] {
        var lines: [String] = []
        if !ignoredColumns.isEmpty { lines.append("ignored columns   \(ignoredColumns.joined(separator: ", "))") }
        if let report { lines.append("report            \(report)\(reportTruncated ? " (first rows only)" : "")") }
        return lines
    }
}
