import ArgumentParser
import BakeryCore
import BakerySQLite
import Foundation

/// `--db`, shared by every command that touches the database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database: a SQLite file path. Default: $BAKERY_DB, else ./bakery.sqlite.", valueName: "path"))
    var db: String?

    /// The path in force, after the environment default.
    var location: String {
        db ?? ProcessInfo.processInfo.environment["BAKERY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./bakery.sqlite"
    }

    /// Opens the store; `create` allows a new, empty database file.
    /// - Parameter readerCacheKiB: see ``SQLiteStore/init(path:mode:readerCacheKiB:)``.
    func openStore(create: Bool = false, readerCacheKiB: Int = SQLiteStore.defaultReaderCacheKiB) throws -> any Store {
        let location = self.location
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            throw BakeryError.invalidInput(
                "PostgreSQL databases are not supported by this build yet; use a SQLite file path for --db")
        }
        return try SQLiteStore(
            path: location, mode: create ? .createIfMissing : .existing, readerCacheKiB: readerCacheKiB)
    }
}

/// Who is acting, for the audit log.
enum Operator {
    static var name: String {
        let env = ProcessInfo.processInfo.environment
        return env["BAKERY_OPERATOR"] ?? env["USER"] ?? env["LOGNAME"] ?? "unknown"
    }
}

/// The delta-export root: an explicit `--out`/`--export-dir`, else `$BAKERY_EXPORTS`, else `./exports`.
enum ExportFolder {
    static func resolve(_ explicit: String?) -> URL {
        let environment = ProcessInfo.processInfo.environment["BAKERY_EXPORTS"].flatMap { $0.isEmpty ? nil : $0 }
        return URL(fileURLWithPath: explicit ?? environment ?? "./exports")
    }
}
