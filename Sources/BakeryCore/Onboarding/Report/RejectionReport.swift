import Foundation

/// The rejected rows of one upload: every rejection is counted by reason, and the first
/// `maxEntries` are kept in detail so a file of a million bad rows cannot exhaust memory.
public struct RejectionReport: Sendable, Equatable {
    /// Detailed entries kept; later rejections are only counted.
    public let maxEntries: Int
    public private(set) var entries: [CRMRowRejection] = []
    public private(set) var counts: [RejectionReason: Int] = [:]

    public init(maxEntries: Int = 10_000) {
        self.maxEntries = maxEntries
    }

    /// All rejections, including those beyond `maxEntries`.
    public var total: Int { counts.values.reduce(0, +) }

    /// Counts keyed by the snake_case reason, as `onboard --json` reports them.
    public var countsByReason: [String: Int] { counts.byName }

    /// True when some rejections were counted but not kept in `entries`.
    public var isTruncated: Bool { total > entries.count }

    public mutating func add(_ rejection: CRMRowRejection) {
        counts[rejection.reason, default: 0] += 1
        if entries.count < maxEntries { entries.append(rejection) }
    }

    /// The report as CSV: `row,line,reason,column,masked_value`, one line per kept entry, CRLF
    /// line ends as the input format uses. Cells are quoted when they need it.
    public func csv() -> String {
        var out = "row,line,reason,column,masked_value\r\n"
        for entry in entries {
            let cells = [
                String(entry.row), String(entry.line), entry.reason.rawValue, entry.column ?? "",
                entry.maskedValue ?? "",
            ]
            out += cells.map(Self.quoted).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Writes `csv()` to `url` atomically.
    public func write(to url: URL) throws {
        try Data(csv().utf8).write(to: url, options: .atomic)
    }

    private static func quoted(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
