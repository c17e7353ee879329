import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation
import Testing

/// An erasure leaves no copy of the erased hash or DA id in the database file: SQLite overwrites the deleted
/// cells (`secure_delete`, which Debian's SQLite has on by default and the store sets for an erasure) instead of
/// only unlinking them.
@Suite("Erasure in the SQLite file")
struct SecureEraseTests {
    @Test func theErasedHashAndDAIDAreNotLeftInTheFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-erase-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("s.sqlite").path
        let erasedHash = Fixtures.hash("erased person"), erasedDA = "e7a5edda0000000000000000000000e7"
        do {
            let store = try SQLiteStore(path: path, mode: .createIfMissing)
            try await store.addClient(Fixtures.client("acme"))
            // Enough neighbours that the erased rows share pages with rows that stay.
            var records = (0..<300).map { Fixtures.record("acme", "R-\($0)") }
            records.append(CRMRecord(clientID: "acme", recordID: "R-erased", identifiers: [Identifier(.email, erasedHash)]))
            try await store.insertRecords(records)
            try await store.upsertGraphEdges(
                [GraphEdge(node: .daID(erasedDA), identifier: Identifier(.email, erasedHash), lastSeen: Fixtures.now)]
                    + records.prefix(300).enumerated().map { index, record in
                        GraphEdge(node: .daID(String(format: "%032x", index)), identifier: record.identifiers[0], lastSeen: Fixtures.now)
                    })
            try await store.recordSyncHits([SyncHit(partner: "acme-dmp", cookieID: "ck-erased", daID: erasedDA, site: nil, at: Fixtures.now)])
            let report = try await store.erase(
                ErasureRequest(subject: .hash(erasedHash), actor: Fixtures.actor, at: Fixtures.now))
            #expect(report.clients["acme"] == RemovedRows(syncPairs: 1, syncActivity: 1, records: 1))

        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "closing checkpointed the log into the file")
        #expect(bytes.range(of: Data(erasedHash.bytes)) == nil, "the hash's 32 bytes are gone from the file")
        #expect(bytes.range(of: Data(erasedDA.utf8)) == nil, "the DA id is gone from the file")
        #expect(bytes.range(of: Data("ck-erased".utf8)) == nil, "the cookie id is gone from the file")
        #expect(bytes.range(of: Data("R-299".utf8)) != nil, "what was not erased is still there")
    }
}
