import BakeryCore
import BakeryTesting
import Foundation
import GRDB
import Testing

@testable import BakerySQLite

/// `BulkStatement` binds hashes and short texts from slots it owns, without SQLite copying them.
@Suite("Bulk statement binding")
struct BulkStatementTests {
    @Test("values bound from the statement's slots are stored as given, run after run")
    func slotsHoldTheirValuesUntilTheRun() throws {
        let queue = try DatabaseQueue()
        let long = String(repeating: "long text past one slot ", count: 3)
        let rows: [(IdentifierHash, String?)] = [
            (Fixtures.hash("a"), "email"), (Fixtures.hash("b"), long), (Fixtures.hash("c"), nil),
            (Fixtures.hash("d"), "é ü"), (Fixtures.hash("e"), String(repeating: "x", count: 32)),
        ]
        let stored = try queue.write { db -> [Row] in
            try db.execute(sql: "CREATE TABLE t (n INTEGER, h BLOB, s TEXT, h2 BLOB)")
            let statement = try BulkStatement(db, "INSERT INTO t VALUES (?, ?, ?, ?)")
            for (n, (hash, text)) in rows.enumerated() {
                // The same hash twice in one row: two slots, two values.
                try statement.bind(n).bind(hash).bind(text).bind(Fixtures.hash("other \(n)")).run()
            }
            // A value past the statement's parameters is refused by SQLite, and written nowhere.
            try statement.bind(99).bind(Fixtures.hash("z")).bind("s").bind(Fixtures.hash("y")).bind(Fixtures.hash("x"))
                .run()
            return try Row.fetchAll(db, sql: "SELECT n, h, s, h2 FROM t ORDER BY n")
        }
        #expect(stored.count == rows.count + 1)
        for (n, (hash, text)) in rows.enumerated() {
            #expect(stored[n]["h"] == hash.blob)
            #expect(stored[n]["s"] as String? == text)
            #expect(stored[n]["h2"] == Fixtures.hash("other \(n)").blob)
        }
        #expect(stored[rows.count]["h2"] == Fixtures.hash("y").blob)
    }
}
