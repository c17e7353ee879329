import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func purge(_ request: PurgeRequest) async throws -> PurgeReport {
        try await write { db in
            let cut = request.cutoffs
            let syncStart = cut.syncDay.start.storedSeconds
            var report = PurgeReport()
            func add(_ sql: String, _ arguments: StatementArguments, _ field: WritableKeyPath<RemovedRows, Int>) throws {
                for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                    report.clients[row[0], default: RemovedRows()][keyPath: field] += row[1] as Int
                }
            }
            // Counted per client first, then deleted child-first in set operations (no row-by-row cascades).
            try add(
                "SELECT p.client_id, count(*) FROM sync_day d JOIN sync_pair p ON p.id = d.pair WHERE d.day < ? GROUP BY 1",
                [cut.syncDay.number], \.syncActivity)
            try db.execute(sql: "DELETE FROM sync_day WHERE day < ?", arguments: [cut.syncDay.number])
            try add(
                "SELECT client_id, count(*) FROM sync_pair WHERE last_seen < ? GROUP BY 1", [syncStart], \.syncPairs)
            try db.execute(sql: "DELETE FROM sync_day WHERE pair IN (SELECT id FROM sync_pair WHERE last_seen < ?)", arguments: [syncStart])
            try db.execute(sql: "DELETE FROM sync_pair WHERE last_seen < ?", arguments: [syncStart])
            // An edge of a DA id with kept activity stays: the exports of the kept days read it.
            try db.execute(
                sql: """
                    DELETE FROM graph_edge WHERE last_seen < ?1
                    AND NOT (node_kind = 'da' AND EXISTS (SELECT 1 FROM sync_pair p WHERE p.da_id = graph_edge.node AND p.last_seen >= ?2))
                    """, arguments: [cut.graphBefore.storedSeconds, syncStart])
            report.graphEdges = db.changesCount
            let removed = "SELECT id FROM crm_record WHERE active = 0 AND updated_at < ?"
            try add(
                "SELECT client_id, count(*) FROM crm_record WHERE active = 0 AND updated_at < ? GROUP BY 1",
                [cut.removedRecordsBefore.storedSeconds], \.records)
            try db.execute(sql: "DELETE FROM crm_identifier WHERE record IN (\(removed))", arguments: [cut.removedRecordsBefore.storedSeconds])
            try db.execute(sql: "DELETE FROM crm_record WHERE active = 0 AND updated_at < ?", arguments: [cut.removedRecordsBefore.storedSeconds])
            for row in try Row.fetchAll(
                db, sql: "SELECT client_id, count(*) FROM audit WHERE at < ? GROUP BY 1", arguments: [cut.auditBefore.storedSeconds])
            {
                if let client: String = row[0] {
                    report.clients[client, default: RemovedRows()].auditEntries += row[1] as Int
                } else {
                    report.otherAuditEntries += row[1] as Int
                }
            }
            try db.execute(sql: "DELETE FROM audit WHERE at < ?", arguments: [cut.auditBefore.storedSeconds])
            report.clients = report.clients.filter { !$0.value.isEmpty }
            _ = try SQLiteStore.insertAudit(db, .purge(request, report))
            return report
        }
    }

    public func erase(_ request: ErasureRequest) async throws -> ErasureReport {
        try request.validate()
        return try await write { db in
            // The erased rows' bytes are overwritten with zeros in their pages, not only unlinked (the pages reach
            // the file at the next checkpoint). Debian's SQLite is built with this on; a build without it gets it
            // here, and keeps it on the writer connection.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            var report = ErasureReport()
            // The pairs the subject is tied to, as a subquery over sync_pair ids.
            let pairs: String, arguments: StatementArguments
            switch request.subject {
            case .daID(let id):
                (pairs, arguments) = ("SELECT id FROM sync_pair WHERE da_id = ?", [id])
            case .cookie(let partner, let cookieID):
                (pairs, arguments) = (
                    "SELECT id FROM sync_pair WHERE \(SQLiteStore.anyClient()) AND cookie_id = ? AND partner = ?",
                    [cookieID, partner]
                )
            case .hash(let hash):
                (pairs, arguments) = (
                    "SELECT p.id FROM graph_edge g JOIN sync_pair p ON p.da_id = g.node WHERE g.hash = ? AND g.node_kind = 'da'",
                    [hash.blob]
                )
            }
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT p.client_id, count(DISTINCT p.id), count(d.pair) FROM sync_pair p LEFT JOIN sync_day d ON d.pair = p.id
                    WHERE p.id IN (\(pairs)) GROUP BY 1
                    """, arguments: arguments)
            {
                report.clients[row[0], default: RemovedRows()].syncPairs += row[1] as Int
                report.clients[row[0], default: RemovedRows()].syncActivity += row[2] as Int
            }
            try db.execute(sql: "DELETE FROM sync_day WHERE pair IN (\(pairs))", arguments: arguments)
            try db.execute(sql: "DELETE FROM sync_pair WHERE id IN (\(pairs))", arguments: arguments)
            switch request.subject {
            case .daID(let id):
                try db.execute(sql: "DELETE FROM graph_edge WHERE node = ? AND node_kind = 'da'", arguments: [id])
                report.graphEdges = db.changesCount
            case .cookie:
                break
            case .hash(let hash):
                let records = "SELECT record FROM crm_identifier WHERE hash = ?"
                for row in try Row.fetchAll(
                    db, sql: "SELECT client_id, count(*) FROM crm_record WHERE id IN (\(records)) GROUP BY 1", arguments: [hash.blob])
                {
                    report.clients[row[0], default: RemovedRows()].records += row[1] as Int
                }
                // The records go whole (their identifiers by the foreign key's cascade): every identifier of a record
                // that held the hash is the same person's.
                try db.execute(sql: "DELETE FROM crm_record WHERE id IN (\(records))", arguments: [hash.blob])
                try db.execute(sql: "DELETE FROM graph_edge WHERE hash = ?", arguments: [hash.blob])
                report.graphEdges = db.changesCount
            }
            _ = try SQLiteStore.insertAudit(db, .erasure(request, report))
            return report
        }
    }
}
