import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func recordSyncHits(_ hits: [SyncHit]) async throws {
        guard !hits.isEmpty else { return }
        try await write { db in
            let owners = try SQLiteStore.owners(db, of: hits)
            if let unknown = Set(hits.map(\.partner)).subtracting(owners.keys).sorted().first {
                throw BakeryError.unknownPartner(unknown)
            }
            try SQLiteStore.fold(db, hits, owners: owners)
        }
    }

    public func recordPixelBatch(_ batch: PixelBatch) async throws -> PixelBatchOutcome {
        guard !batch.isEmpty else { return PixelBatchOutcome() }
        return try await write { db in
            let owners = try SQLiteStore.owners(db, of: batch.hits)
            var outcome = PixelBatchOutcome()
            var known: [SyncHit] = []
            known.reserveCapacity(batch.hits.count)
            for hit in batch.hits {
                if owners[hit.partner] == nil { outcome.droppedHits[hit.partner, default: 0] += 1 } else { known.append(hit) }
            }
            try SQLiteStore.fold(db, known, owners: owners)
            try SQLiteStore.upsert(db, batch.edges)
            outcome.hitsWritten = known.count
            outcome.edgesWritten = batch.edges.count
            return outcome
        }
    }

    /// The client of each known partner among the hits' partners.
    static func owners(_ db: Database, of hits: [SyncHit]) throws -> [String: String] {
        var owners: [String: String] = [:]
        for key in Set(hits.map(\.partner)) {
            if let owner = try String.fetchOne(db, sql: "SELECT client_id FROM partner WHERE key = ?", arguments: [key]) {
                owners[key] = owner
            }
        }
        return owners
    }

    /// Folds hits (of known partners only) into their pairs and per-day activity.
    static func fold(_ db: Database, _ hits: [SyncHit], owners: [String: String]) throws {
        guard !hits.isEmpty else { return }
        let upsertPair = try BulkStatement(
            db, """
                INSERT INTO sync_pair (client_id, partner, cookie_id, da_id, site, first_seen, last_seen, hits)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (client_id, cookie_id, partner, da_id) DO UPDATE SET
                    site = CASE WHEN excluded.last_seen >= last_seen THEN coalesce(excluded.site, site) ELSE site END,
                    first_seen = min(first_seen, excluded.first_seen),
                    last_seen = max(last_seen, excluded.last_seen),
                    hits = hits + excluded.hits
                RETURNING id
                """)
        let upsertDay = try BulkStatement(
            db, """
                INSERT INTO sync_day (day, pair, hits) VALUES (?, ?, ?)
                ON CONFLICT (day, pair) DO UPDATE SET hits = hits + excluded.hits
                """)
        for pair in try SyncFold(hits).pairs {
            guard let pairID = try upsertPair.bind(owners[pair.partner]).bind(pair.partner).bind(pair.cookieID)
                .bind(pair.daID).bind(pair.site).bind(pair.firstSeen.storedSeconds)
                .bind(pair.lastSeen.storedSeconds).bind(pair.hits).run()
            else { throw BakeryError.storeFailure("sync pair upsert returned no id") }
            for (day, hits) in pair.days {
                try upsertDay.bind(day).bind(pairID).bind(hits).run()
            }
        }
    }

    public func syncPairs(partner: String, cookieID: String) async throws -> [SyncPair] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM sync_pair WHERE \(SQLiteStore.anyClient()) AND cookie_id = ? AND partner = ? ORDER BY last_seen DESC, id",
                arguments: [cookieID, partner]
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

    /// The pair key leads with the client: a lookup by partner and cookie id (whose client a removed partner no
    /// longer names) seeks it once per client. `table` qualifies the column (`"p"` for `p.client_id`).
    static func anyClient(_ table: String? = nil) -> String {
        "\(table.map { "\($0)." } ?? "")client_id IN (SELECT id FROM client)"
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
