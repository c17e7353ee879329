import Foundation

/// Where Bakery keeps its state. Every implementation (SQLite, PostgreSQL) passes the same conformance
/// suite in `BakeryTesting`, so the core and the front ends never care which one they have.
///
/// Rules every implementation keeps:
/// - each call is one transaction: it applies whole or not at all;
/// - a call naming an unknown client or partner throws ``BakeryError/unknownClient(_:)`` or
///   ``BakeryError/unknownPartner(_:)`` and writes nothing;
/// - empty inputs are valid and change nothing.
public protocol Store: Sendable {
    // MARK: Clients

    /// Adds a client with its partner keys, and `audit` (see ``AuditEntry/clientAdded(_:by:at:)``) in the same
    /// transaction. Throws on a duplicate id or a partner key another client owns.
    func addClient(_ client: Client, audit: AuditEntry) async throws
    /// Deletes a client and everything that belongs to it (records, sync pairs, ledgers), with `audit` in the same
    /// transaction. Graph edges are shared across clients and stay; so does the audit log.
    func removeClient(id: String, audit: AuditEntry) async throws
    /// All clients, ordered by id.
    func clients() async throws -> [Client]
    func client(id: String) async throws -> Client?
    /// The client that owns a partner key, for the sync endpoint.
    func client(partner key: String) async throws -> Client?
    /// The client whose drop-zone audience id this is, for `bakery watch`.
    func client(audience id: String) async throws -> Client?

    // MARK: CRM records

    /// Adds new records (with their identifier hashes). A record id the client already has, or one given
    /// twice in `records`, throws ``BakeryError/duplicateRecord(client:recordID:)`` and nothing is written.
    func insertRecords(_ records: [CRMRecord]) async throws
    /// Applies one onboarding file to a client's records in a single transaction, together with its ledger row
    /// (``Upload``) and its audit entry (``AuditEntry/upload(_:_:)``). `feed` runs inside that transaction and passes each accepted
    /// record to `emit` as the file is read, so memory stays bounded whatever the file's size; if `feed` throws,
    /// the process dies, or the mode's rules refuse the input, nothing of the upload is stored.
    /// See ``UploadRequest`` for the mode semantics and ``AppliedUpload`` for what is counted.
    ///
    /// With `request.dryRun` the same work runs and is rolled back: the figures are exact and nothing is stored but
    /// the dry run's audit entry. A dry run also counts the client's matched records before and after, inside the
    /// transaction (``AppliedUpload/matchedBefore``): the match-rate impact the upload would have.
    /// `feed` may run on a thread of the store's choosing, not the caller's; `emit` must be called from the
    /// thread `feed` runs on.
    func applyUpload(_ request: UploadRequest, feed: @escaping UploadFeed) async throws -> AppliedUpload

    // MARK: Identity graph

    /// Adds edges, or moves an existing edge's last-seen time forward (never back).
    func upsertGraphEdges(_ edges: [GraphEdge]) async throws
    /// Imports a graph file in a single transaction, with its audit entry (``AuditEntry/graphImport(_:edges:at:)``): `feed` runs inside it and
    /// passes each edge to `emit` as the file is read, so memory stays bounded whatever the file's size. Edges are
    /// upserted as in ``upsertGraphEdges(_:)``. If `feed` throws, an edge is invalid, or the process dies, nothing
    /// of the import is stored.
    /// - Returns: the edges written (an edge given twice counts twice).
    func importGraphEdges(_ request: GraphImportRequest, feed: @escaping GraphEdgeFeed) async throws -> Int
    /// The edges of one DA id or device id, by identifier kind then hash.
    func graphEdges(node: GraphNode) async throws -> [GraphEdge]
    /// The edges that reach one hashed identifier, by node.
    func graphEdges(hash: IdentifierHash) async throws -> [GraphEdge]

    // MARK: Cookie sync

