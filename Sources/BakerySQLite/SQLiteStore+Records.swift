import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func insertRecords(_ records: [CRMRecord]) async throws {
        guard !records.isEmpty else { return }
        let now = Date().storedSeconds
        try await write { db in
            for clientID in Set(records.map(\.clientID)) { try SQLiteStore.requireClient(db, clientID) }
            let insertRecord = try BulkStatement(
                db, """
                    INSERT INTO crm_record (client_id, record_id, active, upload_id, updated_at)
                    VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """)
            let insertIdentifier = try BulkStatement(
                db, "INSERT OR IGNORE INTO crm_identifier (record, kind, hash) VALUES (?, ?, ?)")
            for record in records {
                guard !record.recordID.isEmpty else {
                    throw BakeryError.invalidInput("a CRM record of client '\(record.clientID)' has an empty record id")
                }
                try insertRecord.bind(record.clientID).bind(recordID: record.recordID).bind(record.active ? 1 : 0)
                    .bind(record.uploadID).bind(now).run()
                guard insertRecord.changes == 1 else {
                    throw BakeryError.duplicateRecord(client: record.clientID, recordID: record.recordID)
                }
                let rowID = db.lastInsertedRowID
                for identifier in record.identifiers {
                    try insertIdentifier.bind(rowID).bind(identifier.kind.rawValue).bind(identifier.hash).run()
                }
            }
        }
    }
}
