import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func addStorageLocation(_ location: StorageLocation, audit: AuditEntry) async throws -> StorageLocation {
        try await write { db in
            try SQLiteStore.requireClient(db, location.clientID)
            let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM storage_location WHERE client_id = ? AND role = ? AND address = ?",
                arguments: [location.clientID, location.role.rawValue, location.address.description])
            if let existing {
                throw BakeryError.invalidInput(
                    "client '\(location.clientID)' already has \(location.role.rawValue) location \(location.address) "
                        + "(#\(existing)); remove it first to change its options")
            }
            try db.execute(
                sql: """
                    INSERT INTO storage_location (client_id, role, address, endpoint, region, path_style, key_file,
                        known_hosts, access_key_variable, secret_key_variable, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    location.clientID, location.role.rawValue, location.address.description, location.endpoint,
                    location.region, location.pathStyle, location.keyFile, location.knownHosts,
                    location.accessKeyVariable, location.secretKeyVariable, location.createdAt.storedSeconds,
                ])
            var stored = location
            stored.id = db.lastInsertedRowID
            stored.createdAt = Date(storedSeconds: location.createdAt.storedSeconds)
            _ = try SQLiteStore.insertAudit(db, audit)
            return stored
        }
    }

    public func removeStorageLocation(id: Int64, audit: AuditEntry) async throws {
        try await write { db in
            try db.execute(sql: "DELETE FROM storage_location WHERE id = ?", arguments: [id])
            guard db.changesCount == 1 else {
                throw BakeryError.invalidInput("no storage location #\(id); `bakery storage list` shows them")
            }
            _ = try SQLiteStore.insertAudit(db, audit)
        }
    }

    public func storageLocations(clientID: String?) async throws -> [StorageLocation] {
        try await read { db in
            var conditions = Conditions()
            if let clientID {
                try SQLiteStore.requireClient(db, clientID)
                conditions.add("client_id = ?", [clientID])
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM storage_location \(conditions.sql) ORDER BY client_id, id",
                arguments: conditions.arguments
            ).map(SQLiteStore.storageLocation(from:))
        }
    }

    public func intakeUpload(_ key: IntakeKey) async throws -> Int64? {
        try await read { db in
            try Int64.fetchOne(
                db, sql: "SELECT upload_id FROM intake_object WHERE location = ? AND key = ? AND version = ?",
                arguments: [key.location, key.key, key.version])
        }
    }

    public func setDelivery(_ delivery: ExportRun.Delivery, runID: Int64, audit: AuditEntry) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    UPDATE export_run SET delivery = ?, delivery_uri = ?, delivery_at = ?, delivery_attempts = ?,
                        delivery_message = ? WHERE id = ?
                    """,
                arguments: [
                    delivery.status.rawValue, delivery.uri, delivery.at.storedSeconds, delivery.attempts,
                    delivery.message, runID,
                ])
            guard db.changesCount == 1 else { throw BakeryError.invalidInput("no export run #\(runID)") }
            _ = try SQLiteStore.insertAudit(db, audit)
        }
    }

    static func storageLocation(from row: Row) throws -> StorageLocation {
        StorageLocation(
            id: row["id"], clientID: row["client_id"], role: StorageLocation.Role(rawValue: row["role"]) ?? .intake,
            address: try StorageAddress(parsing: row["address"]), endpoint: row["endpoint"], region: row["region"],
            pathStyle: row["path_style"], keyFile: row["key_file"], knownHosts: row["known_hosts"],
            accessKeyVariable: row["access_key_variable"], secretKeyVariable: row["secret_key_variable"],
            createdAt: Date(storedSeconds: row["created_at"]))
    }

    static func delivery(from row: Row) -> ExportRun.Delivery? {
        guard let status = (row["delivery"] as String?).flatMap(ExportRun.Delivery.Status.init(rawValue:)) else {
            return nil
        }
        return ExportRun.Delivery(
            status: status, uri: row["delivery_uri"] ?? "", at: Date(storedSeconds: row["delivery_at"] ?? 0),
            attempts: row["delivery_attempts"], message: row["delivery_message"])
    }
}
