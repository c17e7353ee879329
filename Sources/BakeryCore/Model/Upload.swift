import Foundation

/// How an onboarding file changes a client's record set.
public enum UpdateMode: String, Codable, Sendable, CaseIterable {
    /// Opt-in: add the file's records.
    case add
    /// Opt-out: remove the records matching the file's identifiers.
    case remove
    /// The file becomes the whole record set.
    case replace
}

/// One onboarding run, as the ledger keeps it. Counts only; never a plain-text value.
public struct Upload: Hashable, Codable, Sendable {
    public enum Source: String, Codable, Sendable { case cli, console, dropZone = "drop_zone", demo }
    public enum Status: String, Codable, Sendable { case applied, failed, dryRun = "dry_run" }

    /// Assigned by the store; nil until stored.
    public var id: Int64?
    public var clientID: String
    public var mode: UpdateMode
    public var source: Source
    /// The file's name (not its path or contents).
    public var fileName: String
    public var startedAt: Date
    public var finishedAt: Date
    public var rows: Int
    public var accepted: Int
    public var rejected: Int
    public var duplicates: Int
    public var recordsBefore: Int
    public var recordsAfter: Int
    public var status: Status
    public var message: String?

    public init(
        id: Int64? = nil, clientID: String, mode: UpdateMode, source: Source, fileName: String, startedAt: Date,
        finishedAt: Date, rows: Int, accepted: Int, rejected: Int, duplicates: Int, recordsBefore: Int,
        recordsAfter: Int, status: Status, message: String? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.mode = mode
        self.source = source
        self.fileName = fileName
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.rows = rows
        self.accepted = accepted
        self.rejected = rejected
        self.duplicates = duplicates
        self.recordsBefore = recordsBefore
        self.recordsAfter = recordsAfter
        self.status = status
        self.message = message
    }
}
