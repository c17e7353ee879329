import BakeryCore
import Foundation

/// `graph import --json`.
struct GraphImportJSON: Encodable {
    var file: String
    var rows: Int
    var accepted: Int
    var rejected: [String: Int]
    var edges: Int
    var seconds: Double
    var rowsPerSecond: Double
    var ignoredColumns: [String]
    var report: String?
    var reportTruncated: Bool

    enum CodingKeys: String, CodingKey {
        case file, rows, accepted, rejected, edges, seconds, report
        case rowsPerSecond = "rows_per_second"
        case ignoredColumns = "ignored_columns"
        case reportTruncated = "report_truncated"
    }

    init(_ summary: GraphImportSummary) {
        file = summary.file.path
        rows = summary.rows
        accepted = summary.accepted
        rejected = summary.rejected.byName
        edges = summary.edges
        seconds = (summary.seconds * 1000).rounded() / 1000
        rowsPerSecond = summary.rowsPerSecond.rounded()
        ignoredColumns = summary.ignoredColumns
        report = summary.report?.path
        reportTruncated = summary.reportIsTruncated
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(rows, forKey: .rows)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(edges, forKey: .edges)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(rowsPerSecond, forKey: .rowsPerSecond)
        try container.encode(ignoredColumns, forKey: .ignoredColumns)
        try container.encode(report, forKey: .report)
        try container.encode(reportTruncated, forKey: .reportTruncated)
    }

    /// Human lines, one figure each.
    var text: String {
        var lines = ["graph import \(file)"]
        lines += FileReadLines.figures(
            rows: rows, seconds: seconds, rowsPerSecond: rowsPerSecond, accepted: accepted, rejected: rejected)
        lines.append("edges             \(Figures.grouped(edges))")
        lines += FileReadLines.closing(ignoredColumns: ignoredColumns, report: report, reportTruncated: reportTruncated)
        return lines.joined(separator: "\n")
    }
}
