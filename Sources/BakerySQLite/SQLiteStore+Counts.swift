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
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT i.kind, count(DISTINCT i.record) AS n
                    FROM crm_record r JOIN crm_identifier i ON i.record = r.id
                    WHERE r.client_id = ? AND r.active = 1
                    GROUP BY i.kind
                    """, arguments: [clientID])
            {
                if let kind = IdentifierKind(rawValue: row["kind"]) { counts.recordsByKind[kind] = row["n"] }
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
