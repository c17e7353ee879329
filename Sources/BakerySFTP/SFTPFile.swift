import Foundation

/// A regular file found by ``SFTPClient/list(under:maxDepth:)``.
public struct SFTPFile: Sendable, Hashable {
    /// How exactly ``SFTPFile/modified`` is known.
    ///
    /// OpenSSH's `sftp` has no `stat` command; `ls -l` prints times like `ls(1)`: to the minute for
    /// files modified in the last six months ("Dec  2 05:04"), to the day for older or future ones
    /// ("Dec  2  2025"). The true time lies in `modified ..< modified + precision.seconds`.
    public enum TimePrecision: String, Sendable, Hashable {
        case minute, day

        /// The width of the interval the true time lies in.
        public var seconds: TimeInterval { self == .minute ? 60 : 86_400 }
    }

    /// The path relative to the configured root (the form every ``SFTPClient`` method takes), `/`-separated.
    public var path: String
    /// Size in bytes.
    public var size: Int64
    /// The start (UTC) of the minute or day the file was last modified in.
    public var modified: Date
    /// Whether ``modified`` is to the minute or only to the day.
    public var precision: TimePrecision

    public init(path: String, size: Int64, modified: Date, precision: TimePrecision) {
        self.path = path
        self.size = size
        self.modified = modified
        self.precision = precision
    }
}

/// Parses what `ls -ln` prints in an `sftp -b` session run with `TZ=UTC` and a C.UTF-8 locale:
/// `-rw-r--r--    ? 0        0            5 Dec  2 05:04 sub dir/name`.
enum ListingParser {
    struct Entry: Equatable {
        var isRegularFile: Bool
        var isDirectory: Bool
        var size: Int64
        var modified: Date
        var precision: SFTPFile.TimePrecision
        var name: String
    }

    typealias LinePattern = Regex<(Substring, Substring, Substring, Substring, Substring, Substring, Substring)>

    /// The long-listing line: mode, links, owner and group (names may hold spaces), size, date, one
    /// space, name. Made per listing: `Regex` is not `Sendable`.
    private static func linePattern() -> LinePattern {
        #/^([-dlcbpsDw?])[-rwxsStTlL?]{9}\S*\s+\S+\s+.+?\s+(\d+)\s+([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{2}:\d{2}|\d{4}) (.*)$/#
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Every entry of the output, in order. A line that is not an entry (nor an echoed `sftp> ` command)
    /// can only be the rest of a name holding a line break: that entry is dropped, as such a name
    /// cannot be used as a path anyway.
    static func entries(in output: String, now: Date = Date()) -> [Entry] {
        let pattern = linePattern()
        var result: [Entry] = []
        var previousWasEntry = false
        var lines = output.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        // The output's final line break ends a line; it does not start an empty one.
        if lines.last?.isEmpty == true { lines.removeLast() }
        for raw in lines {
            let text = String(raw)
            if text.hasPrefix("sftp> ") {
                previousWasEntry = false
                continue
            }
            if let entry = parse(text, now: now, pattern: pattern) {
                result.append(entry)
                previousWasEntry = true
            } else if previousWasEntry {
                result.removeLast()
                previousWasEntry = false
            }
        }
        return result
    }

    static func parse(_ text: String, now: Date, pattern: LinePattern? = nil) -> Entry? {
        guard let match = try? (pattern ?? linePattern()).wholeMatch(in: text) else { return nil }
        let (_, type, size, month, day, timeOrYear, name) = match.output
        guard let bytes = Int64(size), let monthIndex = months.firstIndex(of: String(month)), let dayNumber = Int(day),
            !name.isEmpty
        else { return nil }
        guard
            let (date, precision) = date(
                month: monthIndex + 1, day: dayNumber, timeOrYear: String(timeOrYear), now: now)
        else { return nil }
        var cleanName = String(name)
        // Folders matched by a glob are printed with a trailing slash.
        while cleanName.count > 1 && cleanName.hasSuffix("/") { cleanName.removeLast() }
        return Entry(
            isRegularFile: type == "-", isDirectory: type == "d", size: bytes, modified: date, precision: precision,
            name: cleanName)
    }

    private static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `HH:MM` means within the six months before `now` (the year is the one that puts it there); `YYYY` is a day.
    private static func date(month: Int, day: Int, timeOrYear: String, now: Date) -> (Date, SFTPFile.TimePrecision)? {
        if timeOrYear.contains(":") {
            let parts = timeOrYear.split(separator: ":")
            guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
            let thisYear = utc.component(.year, from: now)
            for year in [thisYear, thisYear - 1] {
                let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
                guard components.isValidDate(in: utc), let date = utc.date(from: components) else { continue }
                // A little slack for a server clock ahead of ours.
                if date <= now.addingTimeInterval(86_400) { return (date, .minute) }
            }
            return nil
        }
        guard let year = Int(timeOrYear) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: utc), let date = utc.date(from: components) else { return nil }
        return (date, .day)
    }
}
