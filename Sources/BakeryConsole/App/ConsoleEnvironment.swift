import BakeryCore
import Foundation

/// What every data view works with: the store, who is at the keyboard, the clock, the log, the folders files come
/// from and go to, and the app, to tell it about work that finishes after a key's action has returned (an upload's
/// progress, an export's result).
///
/// ```swift
/// let environment = ConsoleEnvironment(store: store, actor: anna, folders: ConsoleFolders(uploads: "/srv/crm"))
/// let view = SyncTableView(environment: environment, client: acme)
/// ```
@MainActor
public final class ConsoleEnvironment {
    public let store: any Store
    public let actor: Operator
    public let now: @Sendable () -> Date
    public let log: ConsoleLog?
    public let folders: ConsoleFolders
    /// Opens the clients' storage locations (the Onboarding view's inbox lists their waiting files).
    public let storage: any StorageConnector
    /// Set by the app that shows the views.
    weak var host: ConsoleHost?

    public init(
        store: any Store, actor: Operator, folders: ConsoleFolders = ConsoleFolders(),
        now: @escaping @Sendable () -> Date = Date.init, log: ConsoleLog? = nil,
        storage: any StorageConnector = LocalStorageConnector()
    ) {
        self.storage = storage
        self.store = store
        self.actor = actor
        self.folders = folders
        self.now = now
        self.log = log
    }

    /// Asks the app to draw again: background work changed what a view shows.
    public func setNeedsDisplay() { host?.setNeedsDisplay() }

    /// Shows a message in the footer from work that ended in the background.
    public func post(_ message: ConsoleMessage) { host?.show(message) }

    /// Writes to the console log (never the screen).
    public func record(_ text: String) { log?.write(text) }
}

/// Where the Onboarding and Exports views find and put files (from the settings file; see
/// ``ConsoleConfiguration``).
public struct ConsoleFolders: Sendable, Equatable {
    /// The root of the Onboarding view's file browser; it never goes above it.
    public var uploads: URL
    /// The drop zone whose `onboard/` inbox the Onboarding view lists; nil when none is configured.
    public var dropZone: URL?
    /// The delta-export root exports are written under.
    public var exports: URL

    public init(
        uploads: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath), dropZone: URL? = nil,
        exports: URL = URL(fileURLWithPath: "exports")
    ) {
        self.uploads = uploads.standardizedFileURL
        self.dropZone = dropZone?.standardizedFileURL
        self.exports = exports.standardizedFileURL
    }
}

/// What views may ask of the app that shows them; ``ConsoleApp`` is the one implementation.
@MainActor
protocol ConsoleHost: AnyObject {
    func setNeedsDisplay()
    func show(_ message: ConsoleMessage)
}
