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
    var matchedBefore: Int?
    var matchedAfter: Int?
    var matchRateBefore: Double?
    var matchRateAfter: Double?
    var impact: MatchImpact?
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
        case matchedBefore = "matched_before"
        case matchedAfter = "matched_after"
        case matchRateBefore = "match_rate_before"
        case matchRateAfter = "match_rate_after"
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
        impact = summary.matchImpact
        matchedBefore = impact?.matchedBefore
        matchedAfter = impact?.matchedAfter
        matchRateBefore = impact?.rateBefore
        matchRateAfter = impact?.rateAfter
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
        try container.encode(matchedBefore, forKey: .matchedBefore)
        try container.encode(matchedAfter, forKey: .matchedAfter)
        try container.encode(matchRateBefore, forKey: .matchRateBefore)
        try container.encode(matchRateAfter, forKey: .matchRateAfter)
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
        lines.append("duplicates        \(Figures.grouped(duplicates))")
        switch mode {
        case "remove":
            lines.append("removed           \(Figures.grouped(removed)) (\(Figures.grouped(notFound)) rows matched nothing)")
        case "replace":
            lines.append(
                "added             \(Figures.grouped(added)), kept \(Figures.grouped(alreadyPresent)), removed \(Figures.grouped(removed))"
            )
        default:
            lines.append("added             \(Figures.grouped(added)), already present \(Figures.grouped(alreadyPresent))")
        }
        lines.append("records           \(Figures.grouped(recordsBefore)) -> \(Figures.grouped(recordsAfter))")
        if let impact { lines += impact.lines() }
        lines += FileReadLines.closing(ignoredColumns: ignoredColumns, report: report, reportTruncated: reportTruncated)
        return lines.joined(separator: "\n")
    }
}
