import Foundation

/// The commands of one `sftp -b` session, one a line.
///
/// Arguments are always double-quoted with `\` and `"` escaped, which sftp's parser turns back into
/// the literal text and in which it also escapes glob characters (`*?[`), so a quoted path is taken
/// literally. Paths that cannot be written on one line (newline, NUL, other control characters) are
/// refused before a batch is built (see ``PathRules``).
struct BatchScript {
    private(set) var lines: [String] = []

    /// `name "arg1" "arg2"`; with `mayFail`, prefixed with `-` so that sftp goes on when it fails.
    mutating func add(_ name: String, _ arguments: String..., flags: String? = nil, mayFail: Bool = false) {
        var line = (mayFail ? "-" : "") + name
        if let flags { line += " " + flags }
        for argument in arguments { line += " " + Self.quote(argument) }
        lines.append(line)
    }

    /// A line written as is: only for fixed text such as glob patterns built from `*` and `/`.
    mutating func addUnquoted(_ line: String) { lines.append(line) }

    var text: String { lines.map { $0 + "\n" }.joined() }

    /// `"…"` with `\` and `"` escaped, the quoting sftp's batch parser understands.
    static func quote(_ argument: String) -> String {
        var quoted = "\""
        for character in argument {
            if character == "\\" || character == "\"" { quoted.append("\\") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }
}

/// What paths the client accepts, and how remote paths are joined onto the configured root.
enum PathRules {
    /// Why `text` cannot go into a batch line or an ssh option, or nil when it can.
    static func problem(in text: String) -> String? {
        for scalar in text.unicodeScalars {
            if scalar == "\0" { return "contains a NUL character" }
            if scalar == "\n" || scalar == "\r" { return "contains a line break" }
            if scalar.value < 0x20 || scalar.value == 0x7F { return "contains a control character" }
        }
        return nil
    }

    /// The components of a path relative to the root: not absolute, no `..`, no control characters;
    /// empty and `.` components are dropped, so `""` and `"."` are the root itself.
    static func components(ofRelative path: String) -> Result<[String], RefusedPath> {
        if let problem = problem(in: path) { return .failure(RefusedPath(reason: problem)) }
        if path.hasPrefix("/") {
            return .failure(RefusedPath(reason: "is absolute; paths are relative to the configured root"))
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        if parts.contains("..") { return .failure(RefusedPath(reason: "contains a '..' component")) }
        return .success(parts)
    }

    /// `root/a/b`. An empty root is the login folder, written `./a/b`, so that no argument ever starts
    /// with `-` (sftp would read it as an option).
    static func join(root: String, _ components: [String]) -> String {
        var base = root
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        if base.isEmpty { base = "." }
        if components.isEmpty { return base }
        return (base == "/" ? "" : base) + "/" + components.joined(separator: "/")
    }

    /// `name` in the folder of the full remote path `path`.
    static func sibling(of path: String, named name: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return name }
        return String(path[...slash]) + name
    }

    struct RefusedPath: Error { var reason: String }
}
