import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    public func addClient(_ client: Client, audit: AuditEntry) async throws {
        try client.validate()
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM client WHERE id = ?", arguments: [client.id]) == true {
                throw BakeryError.duplicateClient(client.id)
            }
            if let audience = client.audience,
                let owner = try String.fetchOne(
                    db, sql: "SELECT id FROM client WHERE audience = ?", arguments: [audience])
            {
                throw BakeryError.invalidInput("audience id '\(audience)' already belongs to client '\(owner)'")
            }
            for partner in client.partners {
                if let owner = try String.fetchOne(
                    db, sql: "SELECT client_id FROM partner WHERE key = ?", arguments: [partner.key])
                {
                    throw BakeryError.duplicatePartner(key: partner.key, owner: owner)
                }
            }
            try db.execute(
                sql: "INSERT INTO client (id, name, country, dmp, created_at, audience) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [
                    client.id, client.name, client.country, client.dmp.rawValue, client.createdAt.storedSeconds,
                    client.audience,
                ])
            for (position, partner) in client.partners.enumerated() {
                try db.execute(
                    sql: "INSERT INTO partner (key, client_id, callback_url, position) VALUES (?, ?, ?, ?)",
                    arguments: [partner.key, client.id, partner.callbackURL, position])
            }
            _ = try SQLiteStore.insertAudit(db, audit)
        }
    }

    public func removeClient(id: String, audit: AuditEntry) async throws {
        try await write { db in
            try SQLiteStore.requireClient(db, id)
            // Delete the big tables child-first in set operations: far faster than row-by-row cascades.
            for sql in [
                "DELETE FROM sync_day WHERE pair IN (SELECT id FROM sync_pair WHERE client_id = ?)",
                "DELETE FROM sync_pair WHERE client_id = ?",
                "DELETE FROM crm_identifier WHERE record IN (SELECT id FROM crm_record WHERE client_id = ?)",
                "DELETE FROM crm_record WHERE client_id = ?",
                "DELETE FROM client WHERE id = ?",
            ] {
                try db.execute(sql: sql, arguments: [id])
            }
            _ = try SQLiteStore.insertAudit(db, audit)
        }
    }

    public func clients() async throws -> [Client] {
        try await read { db in
            let partners = try SQLiteStore.partnersByClient(db)
            return try Row.fetchAll(db, sql: "SELECT * FROM client ORDER BY id").map {
                SQLiteStore.client(from: $0, partners: partners[$0["id"]] ?? [])
            }
        }
    }

    public func client(id: String) async throws -> Client? {
        try await read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM client WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return SQLiteStore.client(from: row, partners: try SQLiteStore.partnersByClient(db, id: id)[id] ?? [])
        }
    }

    public func client(partner key: String) async throws -> Client? {
        let owner = try await read { db in
            try String.fetchOne(db, sql: "SELECT client_id FROM partner WHERE key = ?", arguments: [key])
        }
        guard let owner else { return nil }
        return try await client(id: owner)
    }

    public func client(audience id: String) async throws -> Client? {
        let owner = try await read { db in
            try String.fetchOne(db, sql: "SELECT id FROM client WHERE audience = ?", arguments: [id])
        }
        guard let owner else { return nil }
        return try await client(id: owner)
    }

    static func partnersByClient(_ db: Database, id: String? = nil) throws -> [String: [Partner]] {
        let rows =
            if let id {
                try Row.fetchAll(db, sql: "SELECT * FROM partner WHERE client_id = ? ORDER BY position", arguments: [id])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM partner ORDER BY client_id, position")
            }
        var result: [String: [Partner]] = [:]
        for row in rows {
            result[row["client_id"], default: []].append(Partner(key: row["key"], callbackURL: row["callback_url"]))
        }
        return result
    }

    static func client(from row: Row, partners: [Partner]) -> Client {
        Client(
            id: row["id"], name: row["name"], country: row["country"],
            dmp: DMPKind(rawValue: row["dmp"]) ?? .custom, partners: partners,
            createdAt: Date(storedSeconds: row["created_at"]), audience: row["audience"])
    }
}
