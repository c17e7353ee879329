import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func matchFigures(clientID: String) async throws -> MatchFigures {
        try await read { db in
            try SQLiteStore.requireClient(db, clientID)
            var figures = MatchFigures()
            // One pass over the client's active identifiers: which (record, kind) reach a synced DA id.
            // CROSS JOIN fixes the join order and `+column` keeps SQLite off the client-wide indexes: without
            // statistics the planner otherwise scans every pair of the client for each identifier (measured on a
            // 5M-pair database: minutes instead of seconds).
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH matched AS (
                        SELECT DISTINCT i.record, i.kind
                        FROM crm_record r JOIN crm_identifier i ON i.record = r.id
                        WHERE r.client_id = ?1 AND r.active = 1 AND EXISTS (
                            SELECT 1 FROM graph_edge g CROSS JOIN sync_pair p ON p.da_id = g.node AND +p.client_id = ?1
                            WHERE g.hash = i.hash AND g.node_kind = 'da')
                    )
                    SELECT kind, count(*) AS n FROM matched GROUP BY kind
                    UNION ALL
                    SELECT NULL, count(DISTINCT record) FROM matched
                    """, arguments: [clientID])
            for row in rows {
                if let kindName: String = row["kind"] {
                    if let kind = IdentifierKind(rawValue: kindName) { figures.matchedByKind[kind] = row["n"] }
                } else {
                    figures.matchedRecords = row["n"]
                }
            }
            figures.matchedCookies = try Int.fetchOne(
                db,
                sql: """
                    SELECT count(DISTINCT p.cookie_id) FROM sync_pair p
                    WHERE p.client_id = ?1 AND EXISTS (
                        SELECT 1 FROM graph_edge g
                        CROSS JOIN crm_identifier i ON i.hash = g.hash
                        CROSS JOIN crm_record r ON r.id = i.record AND +r.client_id = ?1 AND +r.active = 1
                        WHERE g.node = p.da_id AND g.node_kind = 'da')
                    """, arguments: [clientID]) ?? 0
            return figures
        }
    }
}

extension SQLiteStore {
    public func matchedRecordCount(clientID: String) async throws -> Int {
        try await read { db in
            try SQLiteStore.requireClient(db, clientID)
            return try SQLiteStore.matchedRecordCount(db, clientID: clientID)
        }
    }

    /// ``MatchFigures/matchedRecords`` alone, inside another transaction (a dry run counts it before and after).
    /// The join order is fixed as in ``matchFigures(clientID:)``, for the same reason.
    static func matchedRecordCount(_ db: Database, clientID: String) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM crm_record r
                WHERE r.client_id = ?1 AND r.active = 1 AND EXISTS (
                    SELECT 1 FROM crm_identifier i
                    CROSS JOIN graph_edge g ON g.hash = i.hash AND g.node_kind = 'da'
                    CROSS JOIN sync_pair p ON p.da_id = g.node AND +p.client_id = ?1
                    WHERE i.record = r.id)
                """, arguments: [clientID]) ?? 0
    }
}

extension SQLiteStore {
    public func exportPairs(
        clientIDs: [String], day: Day, body: @escaping @Sendable (_ clientID: String, [ExportPair]) throws -> Void
    ) async throws {
        let clientIDs = Array(Set(clientIDs)).sorted()
        guard !clientIDs.isEmpty else { return }
        try await read { db in
            for clientID in clientIDs { try SQLiteStore.requireClient(db, clientID) }
            // One walk over the day's activity for all the clients: sync_day's key starts with the day, each pair
            // then leads to its DA id's edges, their identifiers and the records, kept when the record is the
            // pair's client's and active. CROSS JOIN fixes that order (see matchFigures).
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT DISTINCT p.client_id, p.cookie_id, \(StoredRecordID.text("r.record_id")) AS record_id
                    FROM sync_day d
                    CROSS JOIN sync_pair p ON p.id = d.pair AND +p.client_id IN \(BulkStatement.placeholders(clientIDs.count))
                    CROSS JOIN graph_edge g ON g.node = p.da_id AND g.node_kind = 'da'
                    CROSS JOIN crm_identifier i ON i.hash = g.hash
                    CROSS JOIN crm_record r ON r.id = i.record AND +r.client_id = p.client_id AND +r.active = 1
                    WHERE d.day = ?
                    ORDER BY 1, 2, 3
                    """, arguments: StatementArguments(clientIDs.map { $0 as any DatabaseValueConvertible } + [day.number]))
            var chunk: [ExportPair] = []
            chunk.reserveCapacity(Self.exportChunk)
            var chunkClient = ""
            while let row = try cursor.next() {
                let clientID: String = row[0]
                if clientID != chunkClient, !chunk.isEmpty {
                    try body(chunkClient, chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
                chunkClient = clientID
                chunk.append(ExportPair(cookieID: row[1], recordID: row[2]))
                if chunk.count == Self.exportChunk {
                    try body(chunkClient, chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            if !chunk.isEmpty { try body(chunkClient, chunk) }
        }
    }

    /// Pairs handed over per call of an export's body.
    static let exportChunk = 10_000
}
