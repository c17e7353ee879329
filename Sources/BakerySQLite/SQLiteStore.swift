import BakeryCore
import Foundation
import GRDB

/// The embedded default ``Store``: one SQLite file in WAL mode behind a GRDB `DatabasePool`, so readers
/// (the console, exports) never wait for the writer (the sync server, onboarding).
public final class SQLiteStore: Store {
    let pool: DatabasePool
    /// The file this store opened, as given.
    public let path: String
    /// Opened with ``OpenMode/readOnly``: SQLite itself refuses every write.
    public let isReadOnly: Bool
    /// Read-only stores only: a separate connection for the one write they make, appending to the audit log (a
    /// viewer's refused action is recorded like anyone else's).
    private let auditAppender: DatabaseQueue?

    /// How to treat a path with no database file yet.
    public enum OpenMode: Sendable {
        /// Fail with ``BakeryError/databaseMissing(path:)``: commands that only read or add to existing data.
        case existing
        /// Create an empty database: `demo`, `client add`.
        case createIfMissing
        /// An existing, up-to-date database opened with `SQLITE_OPEN_READONLY` (the `viewer` role): no migration
        /// runs, and every change is refused by SQLite, not only by Bakery. Audit entries are still appended.
        case readOnly
    }

    /// The page cache of each reading connection unless the caller asks otherwise.
    public static let defaultReaderCacheKiB = 32_768

