import BakeryCore
import Foundation

/// The operator's own console settings, from `console.toml`: which theme to start with and where the console
/// writes its log. Every key is optional; a missing file is the same as an empty one.
///
/// ```toml
/// version = 1                         # optional; another version is refused
/// theme = "light"                     # a theme name from themes/ (default: "default")
/// log = "/var/log/bakery/console.log" # default: next to the database
/// uploads = "/srv/bakery/uploads"     # the Onboarding view's file browser root (default: the current folder)
/// drop_zone = "/srv/bakery/dropzone"  # the drop zone whose inbox the Onboarding view lists (default: none)
/// exports = "/srv/bakery/exports"     # where exports run from the console go (default: $BAKERY_EXPORTS, ./exports)
/// ```
///
/// It is found at `$BAKERY_CONFIG`, else `$XDG_CONFIG_HOME/bakery/console.toml`, else
/// `~/.config/bakery/console.toml` (see ``locate(environment:)``).
public struct ConsoleConfiguration: Codable, Sendable, Equatable {
    public static let currentVersion = 1

    public var version: Int
    public var theme: String?
    public var log: String?
    public var uploads: String?
    public var dropZone: String?
    public var exports: String?

    public init(
        version: Int = ConsoleConfiguration.currentVersion, theme: String? = nil, log: String? = nil,
        uploads: String? = nil, dropZone: String? = nil, exports: String? = nil
    ) {
        self.version = version
        self.theme = theme
        self.log = log
        self.uploads = uploads
        self.dropZone = dropZone
        self.exports = exports
    }

    /// The folders the views use: these settings, else `$BAKERY_EXPORTS` for exports, else the defaults.
    public func folders(environment: [String: String], currentFolder: String) -> ConsoleFolders {
        func url(_ path: String?) -> URL? {
            path.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: currentFolder, isDirectory: true)) }
        }
        let exportsFromEnvironment = environment["BAKERY_EXPORTS"].flatMap { $0.isEmpty ? nil : $0 }
        return ConsoleFolders(
            uploads: url(uploads) ?? URL(fileURLWithPath: currentFolder), dropZone: url(dropZone),
            exports: url(exports ?? exportsFromEnvironment) ?? url("exports")!)
    }

    /// The theme to start with: `--theme`, then `NO_COLOR`, then `$BAKERY_THEME`, then this file's `theme`, then
    /// `default` (a terminal without colours always gets `monochrome`; see ``ThemeSelection``).
    public func startingTheme(explicit: String?, environment: [String: String]) -> String {
        let fromEnvironment = environment["BAKERY_THEME"].flatMap { $0.isEmpty ? nil : $0 }
        return ThemeSelection.name(explicit: explicit, configured: fromEnvironment ?? theme, environment: environment)
    }

    /// Where the settings file is, and whether the operator named it (an explicitly named file must exist).
    public struct Location: Sendable, Equatable {
        public var path: String
        public var isExplicit: Bool
    }

    /// `$BAKERY_CONFIG`, else `$XDG_CONFIG_HOME/bakery/console.toml`, else `$HOME/.config/bakery/console.toml`;
    /// nil when none of those can be formed (no `HOME`).
    public static func locate(environment: [String: String]) -> Location? {
        if let explicit = environment["BAKERY_CONFIG"], !explicit.isEmpty {
            return Location(path: explicit, isExplicit: true)
        }
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty {
            return Location(path: "\(base)/bakery/console.toml", isExplicit: false)
        }
        if let home = environment["HOME"], !home.isEmpty {
            return Location(path: "\(home)/.config/bakery/console.toml", isExplicit: false)
        }
        return nil
    }

    /// Reads the settings at `location`: a default location with no file gives the defaults; an explicit path
    /// that does not exist, or a file with a mistake, is an error naming the file and line.
    public static func load(from location: Location?) throws(ConsoleConfigurationError) -> ConsoleConfiguration {
        guard let location else { return ConsoleConfiguration() }
        guard FileManager.default.fileExists(atPath: location.path) else {
            if location.isExplicit {
                throw ConsoleConfigurationError(file: location.path, line: nil, message: "does not exist")
            }
            return ConsoleConfiguration()
        }
        let text: String
        do {
            text = try SmallTextFile.read(location.path)
        } catch {
            throw ConsoleConfigurationError(file: location.path, line: nil, message: error.reason)
        }
        return try parse(text, file: location.path)
    }

    /// Parses settings text; `file` only names the file in errors.
    public static func parse(_ text: String, file: String) throws(ConsoleConfigurationError) -> ConsoleConfiguration {
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw ConsoleConfigurationError(file: file, line: error.line, message: error.message)
        }
        var configuration = ConsoleConfiguration()
        for section in document.sections {
            guard section.name.isEmpty else {
                throw ConsoleConfigurationError(
                    file: file, line: section.line, message: "[\(section.name)]: the settings file has no sections")
            }
            for (key, entry) in section.keys {
                switch (key, entry.value) {
                case ("version", .integer(let version)):
                    guard version == currentVersion else {
                        throw ConsoleConfigurationError(
                            file: file, line: entry.line,
                            message: "version is \(version), but this Bakery reads settings version \(currentVersion)")
                    }
                    configuration.version = version
                case ("theme", .string(let theme)) where !theme.isEmpty:
                    configuration.theme = theme
                case ("log", .string(let log)) where !log.isEmpty:
                    configuration.log = log
                case ("uploads", .string(let path)) where !path.isEmpty:
                    configuration.uploads = path
                case ("drop_zone", .string(let path)) where !path.isEmpty:
                    configuration.dropZone = path
                case ("exports", .string(let path)) where !path.isEmpty:
                    configuration.exports = path
                case ("version", _):
                    throw ConsoleConfigurationError(file: file, line: entry.line, message: "version must be an integer")
                case ("theme", _), ("log", _), ("uploads", _), ("drop_zone", _), ("exports", _):
                    throw ConsoleConfigurationError(
                        file: file, line: entry.line, message: "\(key) must be a non-empty \"string\"")
                default:
                    throw ConsoleConfigurationError(
                        file: file, line: entry.line, message: "\(key) is not a setting (known: version, theme, log, uploads, drop_zone, exports)")
                }
            }
        }
        return configuration
    }
}

/// A mistake in the settings file, naming the file and, when known, the line.
public struct ConsoleConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
}
