import ArgumentParser
import BakeryCore
import Foundation

struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove what is older than the retention policy keeps, and report it per client.",
        discussion: """
            Sync activity and pairs, graph edges, removed CRM records, audit entries and local export files \
            older than their days (whole UTC days before today) are removed; nothing newer is touched, and \
            servers may keep writing meanwhile. Defaults: sync 180, graph 180, removed records 30, audit 730, \
            exports 30 days. --older-than sets every figure; a --keep-… option then overrides its own. The \
            purge is audited; `bakery serve` runs one every night. See docs/privacy.md, Retention.
            Example: bakery purge --older-than 90 --keep-audit-days 730
            """)

    @OptionGroup var database: DatabaseOptions
    @Option(help: ArgumentHelp("Days kept of everything (1 to 3650).", valueName: "days")) var olderThan: Int?
    @OptionGroup var retention: RetentionOptions
    @Option(help: "Export root folder (default: $BAKERY_EXPORTS, else ./exports).") var exportDir: String?
    @Flag(help: "One JSON document on stdout.") var json = false

    func validate() throws {
        try RetentionOptions.check("--older-than", olderThan)
        _ = try policy()
    }

    func policy() throws -> RetentionPolicy {
        try retention.policy(over: olderThan.map(RetentionPolicy.uniform) ?? RetentionPolicy())
    }

    func run() async throws {
        let (actor, store) = try database.session()
        let policy = try policy()
        let now = Date()
        let report = try await Retention(
            store: store, policy: policy, exportRoot: ExportFolder.resolve(exportDir)
        ).run(by: actor, now: now)
        let cutoffs = policy.cutoffs(today: Day(now))
        if json { return try JSONOutput.print(PurgeJSON(policy: policy, cutoffs: cutoffs, report: report)) }
        print(
            "Purged what is older than: sync \(cutoffs.syncDay), graph \(Day(cutoffs.graphBefore)), removed records "
                + "\(Day(cutoffs.removedRecordsBefore)), audit \(Day(cutoffs.auditBefore)), exports \(cutoffs.exportDay).")
        print(PurgeJSON.table(report.clients, exportFiles: report.exportFiles))
        print(
            "Graph edges: \(Figures.grouped(report.graphEdges)); audit entries of no client: "
                + "\(Figures.grouped(report.otherAuditEntries)).")
    }
}

/// `purge --json`: the days kept, the cutoffs they give today, and the report.
struct PurgeJSON: Encodable {
    var policy: RetentionPolicy
    var cutoffs: PurgeCutoffs
    var report: PurgeReport

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(
            [
                "sync_days": policy.syncDays, "graph_days": policy.graphDays,
                "removed_record_days": policy.removedRecordDays, "audit_days": policy.auditDays,
                "export_days": policy.exportDays,
            ], forKey: .keptDays)
        try container.encode(
            [
                "sync": cutoffs.syncDay, "graph": Day(cutoffs.graphBefore), "removed_records": Day(cutoffs.removedRecordsBefore),
                "audit": Day(cutoffs.auditBefore), "exports": cutoffs.exportDay,
            ], forKey: .before)
        try container.encode(report.clients, forKey: .clients)
        try container.encode(report.graphEdges, forKey: .graphEdges)
        try container.encode(report.otherAuditEntries, forKey: .otherAuditEntries)
        try container.encode(report.exportFiles, forKey: .exportFiles)
    }

    enum Key: String, CodingKey {
        case keptDays = "kept_days", before, clients
        case graphEdges = "graph_edges", otherAuditEntries = "other_audit_entries", exportFiles = "export_files"
    }

    /// One line per client with anything removed, or a sentence when there is none.
    static func table(_ clients: [String: RemovedRows], exportFiles: [String: Int] = [:], files: Bool = true) -> String {
        let ids = Set(clients.keys).union(exportFiles.keys).sorted()
        guard !ids.isEmpty else { return "No client had anything to remove." }
        let n = Figures.grouped
        var table = TextTable(
            headers: ["CLIENT", "SYNC PAIRS", "ACTIVITY", "RECORDS", "AUDIT"] + (files ? ["EXPORT FILES"] : []),
            numeric: Set(1...(files ? 5 : 4)))
        table.rows = ids.map { id in
            let rows = clients[id] ?? RemovedRows()
            return [id, n(rows.syncPairs), n(rows.syncActivity), n(rows.records), n(rows.auditEntries)]
                + (files ? [n(exportFiles[id] ?? 0)] : [])
        }
        return table.render()
    }
}
