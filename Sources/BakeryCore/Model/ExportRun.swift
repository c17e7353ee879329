import Foundation

/// One delta-export attempt for one client and day, as the export ledger keeps it.
public struct ExportRun: Hashable, Codable, Sendable {
    public enum Outcome: String, Codable, Sendable { case succeeded, failed }

    /// Assigned by the store; nil until stored.
    public var id: Int64?
    public var clientID: String
    /// The UTC day whose syncs the file covers.
    public var day: Day
    /// Who or what started it: an operator name, `scheduler`, `catch-up`, `demo`.
    public var startedBy: String
    public var startedAt: Date
    public var finishedAt: Date
    public var rows: Int
    /// The data file's URI (`file:///…/acme_2026-11-30.csv.gz`), when one was written.
    public var file: String?
    /// Lower-case hex SHA-256 of the data file.
    public var sha256: String?
    public var bytes: Int
    public var outcome: Outcome
    public var message: String?
    /// Where the run's files were delivered, or why not; nil when the client has no delivery location.
    public var delivery: Delivery?

    /// The state of a run's delivery to the client's delivery location.
    public struct Delivery: Hashable, Codable, Sendable {
        public enum Status: String, Hashable, Codable, Sendable {
            case delivered, failed
        }

        public var status: Status
        /// The data file's URI at the destination, or the destination's when it failed.
        public var uri: String
        public var at: Date
        /// Attempts so far, this one included.
        public var attempts: Int
        /// Why the last attempt failed.
        public var message: String?

        public init(status: Status, uri: String, at: Date, attempts: Int, message: String? = nil) {
            self.status = status
            self.uri = uri
            self.at = at
            self.attempts = attempts
            self.message = message
        }
    }

    public init(
        id: Int64? = nil, clientID: String, day: Day, startedBy: String, startedAt: Date, finishedAt: Date, rows: Int,
        file: String?, sha256: String?, bytes: Int, outcome: Outcome, message: String? = nil,
        delivery: Delivery? = nil
    ) {
        self.delivery = delivery
        self.id = id
        self.clientID = clientID
        self.day = day
        self.startedBy = startedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rows = rows
        self.file = file
        self.sha256 = sha256
        self.bytes = bytes
        self.outcome = outcome
        self.message = message
    }

    public var duration: TimeInterval { finishedAt.timeIntervalSince(startedAt) }

    /// The data file's local path, when its URI is a local one.
    public var localFile: URL? {
        guard let file else { return nil }
        if file.hasPrefix("file://") { return URL(string: file).map { URL(fileURLWithPath: $0.path) } }
        return file.hasPrefix("/") ? URL(fileURLWithPath: file) : nil
    }
}
