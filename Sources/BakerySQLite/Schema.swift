import Foundation
import GRDB

/// The schema as named, append-only migrations. A shipped migration is never edited: change the schema by
/// adding a new one at the end. Times are whole seconds since 1970 (UTC); days are days since 1970.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-initial") { db in
            try db.execute(sql: initial)
        }
        migrator.registerMigration("v2-client-audience") { db in
            try db.execute(sql: clientAudience)
        }
        // Distinct DMP cookies per client (the console's overview, `counts`) from a covering index: on the 1M-record
        // demo 3.0 s -> 0.5 s, and no temporary table that grows with the client. Costs one more index entry per
        // new sync pair.
        migrator.registerMigration("v3-sync-pair-client-cookie") { db in
            try db.execute(sql: "CREATE INDEX sync_pair_client_cookie ON sync_pair(client_id, cookie_id)")
        }
        // Hash-derived record ids as their 32 bytes (see `StoredRecordID`).
        migrator.registerMigration("v4-record-id-bytes") { db in
            try StoredRecordID.convertStoredText(db)
        }
        // Roles and outcomes in the audit log, and the indexes the console's keyset pages read: every client's
        // uploads and export runs newest first, a client's runs of one day.
        migrator.registerMigration("v5-audit-outcome-and-ledger-pages") { db in
            try db.execute(sql: auditOutcomeAndLedgerPages)
        }
        // Storage locations per client, the intake ledger (each storage object applied once), export deliveries,
        // and export files recorded as URIs.
        migrator.registerMigration("v6-storage") { db in
            try db.execute(sql: storage)
            try convertExportFilesToURIs(db)
        }
        // One key per pair, led by the client: (client, cookie id, partner, DA id) is unique because a partner
        // belongs to one client, and it serves what `sync_pair_client_cookie` did (distinct cookies per client, the
        // sync table by cookie id), so a new pair costs one random B-tree insert for its cookie id where it cost two.
        // SQLite cannot change a table's constraint in place: the table is rebuilt (foreign keys are off during a
        // migration, so `sync_day` keeps pointing at it by name).
        migrator.registerMigration("v7-sync-pair-client-key") { db in
            try db.execute(sql: syncPairClientKey)
        }
        return migrator
    }

    private static let syncPairClientKey = """
        CREATE TABLE sync_pair_v7 (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            partner TEXT NOT NULL,
            cookie_id TEXT NOT NULL,
            da_id TEXT NOT NULL,
            site TEXT,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            hits INTEGER NOT NULL,
            UNIQUE (client_id, cookie_id, partner, da_id)
        );
        INSERT INTO sync_pair_v7 (id, client_id, partner, cookie_id, da_id, site, first_seen, last_seen, hits)
            SELECT id, client_id, partner, cookie_id, da_id, site, first_seen, last_seen, hits FROM sync_pair
            ORDER BY client_id, cookie_id, partner, da_id;
        DROP TABLE sync_pair;
        ALTER TABLE sync_pair_v7 RENAME TO sync_pair;
        CREATE INDEX sync_pair_da ON sync_pair(da_id);
        CREATE INDEX sync_pair_client_seen ON sync_pair(client_id, last_seen);
        """

    private static let storage = """
        CREATE TABLE storage_location (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('intake', 'delivery')),
            address TEXT NOT NULL,
            endpoint TEXT,
            region TEXT,
            path_style INTEGER NOT NULL DEFAULT 0,
            key_file TEXT,
            known_hosts TEXT,
            access_key_variable TEXT,
            secret_key_variable TEXT,
            created_at INTEGER NOT NULL,
            UNIQUE (client_id, role, address)
        );
        CREATE TABLE intake_object (
            location TEXT NOT NULL,
            key TEXT NOT NULL,
            version TEXT NOT NULL,
            upload_id INTEGER NOT NULL REFERENCES upload(id) ON DELETE CASCADE,
            PRIMARY KEY (location, key, version)
        ) WITHOUT ROWID;
        CREATE INDEX intake_object_upload ON intake_object(upload_id);
        ALTER TABLE export_run ADD COLUMN delivery TEXT CHECK (delivery IN ('delivered', 'failed'));
        ALTER TABLE export_run ADD COLUMN delivery_uri TEXT;
        ALTER TABLE export_run ADD COLUMN delivery_at INTEGER;
        ALTER TABLE export_run ADD COLUMN delivery_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE export_run ADD COLUMN delivery_message TEXT;
        """

    /// Export runs recorded their data file as a path before v6; a URI from then on.
    private static func convertExportFilesToURIs(_ db: Database) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, file FROM export_run WHERE file LIKE '/%'")
        for row in rows {
            let path: String = row["file"]
            try db.execute(
                sql: "UPDATE export_run SET file = ? WHERE id = ?",
                arguments: [URL(fileURLWithPath: path).absoluteString, row["id"] as Int64])
        }
    }

    private static let auditOutcomeAndLedgerPages = """
        ALTER TABLE audit ADD COLUMN role TEXT CHECK (role IN ('viewer', 'support', 'ops', 'admin'));
        ALTER TABLE audit ADD COLUMN outcome TEXT NOT NULL DEFAULT 'succeeded'
            CHECK (outcome IN ('succeeded', 'failed', 'denied'));
        CREATE INDEX upload_started ON upload(started_at);
        CREATE INDEX export_run_started ON export_run(started_at);
        CREATE INDEX export_run_client_day ON export_run(client_id, day);
        """

    /// The drop zone names a client by its audience id (`onboard/audience={id}/…`).
    private static let clientAudience = """
        ALTER TABLE client ADD COLUMN audience TEXT;
        CREATE UNIQUE INDEX client_audience ON client(audience) WHERE audience IS NOT NULL;
        """

    private static let initial = """
        CREATE TABLE client (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            country TEXT NOT NULL,
            dmp TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );

        CREATE TABLE partner (
            key TEXT PRIMARY KEY NOT NULL,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            callback_url TEXT,
            position INTEGER NOT NULL
        );
        CREATE INDEX partner_client ON partner(client_id);

        CREATE TABLE upload (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            mode TEXT NOT NULL,
            source TEXT NOT NULL,
            file_name TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            accepted INTEGER NOT NULL,
            rejected INTEGER NOT NULL,
            duplicates INTEGER NOT NULL,
            records_before INTEGER NOT NULL,
            records_after INTEGER NOT NULL,
            status TEXT NOT NULL,
            message TEXT
        );
        CREATE INDEX upload_client ON upload(client_id, started_at);

        -- A client's customers. record_id is the client's own id, or the primary identifier hash in hex.
        CREATE TABLE crm_record (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            record_id TEXT NOT NULL,
            active INTEGER NOT NULL,
            upload_id INTEGER REFERENCES upload(id) ON DELETE SET NULL,
            updated_at INTEGER NOT NULL,
            UNIQUE (client_id, record_id)
        );
        CREATE INDEX crm_record_client_active ON crm_record(client_id, active);

        -- Only hashes: 32-byte SHA-256 digests of normalised values.
        CREATE TABLE crm_identifier (
            record INTEGER NOT NULL REFERENCES crm_record(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            hash BLOB NOT NULL,
            PRIMARY KEY (record, kind, hash)
        ) WITHOUT ROWID;
        CREATE INDEX crm_identifier_hash ON crm_identifier(hash);

        -- The identity graph: a DA id or device id seen with a hashed identifier. Shared by all clients.
        CREATE TABLE graph_edge (
            node TEXT NOT NULL,
            node_kind TEXT NOT NULL,
            hash BLOB NOT NULL,
            kind TEXT NOT NULL,
            last_seen INTEGER NOT NULL,
            PRIMARY KEY (node, node_kind, hash)
        ) WITHOUT ROWID;
        -- Covers hash -> node for matching. Retention scans by last_seen instead of keeping an index that
        -- would repeat the whole key for every edge.
        CREATE INDEX graph_edge_hash ON graph_edge(hash);

        -- Each client's match table: DMP cookie id <-> DA id, with per-day activity below.
        CREATE TABLE sync_pair (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            partner TEXT NOT NULL,
            cookie_id TEXT NOT NULL,
            da_id TEXT NOT NULL,
            site TEXT,
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            hits INTEGER NOT NULL,
            UNIQUE (partner, cookie_id, da_id)
        );
        CREATE INDEX sync_pair_da ON sync_pair(da_id);
        CREATE INDEX sync_pair_client_seen ON sync_pair(client_id, last_seen);

        CREATE TABLE sync_day (
            day INTEGER NOT NULL,
            pair INTEGER NOT NULL REFERENCES sync_pair(id) ON DELETE CASCADE,
            hits INTEGER NOT NULL,
            PRIMARY KEY (day, pair)
        ) WITHOUT ROWID;
        CREATE INDEX sync_day_pair ON sync_day(pair);

        CREATE TABLE export_run (
            id INTEGER PRIMARY KEY,
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            day INTEGER NOT NULL,
            started_by TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            finished_at INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            file TEXT,
            sha256 TEXT,
            bytes INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            message TEXT
        );
        CREATE INDEX export_run_client ON export_run(client_id, started_at);

        CREATE TABLE match_snapshot (
            client_id TEXT NOT NULL REFERENCES client(id) ON DELETE CASCADE,
            day INTEGER NOT NULL,
            records INTEGER NOT NULL,
            matched_records INTEGER NOT NULL,
            synced_cookies INTEGER NOT NULL,
            matched_cookies INTEGER NOT NULL,
            by_kind TEXT NOT NULL,
            PRIMARY KEY (client_id, day)
        ) WITHOUT ROWID;

        -- Kept when a client is removed: the log answers who did what, also about clients now gone.
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            client_id TEXT,
            detail TEXT NOT NULL
        );
        CREATE INDEX audit_client ON audit(client_id, id);
        """
}
