import Foundation

/// Produces an upload's records inside the store's transaction: call `emit` once per accepted row, in file order,
/// and return the file's totals. Throwing (a bad file, cancellation) rolls the whole upload back.
public typealias UploadFeed = @Sendable (_ emit: (CRMRecord) throws -> Void) throws -> UploadFeedTotals

/// What the reader counted that the store cannot: rows read and rows rejected.
public struct UploadFeedTotals: Hashable, Sendable {
    public var rows: Int
    public var rejected: Int

    public init(rows: Int, rejected: Int) {
        self.rows = rows
        self.rejected = rejected
    }
}

/// One onboarding file to apply to one client's records.
///
/// Mode semantics (every store keeps them; the conformance suite checks them):
/// - ``UpdateMode/add`` (opt-in): a record id the client does not have is added. A record id it has is kept once:
///   if active it is counted as already present, if removed earlier it is made active again; in both cases the
///   file's identifier hashes are merged into the record's (an add never drops an identifier — use `replace`).
/// - ``UpdateMode/remove`` (opt-out): a row with a `custom` record id removes the active record with that id; a row
///   without one removes every active record sharing any of the row's identifier hashes (same kind and hash).
///   Removed records are deactivated, not deleted, so the ledger and counts keep them as removed.
/// - ``UpdateMode/replace``: the file becomes the whole active record set. Its records are added or reactivated with
///   exactly the file's identifiers; every other active record of the client is removed. A replace with no accepted
///   row is refused (it would remove everything) and stores nothing.
///
/// A row whose record id already appeared earlier in the same file is a duplicate: counted in
/// ``Upload/duplicates``, its identifiers merged into that record, never a second record. In `remove` mode a row that
/// only matches records this upload already removed is a duplicate.
public struct UploadRequest: Hashable, Sendable {
    public var clientID: String
    public var mode: UpdateMode
    public var source: Upload.Source
    /// The file's name only (no folder, no contents).
    public var fileName: String
    /// Who applied it, for the audit log.
    public var actor: Operator
    public var startedAt: Date
    /// Run everything, then roll back.
    public var dryRun: Bool
    /// The storage object this upload applies, when it came from an intake location: recorded in the upload's
    /// transaction, so the object is applied exactly once (see ``Store/intakeUpload(_:)``).
    public var intake: IntakeKey?

    public init(
        clientID: String, mode: UpdateMode, source: Upload.Source, fileName: String, actor: Operator,
        startedAt: Date = Date(), dryRun: Bool = false, intake: IntakeKey? = nil
    ) {
        self.intake = intake
        self.clientID = clientID
        self.mode = mode
        self.source = source
        self.fileName = fileName
        self.actor = actor
        self.startedAt = startedAt
        self.dryRun = dryRun
    }
}

/// The stored ledger row of an applied upload, and the per-record counts behind it.
public struct AppliedUpload: Hashable, Sendable {
    /// The ledger row; `id` is nil for a dry run.
    public var upload: Upload
    /// Records new to the client, or made active again.
    public var added: Int
    /// `add`/`replace`: rows whose record was already active (kept, identifiers merged or replaced).
    public var alreadyPresent: Int
    /// Records made inactive: by the file's rows (`remove`) or by being absent from the file (`replace`).
    public var removed: Int
    /// `remove`: rows that matched no record of the client.
    public var notFound: Int
    /// Active records that matched (``Store/matchedRecordCount(clientID:)``) before and after the upload: set for dry
    /// runs, counted inside their transaction; for applied uploads only when the caller measured them.
    public var matchedBefore: Int?
    public var matchedAfter: Int?

    public init(
        upload: Upload, added: Int = 0, alreadyPresent: Int = 0, removed: Int = 0, notFound: Int = 0,
        matchedBefore: Int? = nil, matchedAfter: Int? = nil
    ) {
        self.upload = upload
        self.added = added
        self.alreadyPresent = alreadyPresent
        self.removed = removed
        self.notFound = notFound
        self.matchedBefore = matchedBefore
        self.matchedAfter = matchedAfter
    }
}

extension CRMRecord {
    /// True when the record id is the client's own (`custom`), not derived from the primary identifier hash.
    public var hasOwnRecordID: Bool {
        recordID != CRMRecord.primary(of: identifiers)?.hash.hex
    }
}

/// One version of one file at one location: what the intake ledger keys on.
public struct IntakeKey: Hashable, Sendable, Codable {
    /// The location's URI (``FileSource/uri``).
    public var location: String
    public var key: String
    /// ``StoredFile/version``.
    public var version: String

    public init(location: String, key: String, version: String) {
        self.location = location
        self.key = key
        self.version = version
    }
}
