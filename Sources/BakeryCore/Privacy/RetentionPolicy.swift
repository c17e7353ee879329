import Foundation

/// How long Bakery keeps each kind of data (docs/privacy.md, Retention): `bakery purge` and the nightly purge in
/// `bakery serve` remove what is older. Each figure is whole days before the current UTC day.
public struct RetentionPolicy: Sendable, Equatable, Codable {
    /// Days of sync activity (`sync_day`) kept; a sync pair not seen in that time goes with it.
    public var syncDays: Int
    /// Days an identity-graph edge is kept after it was last seen — unless its DA id has sync activity still kept,
    /// so that every kept day's export stays reproducible.
    public var graphDays: Int
    /// Days a CRM record removed by an opt-out or a replace is kept (for lineage) before it goes.
    public var removedRecordDays: Int
    /// Days of audit log kept.
    public var auditDays: Int
    /// Days of local export files (data file, manifest, marker) kept, by the day each file is for.
    public var exportDays: Int

    public init(syncDays: Int = 180, graphDays: Int = 180, removedRecordDays: Int = 30, auditDays: Int = 730, exportDays: Int = 30) {
        self.syncDays = syncDays
        self.graphDays = graphDays
        self.removedRecordDays = removedRecordDays
        self.auditDays = auditDays
        self.exportDays = exportDays
    }

    /// The same number of days for everything (`bakery purge --older-than DAYS`).
    public static func uniform(_ days: Int) -> RetentionPolicy {
        RetentionPolicy(syncDays: days, graphDays: days, removedRecordDays: days, auditDays: days, exportDays: days)
    }

    /// The longest retention an operator may set: ten years.
    public static let maxDays = 3_650

    /// Throws naming the first figure out of 1…``maxDays``. Zero is refused: it would purge today's data, which
    /// the servers are still writing.
    public func validate() throws {
        for (name, days) in [
            ("sync", syncDays), ("graph", graphDays), ("removed records", removedRecordDays), ("audit", auditDays),
            ("exports", exportDays),
        ] where !(1...Self.maxDays).contains(days) {
            throw BakeryError.invalidInput("retention for \(name) must be 1 to \(Self.maxDays) days, not \(days)")
        }
    }

    /// The cutoffs in force on `today`: everything before them goes.
    public func cutoffs(today: Day) -> PurgeCutoffs {
        PurgeCutoffs(
            syncDay: today.adding(days: -syncDays), graphBefore: today.adding(days: -graphDays).start,
            removedRecordsBefore: today.adding(days: -removedRecordDays).start,
            auditBefore: today.adding(days: -auditDays).start, exportDay: today.adding(days: -exportDays))
    }
}

/// What a purge removes: rows (and files) strictly before each cutoff.
public struct PurgeCutoffs: Sendable, Equatable, Codable {
    /// Sync activity of days before this one; sync pairs last seen before its start.
    public var syncDay: Day
    /// Graph edges last seen before this time, unless their DA id has a pair seen on or after ``syncDay``.
    public var graphBefore: Date
    /// Removed (inactive) CRM records last changed before this time.
    public var removedRecordsBefore: Date
    /// Audit entries before this time.
    public var auditBefore: Date
    /// Export files of days before this one.
    public var exportDay: Day

    public init(syncDay: Day, graphBefore: Date, removedRecordsBefore: Date, auditBefore: Date, exportDay: Day) {
        self.syncDay = syncDay
        self.graphBefore = graphBefore
        self.removedRecordsBefore = removedRecordsBefore
        self.auditBefore = auditBefore
        self.exportDay = exportDay
    }
}

/// One purge for ``Store/purge(_:)``: the cutoffs, who runs it and when (its audit entry).
public struct PurgeRequest: Sendable, Equatable {
    public var cutoffs: PurgeCutoffs
    public var actor: Operator
    public var at: Date
    /// Export files already removed, per client (``Retention`` removes them first): counted in the audit entry.
    public var exportFiles: [String: Int]

    public init(cutoffs: PurgeCutoffs, actor: Operator, at: Date = Date(), exportFiles: [String: Int] = [:]) {
        self.cutoffs = cutoffs
        self.actor = actor
        self.at = at
        self.exportFiles = exportFiles
    }
}

/// What a purge removed.
public struct PurgeReport: Sendable, Equatable, Codable {
    /// Per client, by client id; clients with nothing removed are absent.
    public var clients: [String: RemovedRows]
    /// Graph edges are shared by every client: one figure.
    public var graphEdges: Int
    /// Audit entries of no client (client changes, refusals, the demo build).
    public var otherAuditEntries: Int
    /// Local export files removed (data files, manifests and markers), per client; filled by ``Retention``.
    public var exportFiles: [String: Int]

    public init(clients: [String: RemovedRows] = [:], graphEdges: Int = 0, otherAuditEntries: Int = 0, exportFiles: [String: Int] = [:]) {
        self.clients = clients
        self.graphEdges = graphEdges
        self.otherAuditEntries = otherAuditEntries
        self.exportFiles = exportFiles
    }

    enum CodingKeys: String, CodingKey {
        case clients
        case graphEdges = "graph_edges"
        case otherAuditEntries = "other_audit_entries"
        case exportFiles = "export_files"
    }
}

/// Rows of one client removed by a purge or an erasure.
public struct RemovedRows: Sendable, Equatable, Codable {
    public var syncPairs: Int
    /// Per-day activity rows of sync pairs.
    public var syncActivity: Int
    public var records: Int
    public var auditEntries: Int

    public init(syncPairs: Int = 0, syncActivity: Int = 0, records: Int = 0, auditEntries: Int = 0) {
        self.syncPairs = syncPairs
        self.syncActivity = syncActivity
        self.records = records
        self.auditEntries = auditEntries
    }

    public var isEmpty: Bool { syncPairs == 0 && syncActivity == 0 && records == 0 && auditEntries == 0 }

    enum CodingKeys: String, CodingKey {
        case syncPairs = "sync_pairs"
        case syncActivity = "sync_activity"
        case records
        case auditEntries = "audit_entries"
    }
}

extension Sequence where Element == RemovedRows {
    /// The rows of every client added up.
    public var total: RemovedRows {
        reduce(into: RemovedRows()) { sum, rows in
            sum.syncPairs += rows.syncPairs
            sum.syncActivity += rows.syncActivity
            sum.records += rows.records
            sum.auditEntries += rows.auditEntries
        }
    }
}