    /// Folds observations into the sync pairs and their per-day activity; throws ``BakeryError/unknownPartner(_:)``
    /// (and stores nothing) when a hit's partner is not known.
    func recordSyncHits(_ hits: [SyncHit]) async throws
    /// The sync writer's one call per batch: the hits folded as in ``recordSyncHits(_:)`` and the edges upserted as
    /// in ``upsertGraphEdges(_:)``, in one transaction. Hits of a partner the store does not know (its client was
    /// removed after the hit was answered) are left out and counted per partner; any other failure (an invalid edge,
    /// the database) stores nothing of the batch.
    func recordPixelBatch(_ batch: PixelBatch) async throws -> PixelBatchOutcome
    /// The pairs stored for one DMP cookie id of one partner.
    func syncPairs(partner: String, cookieID: String) async throws -> [SyncPair]
    /// The pairs stored for one DA id, across partners.
    func syncPairs(daID: String) async throws -> [SyncPair]
    /// Distinct DMP cookie ids of a client seen on each UTC day from `since` on (days without any are absent).
    func dailySyncedCookies(clientID: String, since: Day) async throws -> [Day: Int]
    /// One page of a client's sync pairs in the query's order (see ``PageCursor``): the console's sync table, however
    /// large the client.
    func syncPairs(_ query: SyncPairQuery, page: PageRequest) async throws -> Page<SyncPair>
    /// How many of a client's pairs the query matches.
    func countSyncPairs(_ query: SyncPairQuery) async throws -> Int
    /// The hits of one pair on each UTC day from `since` on (days without any are absent).
    func syncActivity(partner: String, cookieID: String, daID: String, since: Day) async throws -> [Day: Int]

    // MARK: Lineage

    /// The client's CRM records, active or removed, holding any of `hashes` (one row per record and matching
    /// identifier), by record id, with the upload that last changed each.
    func records(clientID: String, matching hashes: [IdentifierHash]) async throws -> [RecordMatch]
    /// Active records of the client that match by the rule in ``MatchFigures``; the figure dry runs compare.
    func matchedRecordCount(clientID: String) async throws -> Int

    // MARK: Ledgers

    /// Stores an upload and returns it with its id (uploads that did not run through ``applyUpload(_:feed:)``:
    /// history the demo builds).
    func addUpload(_ upload: Upload) async throws -> Upload
    /// One page of uploads, newest first.
    func uploads(_ query: UploadQuery, page: PageRequest) async throws -> Page<Upload>
    /// Stores an export run with `audit` in the same transaction and returns it with its id. `audit` is nil only
    /// for history imported as data (the demo).
    func addExportRun(_ run: ExportRun, audit: AuditEntry?) async throws -> ExportRun
    /// One page of export runs, newest first.
    func exportRuns(_ query: ExportRunQuery, page: PageRequest) async throws -> Page<ExportRun>
    /// Stores daily snapshots, replacing any for the same client and day.
    func saveSnapshots(_ snapshots: [MatchSnapshot]) async throws
    /// A client's snapshots from `since` on, oldest first; with a nil client, every client's in one read, by client
    /// id then day.
    func snapshots(clientID: String?, since: Day) async throws -> [MatchSnapshot]
    /// Each client's newest export run (by start, then id), in one read, by client id; a client that never exported
    /// has none.
    func latestExportRuns() async throws -> [ExportRun]
    /// Appends an entry that records no change of its own (a refusal, a failed upload, the demo build) and returns
    /// it with its id. A read-only store still appends these.
    func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry
    /// One page of audit entries, newest first.
    func auditEntries(_ query: AuditQuery, page: PageRequest) async throws -> Page<AuditEntry>

    // MARK: Storage locations

    /// Adds a client's storage location with `audit` in the same transaction and returns it with its id. Throws on
    /// an unknown client, or a second location of the same role and address for the client.
    func addStorageLocation(_ location: StorageLocation, audit: AuditEntry) async throws -> StorageLocation
    /// Removes a location (its id) with `audit` in the same transaction; throws when there is none with that id.
    func removeStorageLocation(id: Int64, audit: AuditEntry) async throws
    /// The locations of one client, or of every client, by client id then id.
    func storageLocations(clientID: String?) async throws -> [StorageLocation]
    /// The upload that applied this version of this storage object (``UploadRequest/intake``), if one did.
    func intakeUpload(_ key: IntakeKey) async throws -> Int64?
    /// Records a run's delivery (replacing the previous state) with `audit` in the same transaction.
    func setDelivery(_ delivery: ExportRun.Delivery, runID: Int64, audit: AuditEntry) async throws

