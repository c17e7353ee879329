import BakeryCore
import BakeryTesting
import Foundation
import GRDB
import Testing

@testable import BakerySQLite

/// Migration v7 rebuilds `sync_pair` around the key (client, cookie id, partner, DA id): a database written
/// before it keeps every pair, its id and its activity.
@Suite("Sync pair key migration")
struct SyncPairKeyMigrationTests {
    @Test func aDatabaseFromBeforeV7KeepsItsPairsTheirIdsAndTheirActivity() async throws {
        let path = try TemporaryFolder.make().appendingPathComponent("bakery.sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v6-storage")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO client (id, name, country, dmp, created_at) VALUES ('acme', 'Acme', 'NL', 'custom', 0);
                        INSERT INTO partner (key, client_id, callback_url, position) VALUES ('acme-dmp', 'acme', NULL, 0);
                        INSERT INTO sync_pair (id, client_id, partner, cookie_id, da_id, site, first_seen, last_seen, hits)
                            VALUES (7, 'acme', 'acme-dmp', 'C-1', 'da-one', 'a.example', 86400, 172800, 3),
                                   (9, 'acme', 'acme-dmp', 'C-1', 'da-two', NULL, 86400, 86400, 1);
                        INSERT INTO sync_day (day, pair, hits) VALUES (1, 7, 1), (2, 7, 2), (1, 9, 1);
                        """)
            }
            try queue.close()
        }
        let store = try SQLiteStore(path: path, mode: .createIfMissing)
        let pairs = try await store.syncPairs(partner: "acme-dmp", cookieID: "C-1")
        #expect(pairs.map(\.daID) == ["da-one", "da-two"])
        #expect(pairs.map(\.hits) == [3, 1])
        let activity = try await store.syncActivity(
            partner: "acme-dmp", cookieID: "C-1", daID: "da-one", since: Day(number: 0))
        #expect(activity == [Day(number: 1): 1, Day(number: 2): 2])

        // The same pair again folds into its row (the new key is the conflict target); another client's pair with
        // the same cookie and DA id is its own row.
        try await store.recordSyncHits([
            SyncHit(partner: "acme-dmp", cookieID: "C-1", daID: "da-two", site: "b.example",
                at: Date(timeIntervalSince1970: 2 * 86_400 + 5))
        ])
        let after = try await store.syncPairs(partner: "acme-dmp", cookieID: "C-1")
        #expect(after.map(\.hits).sorted() == [2, 3] && after.count == 2)

        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        try await queue.read { db in
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try Int.fetchAll(db, sql: "SELECT id FROM sync_pair ORDER BY id") == [7, 9])
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sync_pair' ORDER BY name")
            #expect(!indexes.contains("sync_pair_client_cookie"))
            #expect(indexes.contains("sync_pair_da") && indexes.contains("sync_pair_client_seen"))
            let key = try String.fetchAll(
                db,
                sql: """
                    SELECT i.name FROM pragma_index_list('sync_pair') l, pragma_index_info(l.name) i
                    WHERE l."unique" = 1 ORDER BY l.name, i.seqno
                    """)
            #expect(key == ["client_id", "cookie_id", "partner", "da_id"])
        }
        // sync_day still cascades from the rebuilt table (GRDB connections enforce foreign keys).
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM sync_pair WHERE id = 9")
            #expect(try Int.fetchAll(db, sql: "SELECT pair FROM sync_day ORDER BY pair") == [7, 7])
        }
    }
}
