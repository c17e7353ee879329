import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func records(clientID: String, matching hashes: [IdentifierHash]) async throws -> [RecordMatch] {
        guard !hashes.isEmpty else { return [] }
        return try await read { db in
            try SQLiteStore.requireClient(db, clientID)
            var matches: [RecordMatch] = []
            // The identifier hash index first, then each record by its key: a few rows for a cookie's DA id.
            for chunk in stride(from: 0, to: hashes.count, by: 500).map({ Array(hashes[$0..<min(hashes.count, $0 + 500)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(StoredRecordID.text("r.record_id")) AS record_key, r.active, r.updated_at,
                            i.kind, i.hash, u.id AS upload_key, u.*
                        FROM crm_identifier i
                        CROSS JOIN crm_record r ON r.id = i.record AND r.client_id = ?
                        LEFT JOIN upload u ON u.id = r.upload_id
                        WHERE i.hash IN (\(marks))
                        """, arguments: StatementArguments([clientID] + chunk.map(\.blob)))
                for row in rows {
                    guard let kind = IdentifierKind(rawValue: row["kind"]),
                        let hash = IdentifierHash(bytes: (row["hash"] as Data))
                    else { continue }
                    let upload = (row["upload_key"] as Int64?).map { _ in SQLiteStore.upload(from: row) }
                    matches.append(
                        RecordMatch(
                            recordID: row["record_key"], identifier: Identifier(kind, hash), active: row["active"],
                            updatedAt: Date(storedSeconds: row["updated_at"]), upload: upload))
                }
            }
            return matches.sorted {
                ($0.recordID, $0.identifier.kind.rawValue, $0.identifier.hash.hex)
                    < ($1.recordID, $1.identifier.kind.rawValue, $1.identifier.hash.hex)
            }
        }
    }
}
