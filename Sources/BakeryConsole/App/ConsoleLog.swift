import Foundation

/// An append-only text file the console writes to, because a full-screen program must never print on its own
/// screen. One line per entry, each written with a single `write(2)` on an `O_APPEND` descriptor, so lines from
/// concurrent writers (and other processes sharing the file) never interleave.
///
/// ```swift
/// let log = ConsoleLog(path: ConsoleLog.path(database: "bakery.sqlite", configured: nil, environment: env))
/// log?.write("load failed: clients: disk I/O error")
/// ```
public final class ConsoleLog: Sendable {
    public let path: String
    private let descriptor: Int32
    private let stamped: Bool

    /// Opens (creating) `path` for appending; nil when that is impossible (a read-only folder, say).
    /// - Parameter stamped: prefix each line with the UTC time; timing files leave it off to stay easy to parse.
    public init?(path: String, stamped: Bool = true) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return nil }
        self.path = path
        self.descriptor = descriptor
        self.stamped = stamped
    }

    deinit { close(descriptor) }

    /// Appends one line (a newline in `text` is replaced, so an entry stays one line).
    public func write(_ text: String) {
        let body = text.replacingOccurrences(of: "\n", with: " ")
        let line = (stamped ? "\(ISO8601DateFormatter().string(from: Date())) \(body)" : body) + "\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
    }

    /// Where the console logs: `$BAKERY_LOG`, else the settings file's `log`, else beside the database
    /// (`bakery.sqlite` → `bakery.console.log`).
    public static func path(database: String, configured: String?, environment: [String: String]) -> String {
        if let explicit = environment["BAKERY_LOG"], !explicit.isEmpty { return explicit }
        if let configured, !configured.isEmpty { return configured }
        let url = URL(fileURLWithPath: database)
        let base = url.pathExtension.isEmpty ? url : url.deletingPathExtension()
        return base.path + ".console.log"
    }
}
