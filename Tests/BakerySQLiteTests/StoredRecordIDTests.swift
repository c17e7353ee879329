import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation
import GRDB
import Testing

@Suite("Record ids as stored")
struct StoredRecordIDTests {
    let hashed = Fixtures.hash("person")
    let ownHex = Fixtures.hash("own id")
    /// The client's own id that happens to be lower-case hex: stored as bytes too, by the same rule.
    let ownLowerHex = Fixtures.hash("own lower-case id")

    var records: [CRMRecord] {
        [
            CRMRecord(clientID: "acme", recordID: hashed.hex, identifiers: [Identifier(.email, hashed)]),
            CRMRecord(clientID: "acme", recordID: "R-1", identifiers: [Identifier(.email, Fixtures.hash("r1"))]),
            CRMRecord(clientID: "acme", recordID: ownHex.hex.uppercased(), identifiers: [Identifier(.phone, ownHex)]),
            CRMRecord(
                clientID: "acme", recordID: ownLowerHex.hex, identifiers: [Identifier(.email, Fixtures.hash("x"))]),
        ]
    }

    /// (record id as read back through the store's own rule, SQLite type, stored length) per record.
    func stored(_ path: String) throws -> [String: (type: String, length: Int)] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var result: [String: (String, Int)] = [:]
            let sql = """
                SELECT CASE WHEN typeof(record_id) = 'blob' THEN lower(hex(record_id)) ELSE record_id END,
                    typeof(record_id), length(record_id) FROM crm_record
                """
            for row in try Row.fetchAll(db, sql: sql) { result[row[0]] = (row[1], row[2]) }
            return result
        }
    }

    /// Applies `records` to client acme as one upload of `mode`.
    func upload(_ records: [CRMRecord], _ mode: UpdateMode, to store: SQLiteStore) async throws -> AppliedUpload {
        let request = UploadRequest(
            clientID: "acme", mode: mode, source: .cli, fileName: "f.csv", actor: Fixtures.actor, startedAt: Fixtures.now)
        return try await store.applyUpload(request) { emit in
            for record in records { try emit(record) }
            return UploadFeedTotals(rows: records.count, rejected: 0)
        }
    }

    @Test func aHashDerivedIdIsStoredAsItsBytesAndEveryOtherIdAsText() async throws {
        let path = try TemporaryFolder.make().appendingPathComponent("bakery.sqlite").path
        let store = try SQLiteStore(path: path, mode: .createIfMissing)
        try await store.addClient(Fixtures.client("acme"))
        try await store.insertRecords(records)
        let rows = try stored(path)
        #expect(rows[hashed.hex]?.type == "blob" && rows[hashed.hex]?.length == 32, "\(rows)")
        #expect(rows["R-1"]?.type == "text")
        #expect(rows[ownHex.hex.uppercased()]?.type == "text", "upper-case hex is not the derived form: kept as given")
        #expect(rows[ownLowerHex.hex]?.type == "blob")
        // Lookups use the same rule: removing by id finds the record whichever way it is stored.
        let removed = try await upload(records, .remove, to: store)
        #expect(removed.removed == 4 && removed.notFound == 0, "\(removed)")
    }

    @Test func aDatabaseWithTextIdsIsConvertedWhenOpened() async throws {
        let path = try TemporaryFolder.make().appendingPathComponent("bakery.sqlite").path
        do {
            let store = try SQLiteStore(path: path, mode: .createIfMissing)
            try await store.addClient(Fixtures.client("acme"))
            try await store.insertRecords(records)
        }
        // As a database written before migration v4 holds them: every id as text.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE crm_record SET record_id = lower(hex(record_id)) WHERE typeof(record_id) = 'blob'")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v4-record-id-bytes'")
        }
        try queue.close()
        #expect(try stored(path)[hashed.hex]?.type == "text")
        let reopened = try SQLiteStore(path: path, mode: .existing)
        let rows = try stored(path)
        #expect(rows[hashed.hex]?.type == "blob" && rows[hashed.hex]?.length == 32, "\(rows)")
        #expect(rows["R-1"]?.type == "text" && rows[ownHex.hex.uppercased()]?.type == "text", "\(rows)")
        // The converted record is found by an upload naming the same id: present, not added again.
        let again = try await upload(records, .add, to: reopened)
        #expect(again.added == 0 && again.alreadyPresent == 4, "\(again)")
    }
}
