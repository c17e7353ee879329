import Foundation

/// The chain behind one sync pair, as support needs it to answer "why is this cookie (not) in yesterday's file?":
/// the pair and the days it was seen → its DA id's hashed identifiers in the identity graph → the client's CRM
/// records holding them (active or removed, and the upload that last changed each) → the export of the day and
/// whether the written file holds the cookie.
public struct SyncLineage: Sendable, Equatable {
    public var pair: SyncPair
    /// Hits per UTC day over the last ``activityDays`` days.
    public var activity: [Day: Int]
    /// The graph's edges of the DA id: each hashed identifier it was seen with.
    public var identifiers: [GraphEdge]
    /// The client's records holding one of those hashes.
    public var records: [RecordMatch]
    /// The export day asked about.
    public var day: Day
    /// The newest export run of that day, if any.
    public var run: ExportRun?
    public var file: FileCheck
    public var verdict: Verdict

    public static let activityDays = 30

    /// What reading the day's file found.
    public enum FileCheck: Sendable, Equatable {
        /// The file pairs the cookie with these record ids.
        case found([String])
        /// The file was read and does not hold the cookie.
        case absent
        /// No succeeded run of the day, or its file is gone or unreadable (the reason).
        case notChecked(String)
    }

    /// The answer, with the first reason that decides it.
    public enum Verdict: Sendable, Equatable {
        /// The day's file pairs the cookie with these records.
        case inFile([String])
        /// Not seen on the day, so not in its delta file.
        case notSeen(lastSeen: Date)
        /// The DA id has no hashed identifier in the identity graph: nothing to match on.
        case noIdentifiers
        /// No CRM record of the client holds any of the DA id's hashes.
        case noRecords
        /// Records matched, but all are removed; the upload that removed the last one, when known.
        case recordsRemoved(by: Upload?)
        /// Seen and matched, but the day has no succeeded export yet (the failure message, when one failed).
        case notExported(failure: String?)
        /// Seen and matched now, and the day's file was written without it: a matching record or graph edge changed
        /// after the file was written.
        case matchedAfterExport
        /// Seen and matched now by records and edges older than the file, which does not hold it: the day's syncs
        /// of the cookie reached the store after the file was written.
        case syncedAfterExport
        /// Seen and matched, the day was exported, and its file could not be read to check.
        case exportedUnchecked(String)
    }

    /// The records that are active.
    public var activeRecords: [RecordMatch] { records.filter(\.active) }

    /// Reads the chain for `pair` of `client` and decides about `day`'s file (under `exportRoot` when the run's file
    /// path is relative).
    public static func load(
        store: any Store, client: Client, pair: SyncPair, day: Day, now: Date = Date()
    ) async throws -> SyncLineage {
        let since = Day(now).adding(days: -(activityDays - 1))
        async let activity = store.syncActivity(
            partner: pair.partner, cookieID: pair.cookieID, daID: pair.daID, since: since)
        async let edges = store.graphEdges(node: .daID(pair.daID))
        async let runs = store.exportRuns(ExportRunQuery(clientID: client.id, day: day), page: PageRequest(limit: 5))
        let identifiers = try await edges
        let records = try await store.records(clientID: client.id, matching: identifiers.map(\.identifier.hash))
        let dayRuns = try await runs.items
        let run = dayRuns.first { $0.outcome == .succeeded } ?? dayRuns.first
        let file = check(run: run, cookieID: pair.cookieID, profile: ExportProfile.forKind(client.dmp))
        var lineage = SyncLineage(
            pair: pair, activity: try await activity, identifiers: identifiers, records: records, day: day, run: run,
            file: file, verdict: .noRecords)
        lineage.verdict = lineage.decide()
        return lineage
    }

    private static func check(run: ExportRun?, cookieID: String, profile: ExportProfile) -> FileCheck {
        guard let run, run.outcome == .succeeded else { return .notChecked("no succeeded export of the day") }
        guard let file = run.localFile, FileManager.default.fileExists(atPath: file.path) else {
            return .notChecked("the file \(run.file ?? "") is not on this machine")
        }
        do {
            let ids = try ExportFileSearch.recordIDs(of: cookieID, in: file, profile: profile)
            return ids.isEmpty ? .absent : .found(ids)
        } catch {
            return .notChecked("the file cannot be read: \((error as? BakeryError)?.localizedDescription ?? "\(error)")")
        }
    }

    /// The verdict from the facts: the file when it was read, else the first missing link of the chain.
    func decide() -> Verdict {
        if case .found(let ids) = file { return .inFile(ids) }
        if activity[day] == nil { return .notSeen(lastSeen: pair.lastSeen) }
        if identifiers.isEmpty { return .noIdentifiers }
        if records.isEmpty { return .noRecords }
        if activeRecords.isEmpty {
            let last = records.max { ($0.updatedAt, $0.upload?.id ?? 0) < ($1.updatedAt, $1.upload?.id ?? 0) }
            return .recordsRemoved(by: last?.upload)
        }
        switch file {
        case .absent:
            let changed = (activeRecords.map(\.updatedAt) + identifiers.map(\.lastSeen)).max()
            if let run, let changed, changed > run.startedAt { return .matchedAfterExport }
            return .syncedAfterExport
        case .notChecked(let reason):
            guard let run, run.outcome == .succeeded else { return .notExported(failure: run?.message) }
            return .exportedUnchecked(reason)
        case .found(let ids): return .inFile(ids)
        }
    }

    /// One sentence for the panel: what happened to the cookie and the day's file.
    public var explanation: String {
        switch verdict {
        case .inFile(let ids):
            let records = ids.count == 1 ? "record \(ids[0])" : "\(ids.count) records"
            return "In the \(day) file, paired with \(records)."
        case .notSeen(let lastSeen):
            return "Not in the \(day) file: the cookie was not seen that day (last seen \(Figures.minute(lastSeen)))."
        case .noIdentifiers:
            return "Not in the \(day) file: its DA id has no hashed identifier in the identity graph."
        case .noRecords:
            return "Not in the \(day) file: none of the DA id's \(identifiers.count) hashed identifiers is in the "
                + "client's CRM records."
        case .recordsRemoved(let upload):
            let by = upload.map { " by upload #\($0.id ?? 0) \($0.fileName) (\($0.mode.rawValue), \(Figures.minute($0.startedAt)))" }
            return "Not in the \(day) file: its matching records were removed\(by ?? "")."
        case .notExported(let failure):
            return failure.map { "The \(day) export failed: \($0)" } ?? "The \(day) export has not run yet."
        case .matchedAfterExport:
            return "Not in the \(day) file, which was written before the cookie matched (it matches now); "
                + "running the day's export again includes it."
        case .syncedAfterExport:
            return "Not in the \(day) file, though it matches: its syncs of that day reached Bakery after the file "
                + "was written; running the day's export again includes it."
        case .exportedUnchecked(let reason):
            return "Seen and matched; the \(day) export ran, but \(reason)."
        }
    }
}
