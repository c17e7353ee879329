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
    /// Path of the data file, when one was written.
    public var file: String?
    /// Lower-case hex SHA-256 of the data file.
    public var sha256: String?
    public var bytes: Int
    public var outcome: Outcome
    public var message: String?

    public init(
        id: Int64? = nil, clientID: String, day: Day, startedBy: String, startedAt: Date, finishedAt: Date, rows: Int,
        file: String?, sha256: String?, bytes: Int, outcome: Outcome, message: String? = nil
    ) {
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
}
