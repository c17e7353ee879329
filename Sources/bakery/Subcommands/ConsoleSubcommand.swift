import ArgumentParser
import BakeryConsole
import BakeryCore
import Foundation

struct ConsoleSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The operations console (the default command).",
        discussion: """
            Keys: arrows or hjkl to move, Enter to open, Esc or q to go back, / to filter, : for commands
            (:clients, :client ID, :sync ID, :exports [ID], :onboard [ID], :audit [ID], :theme NAME, :q), ? for
            every key; the mouse selects rows and tabs and scrolls. Themes live in themes/ (or $BAKERY_THEMES).
            Settings (the default theme, the log file, the uploads folder, the drop zone, the export folder) come
            from $BAKERY_CONFIG, else ~/.config/bakery/console.toml.
            The console logs to $BAKERY_LOG, else next to the database (bakery.sqlite -> bakery.console.log).
            """)

    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Create a demo database first when none exists at the --db path.") var demo = false
    @Option(help: "Colour theme: a file name in themes/ without .toml (default, light, high-contrast, colorblind, monochrome).")
    var theme: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw BakeryError.invalidInput(
                "the console needs a terminal; for scripts use the other commands with --json (see bakery --help)")
        }
        let settings: ConsoleConfiguration
        do {
            settings = try ConsoleConfiguration.load(from: ConsoleConfiguration.locate(environment: environment))
        } catch {
            throw BakeryError.invalidInput("console settings \(error)")
        }
        let catalog = ThemeCatalog.locate()
        let themeName = settings.startingTheme(explicit: theme, environment: environment)
        let chosenTheme: Theme
        do {
            chosenTheme = try catalog?.load(named: themeName) ?? .builtIn
        } catch {
            throw BakeryError.invalidInput("theme '\(themeName)': \(error)")
        }
        let actor = try database.actor()
        if demo && !FileManager.default.fileExists(atPath: database.location) {
            Console.note("no database at \(database.location): building the demo dataset first…")
            _ = try await DemoDataset.build(
                DemoOptions(), into: try database.openStore(for: actor, create: true), by: actor)
        }
        // A small page cache per reader keeps the console's memory flat whatever the database size (measured on
        // the 1M-record demo: 76 MB peak with the 32 MiB default, see docs/performance.md); the OS file cache
        // still holds the hot pages.
        let store = try database.openStore(for: actor, readerCacheKiB: 2_048)
        let log = ConsoleLog(
            path: ConsoleLog.path(database: database.location, configured: settings.log, environment: environment))
        // For scripts/bench-console: frame and key timings, appended to a file (never shown on screen).
        let timings = environment["BAKERY_CONSOLE_TIMINGS"].flatMap { ConsoleLog(path: $0, stamped: false) }
            .map(ConsoleTimings.init(file:))
        let folders = settings.folders(
            environment: environment, currentFolder: FileManager.default.currentDirectoryPath)
        let app = await BakeryConsole.ConsoleApp(
            environment: ConsoleEnvironment(
                store: store, actor: actor, folders: folders, log: log, storage: StorageConnectors.standard),
            theme: chosenTheme, themes: catalog, database: database.location, timings: timings)
        try await app.run(driver: NcursesDriver())
    }
}
