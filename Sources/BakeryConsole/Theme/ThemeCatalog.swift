import Foundation

/// The `themes/` folder: which themes exist and loading one by name.
public struct ThemeCatalog: Sendable {
    public let folder: URL

    public init(folder: URL) { self.folder = folder }

    /// Finds the themes folder: `$BAKERY_THEMES`, else `themes/` in the current directory, else `themes/` in a parent
    /// of the executable (a checkout running `.build/debug/bakery`). Nil when none exists.
    public static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
        executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
    ) -> ThemeCatalog? {
        if let explicit = environment["BAKERY_THEMES"], !explicit.isEmpty {
            return ThemeCatalog(folder: URL(fileURLWithPath: explicit))
        }
        var candidates = [currentDirectory.appendingPathComponent("themes")]
        var directory = executable.deletingLastPathComponent()
        while directory.pathComponents.count > 1 {
            candidates.append(directory.appendingPathComponent("themes"))
            directory = directory.deletingLastPathComponent()
        }
        return candidates.first { isDirectory($0) }.map(ThemeCatalog.init(folder:))
    }

    /// Theme names (file names without `.toml`), sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads `NAME.toml`; an unknown name is an error that lists the known ones.
    public func load(named name: String) throws(ThemeError) -> Theme {
        let url = folder.appendingPathComponent("\(name).toml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ThemeError(
                file: url.path, line: nil, key: nil,
                message: "does not exist; known themes: \(names().joined(separator: ", "))")
        }
        return try Theme.load(contentsOf: url)
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
