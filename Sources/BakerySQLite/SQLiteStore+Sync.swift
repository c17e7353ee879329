import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func recordSyncHits(_ hits: [SyncHit]) async throws {
        guard !hits.isEmpty else { return }
        try await write { db in
            var owners: [String: String] = [:]
            for key in Set(hits.map(\.partner)) {
                guard let owner = try String.fetchOne(
                    db, sql: "SELECT client_id FROM partner WHERE key = ?", arguments: [key])
                else { throw BakeryError.unknownPartner(key) }
                owners[key] = owner
            }
            let upsertPair = try db.cachedStatement(
                sql: """
                    INSERT INTO sync_pair (client_id, partner, cookie_id, da_id, site, first_seen, last_seen, hits)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)
                    ON CONFLICT (partner, cookie_id, da_id) DO UPDATE SET
                        site = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.site, site) ELSE site END,
                        first_seen = min(first_seen, excluded.first_seen),
                        last_seen = max(last_seen, excluded.last_seen),
                        hits = hits + excluded.hits
                    RETURNING id
                    """)
            let upsertDay = try db.cachedStatement(
                sql: """
                    INSERT INTO sync_day (day, pair, hits) VALUES (?, ?, ?)
                    ON CONFLICT (day, pair) DO UPDATE SET hits = hits + excluded.hits
                    """)
            for hit in hits {
                guard !hit.cookieID.isEmpty, !hit.daID.isEmpty, hit.hits > 0 else {
                    throw BakeryError.invalidInput(
                        "a sync hit for partner '\(hit.partner)' has an empty cookie id or DA id, or no hits")
                }
                let pairID = try Int64.fetchOne(
                    upsertPair,
                    arguments: [
                        owners[hit.partner], hit.partner, hit.cookieID, hit.daID, hit.site, hit.at.storedSeconds, hit.hits,
                    ])!
                try upsertDay.execute(arguments: [Day(hit.at).number, pairID, hit.hits])
            }
        }
    }

    public func syncPairs(partner: String, cookieID: String) async throws -> [SyncPair] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM sync_pair WHERE partner = ? AND cookie_id = ? ORDER BY last_seen DESC, id",
                arguments: [partner, cookieID]
            ).map(SQLiteStore.syncPair(from:))
        }
    }

    public func syncPairs(daID: String) async throws -> [SyncPair] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM sync_pair WHERE da_id = ? ORDER BY last_seen DESC, id", arguments: [daID]
            ).map(SQLiteStore.syncPair(from:))
        }
    }

    static func syncPair(from row: Row) -> SyncPair {
        SyncPair(
            clientID: row["client_id"], partner: row["partner"], cookieID: row["cookie_id"], daID: row["da_id"],
            site: row["site"], firstSeen: Date(storedSeconds: row["first_seen"]),
            lastSeen: Date(storedSeconds: row["last_seen"]), hits: row["hits"])
    }
}

extension SQLiteStore {
    public func dailySyncedCookies(clientID: String, since: Day) async throws -> [Day: Int] {
        try await read { db in
            try SQLiteStore.requireClient(db, clientID)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.day, count(DISTINCT p.cookie_id) AS n
                    FROM sync_day d JOIN sync_pair p ON p.id = d.pair
                    WHERE p.client_id = ? AND d.day >= ?
                    GROUP BY d.day
                    """, arguments: [clientID, since.number])
            return Dictionary(uniqueKeysWithValues: rows.map { (Day(number: $0["day"]), $0["n"]) })
        }
    }
}
