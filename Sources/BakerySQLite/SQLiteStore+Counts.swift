import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func counts(clientID: String, now: Date) async throws -> ClientCounts {
        try await read { db in
            try SQLiteStore.requireClient(db, clientID)
            var counts = ClientCounts()
            for row in try Row.fetchAll(
                db, sql: "SELECT active, count(*) AS n FROM crm_record WHERE client_id = ? GROUP BY active",
                arguments: [clientID])
            {
                if row["active"] as Bool { counts.activeRecords = row["n"] } else { counts.removedRecords = row["n"] }
            }
            // One pass per kind with EXISTS on the identifier primary key (record, kind, …), rather than
            // count(DISTINCT record) GROUP BY kind: about as fast on the 1M-record demo (0.32 s against 0.26 s for the
            // largest client) and needs no temporary table, so a reader's memory does not grow with the client.
            let perKind = try db.cachedStatement(
                sql: """
                    SELECT count(*) FROM crm_record r
                    WHERE r.client_id = ? AND r.active = 1
                        AND EXISTS (SELECT 1 FROM crm_identifier i WHERE i.record = r.id AND i.kind = ?)
                    """)
            for kind in IdentifierKind.allCases {
                let count = try Int.fetchOne(perKind, arguments: [clientID, kind.rawValue]) ?? 0
                if count > 0 { counts.recordsByKind[kind] = count }
            }
            counts.syncedCookies = try Int.fetchOne(
                db, sql: "SELECT count(DISTINCT cookie_id) FROM sync_pair WHERE client_id = ?", arguments: [clientID]
            ) ?? 0
            counts.syncedCookiesLastDay = try Int.fetchOne(
                db, sql: "SELECT count(DISTINCT cookie_id) FROM sync_pair WHERE client_id = ? AND last_seen > ?",
                arguments: [clientID, now.storedSeconds - 86_400]
            ) ?? 0
            counts.syncedCookiesLastWeek = try Int.fetchOne(
                db, sql: "SELECT count(DISTINCT cookie_id) FROM sync_pair WHERE client_id = ? AND last_seen > ?",
                arguments: [clientID, now.storedSeconds - 7 * 86_400]
            ) ?? 0
            counts.uploads = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM upload WHERE client_id = ?", arguments: [clientID]) ?? 0
            counts.exportRuns = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM export_run WHERE client_id = ?", arguments: [clientID]) ?? 0
            counts.lastExport = try SQLiteStore.exportRuns(db, clientID: clientID, limit: 1).first
            return counts
        }
    }
}

extension SQLiteStore {
    public func clientSummaries(now: Date) async throws -> [ClientSummary] {
        try await read { db in
            // Correlated subqueries, one client at a time: each walks only that client's slice of a covering index
            // (crm_record_client_active, the sync pair key, sync_pair_client_seen), so DISTINCT streams over
            // sorted keys instead of building a temporary table that would grow with the database.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id,
                        (SELECT count(*) FROM crm_record r WHERE r.client_id = c.id AND r.active = 1) AS records,
                        (SELECT count(DISTINCT s.cookie_id) FROM sync_pair s WHERE s.client_id = c.id) AS cookies,
                        (SELECT count(DISTINCT s.cookie_id) FROM sync_pair s
                            WHERE s.client_id = c.id AND s.last_seen > ?) AS recent
                    FROM client c ORDER BY c.id
                    """, arguments: [now.storedSeconds - 86_400])
            let exports = Dictionary(
                try SQLiteStore.latestExportRuns(db).map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
            return rows.map { row in
                let id: String = row["id"]
                return ClientSummary(
                    clientID: id, activeRecords: row["records"], syncedCookies: row["cookies"],
                    syncedCookiesLastDay: row["recent"], lastExport: exports[id])
            }
        }
    }
}
