import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func addUpload(_ upload: Upload) async throws -> Upload {
        try await write { db in
            try SQLiteStore.requireClient(db, upload.clientID)
            try db.execute(
                sql: """
                    INSERT INTO upload (client_id, mode, source, file_name, started_at, finished_at, rows, accepted,
                        rejected, duplicates, records_before, records_after, status, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    upload.clientID, upload.mode.rawValue, upload.source.rawValue, upload.fileName,
                    upload.startedAt.storedSeconds, upload.finishedAt.storedSeconds, upload.rows, upload.accepted,
                    upload.rejected, upload.duplicates, upload.recordsBefore, upload.recordsAfter,
                    upload.status.rawValue, upload.message,
                ])
            var stored = upload
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func uploads(_ query: UploadQuery, page request: PageRequest) async throws -> Page<Upload> {
        try await read { db in
            var conditions = Conditions()
            if let clientID = query.clientID {
                try SQLiteStore.requireClient(db, clientID)
                conditions.add("client_id = ?", [clientID])
            }
            let keyset = Keyset(key: "started_at", id: "id", descending: true)
            return try keyset.read(
                db, from: "upload", where: conditions, request: request, item: SQLiteStore.upload(from:),
                cursor: keyset.integerCursor)
        }
    }

    public func addExportRun(_ run: ExportRun, audit: AuditEntry?) async throws -> ExportRun {
        try await write { db in
            try SQLiteStore.requireClient(db, run.clientID)
            if let audit { _ = try SQLiteStore.insertAudit(db, audit) }
            try db.execute(
                sql: """
                    INSERT INTO export_run (client_id, day, started_by, started_at, finished_at, rows, file, sha256,
                        bytes, outcome, message)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.clientID, run.day.number, run.startedBy, run.startedAt.storedSeconds,
                    run.finishedAt.storedSeconds, run.rows, run.file, run.sha256, run.bytes, run.outcome.rawValue,
                    run.message,
                ])
            var stored = run
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    public func exportRuns(_ query: ExportRunQuery, page request: PageRequest) async throws -> Page<ExportRun> {
        try await read { db in
            var conditions = Conditions()
            if let clientID = query.clientID {
                try SQLiteStore.requireClient(db, clientID)
                conditions.add("client_id = ?", [clientID])
            }
            if let day = query.day { conditions.add("day = ?", [day.number]) }
            if let outcome = query.outcome { conditions.add("outcome = ?", [outcome.rawValue]) }
            if query.undelivered { conditions.add("delivery = 'failed'") }
            let keyset = Keyset(key: "started_at", id: "id", descending: true)
            return try keyset.read(
                db, from: "export_run", where: conditions, request: request, item: SQLiteStore.exportRun(from:),
                cursor: keyset.integerCursor)
        }
    }

    /// A client's newest export runs, inside another read.
    static func exportRuns(_ db: Database, clientID: String, limit: Int) throws -> [ExportRun] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM export_run WHERE client_id = ? ORDER BY started_at DESC, id DESC LIMIT ?",
            arguments: [clientID, max(0, limit)]
        ).map(SQLiteStore.exportRun(from:))
    }

    public func saveSnapshots(_ snapshots: [MatchSnapshot]) async throws {
        guard !snapshots.isEmpty else { return }
        let encoded = try snapshots.map { try SnapshotKinds.encode($0.byKind) }
        try await write { db in
            for clientID in Set(snapshots.map(\.clientID)) { try SQLiteStore.requireClient(db, clientID) }
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO match_snapshot
                        (client_id, day, records, matched_records, synced_cookies, matched_cookies, by_kind)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
            for (snapshot, byKind) in zip(snapshots, encoded) {
                try upsert.execute(arguments: [
                    snapshot.clientID, snapshot.day.number, snapshot.records, snapshot.matchedRecords,
                    snapshot.syncedCookies, snapshot.matchedCookies, byKind,
                ])
            }
        }
    }

    public func snapshots(clientID: String?, since: Day) async throws -> [MatchSnapshot] {
        try await read { db in
            var conditions = Conditions()
            if let clientID {
                try SQLiteStore.requireClient(db, clientID)
                conditions.add("client_id = ?", [clientID])
            }
            conditions.add("day >= ?", [since.number])
            let decoder = JSONDecoder()
            return try Row.fetchAll(
                db, sql: "SELECT * FROM match_snapshot \(conditions.sql) ORDER BY client_id, day",
                arguments: conditions.arguments
            ).map { row in
                MatchSnapshot(
                    clientID: row["client_id"], day: Day(number: row["day"]), records: row["records"],
                    matchedRecords: row["matched_records"], syncedCookies: row["synced_cookies"],
                    matchedCookies: row["matched_cookies"], byKind: try SnapshotKinds.decode(row["by_kind"], with: decoder))
            }
        }
    }

    public func latestExportRuns() async throws -> [ExportRun] {
        try await read(SQLiteStore.latestExportRuns)
    }

    /// Each client's newest export run, inside another read: per client one step into the end of
    /// `export_run_client`'s slice (PostgreSQL: a LATERAL join or DISTINCT ON).
    static func latestExportRuns(_ db: Database) throws -> [ExportRun] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT e.* FROM client c CROSS JOIN export_run e ON e.id = (
                    SELECT x.id FROM export_run x WHERE x.client_id = c.id ORDER BY x.started_at DESC, x.id DESC LIMIT 1)
                ORDER BY c.id
                """
        ).map(SQLiteStore.exportRun(from:))
    }

    public func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry {
        var stored = entry
        stored.id = try await appendAuditRow(entry)
        return stored
    }

    /// Inserts `entry` inside the caller's transaction: how every change writes its entry with it.
    static func insertAudit(_ db: Database, _ entry: AuditEntry) throws -> Int64 {
        guard !entry.actor.isEmpty, !entry.action.isEmpty else {
            throw BakeryError.invalidInput("an audit entry needs an actor and an action")
        }
        try db.execute(
            sql: "INSERT INTO audit (at, actor, role, action, client_id, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                entry.at.storedSeconds, entry.actor, entry.role?.rawValue, entry.action, entry.clientID,
                entry.outcome.rawValue, entry.detail,
            ])
        return db.lastInsertedRowID
    }

    public func auditEntries(_ query: AuditQuery, page request: PageRequest) async throws -> Page<AuditEntry> {
        try await read { db in
            var conditions = Conditions()
            if let clientID = query.clientID { conditions.add("client_id = ?", [clientID]) }
            if let actor = query.actor { conditions.add("actor = ?", [actor]) }
            // An action or its family: `upload` finds `upload.apply` and `upload.dry_run`.
            if let action = query.action {
                conditions.add("(action = ? OR substr(action, 1, ?) = ?)", [action, action.count + 1, action + "."])
            }
            let keyset = Keyset(key: nil, id: "id", descending: true)
            return try keyset.read(
                db, from: "audit", where: conditions, request: request, item: SQLiteStore.auditEntry(from:),
                cursor: keyset.integerCursor)
        }
    }

    static func auditEntry(from row: Row) -> AuditEntry {
        AuditEntry(
            id: row["id"], at: Date(storedSeconds: row["at"]), actor: row["actor"],
            role: (row["role"] as String?).flatMap(Role.init(rawValue:)), action: row["action"],
            clientID: row["client_id"], outcome: AuditEntry.Outcome(rawValue: row["outcome"]) ?? .succeeded,
            detail: row["detail"])
    }

    static func upload(from row: Row) -> Upload {
        Upload(
            id: row["id"], clientID: row["client_id"], mode: UpdateMode(rawValue: row["mode"]) ?? .add,
            source: Upload.Source(rawValue: row["source"]) ?? .cli, fileName: row["file_name"],
            startedAt: Date(storedSeconds: row["started_at"]), finishedAt: Date(storedSeconds: row["finished_at"]),
            rows: row["rows"], accepted: row["accepted"], rejected: row["rejected"], duplicates: row["duplicates"],
            recordsBefore: row["records_before"], recordsAfter: row["records_after"],
            status: Upload.Status(rawValue: row["status"]) ?? .failed, message: row["message"])
    }

    static func exportRun(from row: Row) -> ExportRun {
        ExportRun(
            id: row["id"], clientID: row["client_id"], day: Day(number: row["day"]), startedBy: row["started_by"],
            startedAt: Date(storedSeconds: row["started_at"]), finishedAt: Date(storedSeconds: row["finished_at"]),
            rows: row["rows"], file: row["file"], sha256: row["sha256"], bytes: row["bytes"],
            outcome: ExportRun.Outcome(rawValue: row["outcome"]) ?? .failed, message: row["message"],
            delivery: delivery(from: row))
    }
}

/// The per-kind figures of a snapshot, kept as a small JSON object keyed by kind.
enum SnapshotKinds {
    static func encode(_ byKind: [IdentifierKind: KindFigures]) throws -> String {
        let keyed = Dictionary(uniqueKeysWithValues: byKind.map { ($0.key.rawValue, $0.value) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(keyed), as: UTF8.self)
    }

    /// - Parameter decoder: one for all the rows of a read: making a decoder costs more than decoding one row.
    static func decode(_ text: String, with decoder: JSONDecoder = JSONDecoder()) throws -> [IdentifierKind: KindFigures] {
        let keyed = try decoder.decode([String: KindFigures].self, from: Data(text.utf8))
        return Dictionary(uniqueKeysWithValues: keyed.compactMap { key, value in
            IdentifierKind(rawValue: key).map { ($0, value) }
        })
    }
}