    /// Opens (and if allowed creates) the database at `path`, bringing its schema up to date.
    ///
    /// A file that is not a Bakery database — not SQLite, corrupt, another program's tables, or written by a
    /// newer Bakery — is refused with a ``BakeryError`` before anything is written to it.
    ///
    /// - Parameter readerCacheKiB: the page cache of each reading connection (a pool opens up to five). A
    ///   long-running reader that must stay small whatever the database size, such as the console, passes less.
    public init(path: String, mode: OpenMode, readerCacheKiB: Int = SQLiteStore.defaultReaderCacheKiB) throws {
        self.path = path
        isReadOnly = mode == .readOnly
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard mode == .createIfMissing else { throw BakeryError.databaseMissing(path: path) }
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.fileExists(atPath: folder) else {
                throw BakeryError.storeFailure("cannot create \(path): the folder \(folder) does not exist")
            }
        } else {
            try SQLiteStore.inspect(path: path)
        }
        do {
            var configuration = SQLiteStore.configuration(readerCacheKiB: readerCacheKiB)
            configuration.readonly = mode == .readOnly
            pool = try DatabasePool(path: path, configuration: configuration)
            if mode == .readOnly {
                let current = try pool.read { db in try Schema.migrator.hasCompletedMigrations(db) }
                guard current else {
                    throw BakeryError.storeFailure(
                        "\(path) needs an upgrade of its schema, which a read-only (viewer) session cannot make; "
                            + "run any command once with a role that may write")
                }
                // Where the OS gives this account no write access the log cannot be appended to; reading still works.
                auditAppender = try? DatabaseQueue(path: path, configuration: SQLiteStore.configuration())
            } else {
                try Schema.migrator.migrate(pool)
                auditAppender = nil
            }
        } catch let error as DatabaseError {
            throw SQLiteStore.failure("opening the database", path, error)
        }
    }

    static func configuration(readerCacheKiB: Int = defaultReaderCacheKiB) -> Configuration {
        var config = Configuration()
        // Several processes (server, console, CLI) share one file: wait for a busy writer instead of failing.
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // WAL makes NORMAL durable against application crashes; a power loss may drop the last commits.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Temporary B-trees (a DISTINCT over a large client's matches) in memory, except on readers that keep a
            // small page cache so a long-running process stays small (the console): those spill them to a file,
            // which the OS caches but which does not count as the process's memory.
            let smallReader = db.configuration.readonly && readerCacheKiB < defaultReaderCacheKiB
            try db.execute(sql: "PRAGMA temp_store = \(smallReader ? "FILE" : "MEMORY")")
            // The one writer does bulk inserts into indexes keyed by random hashes: a page cache keeps their upper
            // levels and recent leaves off the disk. 64 MiB, not more: a 1M-row upload with the client's own ids
            // is as fast with it as with 256 MiB (replace faster: 10.1 s against 12.0 s), and its peak memory stays
            // at 155 MiB at 1M and 2M rows instead of growing with the database until a larger cache is full (280
            // and 372 MiB); below 32 MiB replace slows down. The 1M-record demo takes 47 s instead of 42 s.
            // Readers, one per concurrent read, stay small so the console's memory does not grow with the database.
            let kib = db.configuration.readonly ? readerCacheKiB : 65_536
            try db.execute(sql: "PRAGMA cache_size = -\(kib)")
        }
        return config
    }

    /// Refuses, without writing a byte, a file that is not a Bakery database this binary understands.
    static func inspect(path: String) throws {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        if size > 0 {
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw BakeryError.storeFailure("cannot read \(path): permission denied")
            }
            let header = (try? handle.read(upToCount: 16)) ?? Data()
            try? handle.close()
            guard header == Data("SQLite format 3\0".utf8) else {
                throw BakeryError.notADatabase(path: path, detail: "it is not an SQLite file")
            }
        }
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if tables.isEmpty { return }
                guard tables.contains("grdb_migrations") else {
                    throw BakeryError.notADatabase(path: path, detail: "it holds another program's tables")
                }
                if try Schema.migrator.hasBeenSuperseded(db) { throw BakeryError.databaseTooNew(path: path) }
                // Touch every table's root page so a damaged file is caught here, not halfway through a write.
                for table in tables where !table.hasPrefix("sqlite_") {
                    _ = try Row.fetchOne(db, sql: "SELECT 1 FROM \"\(table)\" LIMIT 1")
                }
            }
            try queue.close()
        } catch let error as DatabaseError {
            switch error.resultCode {
            case .SQLITE_CORRUPT, .SQLITE_CANTOPEN, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_BUSY, .SQLITE_LOCKED:
                // An SQLite file that cannot be read as it stands: damaged, locked or on a mount that refuses it.
                throw SQLiteStore.failure("opening the database", path, error)
            default:
                throw BakeryError.notADatabase(path: path, detail: "SQLite says: \(error.message ?? error.description)")
            }
        }
    }

    /// Runs a write transaction, turning driver errors into messages an operator can read.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try refuseIfReadOnly()
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw SQLiteStore.failure("database write", path, error)
        }
    }

    /// Throws before any work when the store was opened read-only: SQLite would refuse the write anyway, with a
    /// message that does not say why.
    func refuseIfReadOnly() throws {
        guard isReadOnly else { return }
        throw BakeryError.storeFailure("\(path) is open read-only (the viewer role): nothing can be changed")
    }

    /// Appends an audit entry on the audit-only connection of a read-only store, or in a write transaction.
    func appendAuditRow(_ entry: AuditEntry) async throws -> Int64 {
        let insert: @Sendable (Database) throws -> Int64 = { db in try SQLiteStore.insertAudit(db, entry) }
        guard isReadOnly else { return try await write(insert) }
        guard let auditAppender else {
            throw BakeryError.storeFailure("\(path) is not writable by this account: the audit entry was not written")
        }
        do {
            return try await auditAppender.write(insert)
        } catch let error as DatabaseError {
            throw SQLiteStore.failure("audit write", path, error)
        }
    }

    /// Runs a read on a snapshot, turning driver errors into messages an operator can read.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw SQLiteStore.failure("database read", path, error)
        }
    }

    /// Throws ``BakeryError/unknownClient(_:)`` unless the client exists.
    static func requireClient(_ db: Database, _ id: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM client WHERE id = ?", arguments: [id]) == true else {
            throw BakeryError.unknownClient(id)
        }
    }
}

extension Date {
    /// Whole seconds since 1970, as stored.
    var storedSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }

    init(storedSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(storedSeconds)) }
}

extension IdentifierHash {
    var blob: Data { Data(bytes) }
}