    // MARK: Privacy

    /// Removes what the retention policy no longer keeps (``PurgeCutoffs``: each kind strictly before its cutoff), with
    /// ``AuditEntry/purge(_:_:)`` in the same transaction. A graph edge of a DA id that still has a pair seen on or
    /// after the sync cutoff stays, so the export of every day whose activity is kept comes out the same after a
    /// purge. Set-based deletes; hits written meanwhile are never lost (they wait for the transaction).
    func purge(_ request: PurgeRequest) async throws -> PurgeReport
    /// Removes everything tied to one data subject (see ``ErasureSubject``) at every client, with
    /// ``AuditEntry/erasure(_:_:)`` in the same transaction. Nothing found is an empty report, not an error.
    func erase(_ request: ErasureRequest) async throws -> ErasureReport

    // MARK: Figures

    /// Counts for one client as of `now`.
    func counts(clientID: String, now: Date) async throws -> ClientCounts
    /// What matches for one client now, by the rule in ``MatchFigures``.
    func matchFigures(clientID: String) async throws -> MatchFigures
    /// The delta-export pairs of `clientIDs` for one UTC day — for each client, every DMP cookie whose pair was
    /// seen that day, with each matched active record's id — distinct and sorted by client id, then cookie id, then
    /// record id, handed to `body` with their client in chunks (each of one client) from one consistent read: one
    /// pass over the day's activity, whatever the number of clients. A client with no pairs gets no call; an
    /// unknown one is ``BakeryError/unknownClient(_:)`` before anything is handed over.
    func exportPairs(
        clientIDs: [String], day: Day, body: @escaping @Sendable (_ clientID: String, [ExportPair]) throws -> Void
    ) async throws
    /// The headline figures of every client as of `now`, ordered by client id, in one read: what an overview of
    /// all clients needs, without ``counts(clientID:now:)``'s split by identifier kind.
    func clientSummaries(now: Date) async throws -> [ClientSummary]
}

/// One client's headline figures for an overview of all clients; each means the same as in ``ClientCounts``.
public struct ClientSummary: Hashable, Codable, Sendable {
    public var clientID: String
    public var activeRecords: Int
    public var syncedCookies: Int
    public var syncedCookiesLastDay: Int
    public var lastExport: ExportRun?

    public init(
        clientID: String, activeRecords: Int = 0, syncedCookies: Int = 0, syncedCookiesLastDay: Int = 0,
        lastExport: ExportRun? = nil
    ) {
        self.clientID = clientID
        self.activeRecords = activeRecords
        self.syncedCookies = syncedCookies
        self.syncedCookiesLastDay = syncedCookiesLastDay
        self.lastExport = lastExport
    }
}

/// What a store can count for a client without matching.
public struct ClientCounts: Hashable, Codable, Sendable {
    public var activeRecords: Int
    public var removedRecords: Int
    /// Active records carrying each identifier kind.
    public var recordsByKind: [IdentifierKind: Int]
    /// Distinct DMP cookie ids in the client's match table.
    public var syncedCookies: Int
    /// Distinct DMP cookie ids seen in the 24 hours before `now`.
    public var syncedCookiesLastDay: Int
    /// Distinct DMP cookie ids seen in the 7 days before `now`.
    public var syncedCookiesLastWeek: Int
    public var uploads: Int
    public var exportRuns: Int
    public var lastExport: ExportRun?

    public init(
        activeRecords: Int = 0, removedRecords: Int = 0, recordsByKind: [IdentifierKind: Int] = [:],
        syncedCookies: Int = 0, syncedCookiesLastDay: Int = 0, syncedCookiesLastWeek: Int = 0, uploads: Int = 0,
        exportRuns: Int = 0,
        lastExport: ExportRun? = nil
    ) {
        self.activeRecords = activeRecords
        self.removedRecords = removedRecords
        self.recordsByKind = recordsByKind
        self.syncedCookies = syncedCookies
        self.syncedCookiesLastDay = syncedCookiesLastDay
        self.syncedCookiesLastWeek = syncedCookiesLastWeek
        self.uploads = uploads
        self.exportRuns = exportRuns
        self.lastExport = lastExport
    }
}
