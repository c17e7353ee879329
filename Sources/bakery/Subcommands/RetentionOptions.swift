import ArgumentParser
import BakeryCore

/// `--keep-sync-days` and the other retention figures, shared by `purge` and the nightly purge of `serve`
/// (docs/privacy.md, Retention). Each is days before the current UTC day; unset keeps the policy's default.
struct RetentionOptions: ParsableArguments {
    private static let defaults = RetentionPolicy()
    @Option(help: ArgumentHelp("Days of sync activity kept; a pair not seen since goes with it (default \(Self.defaults.syncDays)).", valueName: "days"))
    var keepSyncDays: Int?
    @Option(
        help: ArgumentHelp(
            "Days a graph edge is kept after it was last seen, longer while its DA id has activity kept (default \(Self.defaults.graphDays)).",
            valueName: "days"))
    var keepGraphDays: Int?
    @Option(help: ArgumentHelp("Days a CRM record removed by an opt-out or a replace is kept (default \(Self.defaults.removedRecordDays)).", valueName: "days"))
    var keepRemovedRecordDays: Int?
    @Option(help: ArgumentHelp("Days of audit log kept (default \(Self.defaults.auditDays)).", valueName: "days")) var keepAuditDays: Int?
    @Option(help: ArgumentHelp("Days of export files (data, manifest, marker) kept (default \(Self.defaults.exportDays)).", valueName: "days"))
    var keepExportDays: Int?

    /// `base` (the defaults, or `--older-than` for every kind) with each figure given here in its place.
    func policy(over base: RetentionPolicy = RetentionPolicy()) throws -> RetentionPolicy {
        for (option, days) in [
            ("--keep-sync-days", keepSyncDays), ("--keep-graph-days", keepGraphDays),
            ("--keep-removed-record-days", keepRemovedRecordDays), ("--keep-audit-days", keepAuditDays),
            ("--keep-export-days", keepExportDays),
        ] {
            try Self.check(option, days)
        }
        var policy = base
        if let keepSyncDays { policy.syncDays = keepSyncDays }
        if let keepGraphDays { policy.graphDays = keepGraphDays }
        if let keepRemovedRecordDays { policy.removedRecordDays = keepRemovedRecordDays }
        if let keepAuditDays { policy.auditDays = keepAuditDays }
        if let keepExportDays { policy.exportDays = keepExportDays }
        do {
            try policy.validate()
        } catch {
            throw ValidationError(error.localizedDescription)
        }
        return policy
    }

    /// Refuses a figure outside 1…3650, naming its option.
    static func check(_ option: String, _ days: Int?) throws {
        guard let days, !(1...RetentionPolicy.maxDays).contains(days) else { return }
        throw ValidationError("\(option) must be between 1 and \(RetentionPolicy.maxDays) days, got \(days)")
    }
}
