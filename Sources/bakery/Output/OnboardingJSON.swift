import BakeryCore
import Foundation

/// `onboard --json`: the contract's keys, then the detail behind them.
struct OnboardingJSON: Encodable {
    var client: String
    var mode: String
    var dryRun: Bool
    var uploadID: Int64?
    var rows: Int
    var accepted: Int
    var rejected: [String: Int]
    var duplicates: Int
    var recordsBefore: Int
    var recordsAfter: Int
    var added: Int
    var alreadyPresent: Int
    var removed: Int
    var notFound: Int
    var seconds: Double
    var rowsPerSecond: Double
    var ignoredColumns: [String]
    var report: String?
    var reportTruncated: Bool

    enum CodingKeys: String, CodingKey {
        case client, mode, rows, accepted, rejected, duplicates, added, removed, seconds, report
        case dryRun = "dry_run"
        case uploadID = "upload_id"
        case recordsBefore = "records_before"
        case recordsAfter = "records_after"
        case alreadyPresent = "already_present"
        case notFound = "not_found"
        case rowsPerSecond = "rows_per_second"
        case ignoredColumns = "ignored_columns"
        case reportTruncated = "report_truncated"
    }

    init(_ summary: OnboardingSummary) {
        client = summary.client
        mode = summary.mode.rawValue
        dryRun = summary.dryRun
        uploadID = summary.uploadID
        rows = summary.rows
        accepted = summary.accepted
        rejected = summary.rejected.byName
        duplicates = summary.duplicates
        recordsBefore = summary.recordsBefore
        recordsAfter = summary.recordsAfter
        added = summary.added
        alreadyPresent = summary.alreadyPresent
        removed = summary.removed
        notFound = summary.notFound
        seconds = (summary.seconds * 1000).rounded() / 1000
        rowsPerSecond = summary.rowsPerSecond.rounded()
        ignoredColumns = summary.ignoredColumns
        report = summary.report?.path
        reportTruncated = summary.reportIsTruncated
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(client, forKey: .client)
        try container.encode(mode, forKey: .mode)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(uploadID, forKey: .uploadID)
        try container.encode(rows, forKey: .rows)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(duplicates, forKey: .duplicates)
        try container.encode(recordsBefore, forKey: .recordsBefore)
        try container.encode(recordsAfter, forKey: .recordsAfter)
        try container.encode(added, forKey: .added)
        try container.encode(alreadyPresent, forKey: .alreadyPresent)
        try container.encode(removed, forKey: .removed)
        try container.encode(notFound, forKey: .notFound)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(rowsPerSecond, forKey: .rowsPerSecond)
        try container.encode(ignoredColumns, forKey: .ignoredColumns)
        try container.encode(report, forKey: .report)
        try container.encode(reportTruncated, forKey: .reportTruncated)
    }

    /// Human lines, one figure each.
    var text: String {
        var lines = ["\(dryRun ? "dry run (nothing stored): " : "")\(mode) for \(client)"]
        lines += FileReadLines.figures(
            rows: rows, seconds: seconds, rowsPerSecond: rowsPerSecond, accepted: accepted, rejected: rejected)
        lines.append("duplicates        \(Figure.count(duplicates))")
        switch mode {
        case "remove":
            lines.append("removed           \(Figure.count(removed)) (\(Figure.count(notFound)) rows matched nothing)")
        case "replace":
            lines.append(
                "added             \(Figure.count(added)), kept \(Figure.count(alreadyPresent)), removed \(Figure.count(removed))"
            )
        default:
            lines.append("added             \(Figure.count(added)), already present \(Figure.count(alreadyPresent))")
        }
        lines.append("records           \(Figure.count(recordsBefore)) -> \(Figure.count(recordsAfter))")
        lines += FileReadLines.closing(ignoredColumns: ignoredColumns, report: report, reportTruncated: reportTruncated)
        return lines.joined(separator: "\n")
    }
}
