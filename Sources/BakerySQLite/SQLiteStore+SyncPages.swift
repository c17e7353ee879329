import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Each order reads one index in its own order, so a page costs the same at the start, the middle and the end of
    /// a client with millions of pairs: `sync_pair_client_seen` (client, last seen, row id), the pair key
    /// (client, cookie id, partner, DA id; ties on a cookie id sorted by row id) and, for DA ids, `sync_pair_da` (DA id, row id) filtered by client.
    public func syncPairs(_ query: SyncPairQuery, page request: PageRequest) async throws -> Page<SyncPair> {
        try await read { db in
            try SQLiteStore.requireClient(db, query.clientID)
            let plan = SyncPairPlan(query)
            return try plan.keyset.read(
                db, from: "sync_pair \(plan.indexHint)", where: plan.conditions, request: request,
                item: SQLiteStore.syncPair(from:)
            ) { row in PageCursor(key: plan.cursorKey(row), id: row["id"]) }
        }
    }

    public func countSyncPairs(_ query: SyncPairQuery) async throws -> Int {
        try await read { db in
            try SQLiteStore.requireClient(db, query.clientID)
            let plan = SyncPairPlan(query)
            return try Int.fetchOne(
                db, sql: "SELECT count(*) FROM sync_pair \(plan.indexHint) \(plan.conditions.sql)",
                arguments: plan.conditions.arguments) ?? 0
        }
    }

    public func syncActivity(partner: String, cookieID: String, daID: String, since: Day) async throws -> [Day: Int] {
        try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.day, d.hits FROM sync_pair p JOIN sync_day d ON d.pair = p.id
                    WHERE \(SQLiteStore.anyClient("p")) AND p.cookie_id = ? AND p.partner = ? AND p.da_id = ? AND d.day >= ?
                    """, arguments: [cookieID, partner, daID, since.number])
            return Dictionary(rows.map { (Day(number: $0["day"]), $0["hits"]) }, uniquingKeysWith: +)
        }
    }
}

/// How one ``SyncPairQuery`` reads: its filter, its keyset and the index it must use.
private struct SyncPairPlan {
    let query: SyncPairQuery
    let keyset: Keyset
    let conditions: Conditions
    /// For DA ids, the client filter (`+client_id`) is kept off the client indexes so SQLite walks `sync_pair_da`
    /// in order instead of sorting a large client's pairs.
    let indexHint: String

    init(_ query: SyncPairQuery) {
        self.query = query
        var conditions = Conditions()
        switch query.order {
        case .lastSeen:
            keyset = Keyset(key: "last_seen", id: "id", descending: true)
            conditions.add("client_id = ?", [query.clientID])
            indexHint = ""
        case .cookieID:
            keyset = Keyset(key: "cookie_id", id: "id", descending: false)
            conditions.add("client_id = ?", [query.clientID])
            indexHint = ""
        case .daID:
            keyset = Keyset(key: "da_id", id: "id", descending: false)
            conditions.add("+client_id = ?", [query.clientID])
            indexHint = "INDEXED BY sync_pair_da"
        }
        if let prefix = query.effectivePrefix {
            let column = query.order.rawValue
            conditions.add("\(column) >= ?", [prefix])
            if let upper = prefixUpperBound(prefix) {
                conditions.add("\(column) < ?", [upper])
            } else {
                conditions.add("substr(\(column), 1, ?) = ?", [prefix.count, prefix])
            }
        }
        self.conditions = conditions
    }

    func cursorKey(_ row: Row) -> PageCursor.Key {
        switch query.order {
        case .lastSeen: .integer(row["last_seen"])
        case .cookieID: .text(row["cookie_id"])
        case .daID: .text(row["da_id"])
        }
    }
}
