import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertRecords(_ records: [CRMRecord]) async throws {
        guard !records.isEmpty else { return }
        let now = Date().storedSeconds
        try await write { db in
            for clientID in Set(records.map(\.clientID)) { try SQLiteStore.requireClient(db, clientID) }
            let insertRecord = try db.cachedStatement(
                sql: """
                    INSERT INTO crm_record (client_id, record_id, active, upload_id, updated_at)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            let insertIdentifier = try db.cachedStatement(
                sql: "INSERT OR IGNORE INTO crm_identifier (record, kind, hash) VALUES (?, ?, ?)")
            for record in records {
                guard !record.recordID.isEmpty else {
                    throw BakeryError.invalidInput("a CRM record of client '\(record.clientID)' has an empty record id")
                }
                try insertRecord.execute(arguments: [
                    record.clientID, record.recordID, record.active, record.uploadID, now,
                ])
                guard db.changesCount == 1 else {
                    throw BakeryError.duplicateRecord(client: record.clientID, recordID: record.recordID)
                }
                let rowID = db.lastInsertedRowID
                for identifier in record.identifiers {
                    try insertIdentifier.execute(arguments: [rowID, identifier.kind.rawValue, identifier.hash.blob])
                }
            }
        }
    }
}
