import ArgumentParser
import BakeryCore
import BakerySQLite
import Foundation

/// `--db`, `--role` and `--read-only`, shared by every command that touches the database: which database, and who
/// acts on it in which role.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The database: a SQLite file path. Default: $BAKERY_DB, else ./bakery.sqlite.", valueName: "path"))
    var db: String?

    @Option(
        help: ArgumentHelp(
            "Act as viewer, support, ops or admin: at most what the roles file allows this OS user (default: that "
                + "most; see docs/operator-guide.md, Roles).", valueName: "role"))
    var role: Role?

    @Flag(help: "Change nothing: the viewer role, with the database opened read-only.") var readOnly = false

    /// The path in force, after the environment default.
    var location: String {
        db ?? ProcessInfo.processInfo.environment["BAKERY_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./bakery.sqlite"
    }

    /// Who runs this command: the OS user in the role the roles file and `--role`/`--read-only` give.
    func actor() throws -> Operator {
        let environment = ProcessInfo.processInfo.environment
        return try RolePolicy.load(environment: environment).resolve(
            requested: role, readOnly: readOnly, user: Operator.osUserName(), environment: environment)
    }

    /// Opens the store for `actor`: a viewer's is opened read-only by SQLite itself. `create` allows a new, empty
    /// database file (never for a viewer).
    /// - Parameter readerCacheKiB: see ``SQLiteStore/init(path:mode:readerCacheKiB:)``.
    func openStore(
        for actor: Operator, create: Bool = false, readerCacheKiB: Int = SQLiteStore.defaultReaderCacheKiB
    ) throws -> any Store {
        let location = self.location
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            throw BakeryError.invalidInput(
                "PostgreSQL databases are not supported by this build yet; use a SQLite file path for --db")
        }
        let mode: SQLiteStore.OpenMode = actor.role == .viewer ? .readOnly : create ? .createIfMissing : .existing
        return try SQLiteStore(path: location, mode: mode, readerCacheKiB: readerCacheKiB)
    }

    /// The actor and their store, for commands that need both.
    /// - Parameter permission: with `create`, what the command needs: a role without it is refused before a new
    ///   database file is made (there is none yet to audit the refusal in).
    func session(create: Bool = false, requiring permission: Permission? = nil) throws
        -> (actor: Operator, store: any Store)
    {
        let actor = try actor()
        if create, let permission, !actor.may(permission), !FileManager.default.fileExists(atPath: location) {
            throw BakeryError.invalidInput(
                "refused: there is no database at \(location), and creating one for this command needs the "
                    + "\(permission.minimumRole) role (this operator is \(actor.role)); nothing was written")
        }
        return (actor, try openStore(for: actor, create: create))
    }
}

extension Role: ExpressibleByArgument {}

/// The delta-export root: an explicit `--out`/`--export-dir`, else `$BAKERY_EXPORTS`, else `./exports`.
enum ExportFolder {
    static func resolve(_ explicit: String?) -> URL {
        let environment = ProcessInfo.processInfo.environment["BAKERY_EXPORTS"].flatMap { $0.isEmpty ? nil : $0 }
        return URL(fileURLWithPath: explicit ?? environment ?? "./exports")
    }
}
