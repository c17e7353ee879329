import BakeryConsole
import BakeryCore
import Foundation

/// A small in-memory `Store` with a fixed dataset, for rendering console views. Only the reads the console makes
/// are implemented; a write is a test bug and fails loudly.
actor FakeStore: Store {
    static let now = ISOTime.parse("2026-11-29T12:00:00Z")!
    static let `operator` = Operator(name: "anna", role: .ops)

    var clientList: [Client]
    var countsByClient: [String: ClientCounts]
    var snapshotsByClient: [String: [MatchSnapshot]]
    var uploadsByClient: [String: [Upload]]
    var exportsByClient: [String: [ExportRun]]
    /// While true, `clients()` waits: lets a test see the loading state.
    var isHeld = false
    /// While true, `clientSummaries(now:)` and `counts(clientID:now:)` wait: lets a test see a view before its live
    /// figures.
    var areCountsHeld = false

    init(
        clients: [Client] = [], counts: [String: ClientCounts] = [:], snapshots: [String: [MatchSnapshot]] = [:],
        uploads: [String: [Upload]] = [:], exports: [String: [ExportRun]] = [:]
    ) {
        clientList = clients
        countsByClient = counts
        snapshotsByClient = snapshots
        uploadsByClient = uploads
        exportsByClient = exports
    }

    func hold() { isHeld = true }
    func release() { isHeld = false }
    func holdCounts() { areCountsHeld = true }
    func releaseCounts() { areCountsHeld = false }

    func clients() async throws -> [Client] {
        while isHeld { try await Task.sleep(for: .milliseconds(1)) }
        return clientList.sorted { $0.id < $1.id }
    }

    func client(id: String) async throws -> Client? { clientList.first { $0.id == id } }
    func client(partner key: String) async throws -> Client? {
        clientList.first { $0.partners.contains { $0.key == key } }
    }
    func client(audience id: String) async throws -> Client? { clientList.first { $0.audience == id } }
    func counts(clientID: String, now: Date) async throws -> ClientCounts {
        while areCountsHeld { try await Task.sleep(for: .milliseconds(1)) }
        return countsByClient[clientID] ?? ClientCounts()
    }
    func clientSummaries(now: Date) async throws -> [ClientSummary] {
        while areCountsHeld { try await Task.sleep(for: .milliseconds(1)) }
        return clientList.map(\.id).sorted().map { id in
            let counts = countsByClient[id] ?? ClientCounts()
            return ClientSummary(
                clientID: id, activeRecords: counts.activeRecords, syncedCookies: counts.syncedCookies,
                syncedCookiesLastDay: counts.syncedCookiesLastDay, lastExport: counts.lastExport)
        }
    }
    func snapshots(clientID: String?, since: Day) async throws -> [MatchSnapshot] {
        let clients = clientID.map { [$0] } ?? snapshotsByClient.keys.sorted()
        return clients.flatMap { (snapshotsByClient[$0] ?? []).filter { $0.day >= since } }
    }
    func latestExportRuns() async throws -> [ExportRun] {
        exportsByClient.keys.sorted().compactMap { exportsByClient[$0]?.first }
    }
    func uploads(_ query: UploadQuery, page: PageRequest) async throws -> Page<Upload> {
        Self.firstPage((uploadsByClient[query.clientID ?? ""] ?? []), page)
    }
    func exportRuns(_ query: ExportRunQuery, page: PageRequest) async throws -> Page<ExportRun> {
        Self.firstPage((exportsByClient[query.clientID ?? ""] ?? []), page)
    }
    func syncPairs(partner: String, cookieID: String) async throws -> [SyncPair] { [] }
    func syncPairs(daID: String) async throws -> [SyncPair] { [] }
    func syncPairs(_ query: SyncPairQuery, page: PageRequest) async throws -> Page<SyncPair> { .empty }
    func countSyncPairs(_ query: SyncPairQuery) async throws -> Int { 0 }
    func syncActivity(partner: String, cookieID: String, daID: String, since: Day) async throws -> [Day: Int] { [:] }
    func records(clientID: String, matching hashes: [IdentifierHash]) async throws -> [RecordMatch] { [] }
    func matchedRecordCount(clientID: String) async throws -> Int { 0 }
    func auditEntries(_ query: AuditQuery, page: PageRequest) async throws -> Page<AuditEntry> { .empty }

    /// The first `limit` rows; this fake only ever serves first pages (the Client view's recent lists).
    static func firstPage<Item>(_ items: [Item], _ page: PageRequest) -> Page<Item> {
        let kept = Array(items.prefix(page.limit))
        return Page(
            items: kept, cursors: kept.indices.map { PageCursor(key: .none, id: Int64($0)) },
            hasMore: items.count > kept.count)
    }
    func graphEdges(node: GraphNode) async throws -> [GraphEdge] { [] }
    func graphEdges(hash: IdentifierHash) async throws -> [GraphEdge] { [] }
    func dailySyncedCookies(clientID: String, since: Day) async throws -> [Day: Int] { [:] }
    /// The figures of the client's latest snapshot: the live figures agree with last night's.
    func matchFigures(clientID: String) async throws -> MatchFigures {
        while areCountsHeld { try await Task.sleep(for: .milliseconds(1)) }
        guard let latest = snapshotsByClient[clientID]?.last else { return MatchFigures() }
        return MatchFigures(
            matchedRecords: latest.matchedRecords, matchedByKind: latest.byKind.mapValues(\.matched),
            matchedCookies: latest.matchedCookies)
    }
    func exportPairs(
        clientIDs: [String], day: Day, body: @escaping @Sendable (String, [ExportPair]) throws -> Void
    ) async throws {}

    func addClient(_ client: Client, audit: AuditEntry) async throws { throw Unused() }
    func removeClient(id: String, audit: AuditEntry) async throws { throw Unused() }
    func purge(_ request: PurgeRequest) async throws -> PurgeReport { throw Unused() }
    func erase(_ request: ErasureRequest) async throws -> ErasureReport { throw Unused() }
    func insertRecords(_ records: [CRMRecord]) async throws { throw Unused() }
    func applyUpload(_ request: UploadRequest, feed: @escaping UploadFeed) async throws -> AppliedUpload {
        throw Unused()
    }
    func upsertGraphEdges(_ edges: [GraphEdge]) async throws { throw Unused() }
    func importGraphEdges(_ request: GraphImportRequest, feed: @escaping GraphEdgeFeed) async throws -> Int {
        throw Unused()
    }
    func recordSyncHits(_ hits: [SyncHit]) async throws { throw Unused() }
    func recordPixelBatch(_ batch: PixelBatch) async throws -> PixelBatchOutcome { throw Unused() }
    func addUpload(_ upload: Upload) async throws -> Upload { throw Unused() }
    func addExportRun(_ run: ExportRun, audit: AuditEntry?) async throws -> ExportRun { throw Unused() }
    func saveSnapshots(_ snapshots: [MatchSnapshot]) async throws { throw Unused() }
    func appendAudit(_ entry: AuditEntry) async throws -> AuditEntry { throw Unused() }
    func addStorageLocation(_ location: StorageLocation, audit: AuditEntry) async throws -> StorageLocation {
        throw Unused()
    }
    func removeStorageLocation(id: Int64, audit: AuditEntry) async throws { throw Unused() }
    func storageLocations(clientID: String?) async throws -> [StorageLocation] { [] }
    func intakeUpload(_ key: IntakeKey) async throws -> Int64? { nil }
    func setDelivery(_ delivery: ExportRun.Delivery, runID: Int64, audit: AuditEntry) async throws { throw Unused() }

    struct Unused: Error {}
}

extension FakeStore {
    /// Three clients with counts, a 30-day trend for `acme`, uploads and exports: the dataset every snapshot uses.
    static func sample() -> FakeStore {
        let now = FakeStore.now
        let today = Day(now)
        let acme = Client(
            id: "acme", name: "Acme Retail", country: "NL", dmp: .tealium, partners: [Partner(key: "acme-tealium")])
        let nordic = Client(
            id: "nordic-bank", name: "Nordic Bank", country: "SE", dmp: .piano,
            partners: [Partner(key: "PO_1a2b3c4d"), Partner(key: "PO_9f8e7d6c")])
        let zed = Client(id: "zed", name: "Zed Telecom", country: "FI", dmp: .relay42)
        let acmeExport = ExportRun(
            id: 7, clientID: "acme", day: today.adding(days: -1), startedBy: "scheduler",
            startedAt: today.start.addingTimeInterval(7200), finishedAt: today.start.addingTimeInterval(7260),
            rows: 48_211, file: "exports/acme/2026-11-28.csv", sha256: nil, bytes: 1_000_000, outcome: .succeeded)
        let nordicExport = ExportRun(
            id: 8, clientID: "nordic-bank", day: today.adding(days: -1), startedBy: "scheduler",
            startedAt: today.start.addingTimeInterval(7300), finishedAt: today.start.addingTimeInterval(7310), rows: 0,
            file: nil, sha256: nil, bytes: 0, outcome: .failed, message: "disk full")
        let trend = (0..<30).map { offset in
            let records = 120_000
            let matched = 30_000 + offset * 900 + (offset % 4) * 700
            return MatchSnapshot(
                clientID: "acme", day: today.adding(days: offset - 29), records: records, matchedRecords: matched,
                syncedCookies: 800_000, matchedCookies: matched * 3,
                byKind: [
                    .email: KindFigures(records: 110_000, matched: matched - 2000),
                    .phone: KindFigures(records: 60_000, matched: matched / 3),
                    .address: KindFigures(records: 20_000, matched: 1_200),
                ])
        }
        let upload = Upload(
            id: 3, clientID: "acme", mode: .add, source: .console, fileName: "crm.csv",
            startedAt: today.start.addingTimeInterval(-86_400 + 36_000),
            finishedAt: today.start.addingTimeInterval(-86_400 + 36_100),
            rows: 10_000, accepted: 9_870, rejected: 130, duplicates: 12, recordsBefore: 110_130, recordsAfter: 120_000,
            status: .applied)
        return FakeStore(
            clients: [acme, nordic, zed],
            counts: [
                "acme": ClientCounts(
                    activeRecords: 120_000, removedRecords: 350,
                    recordsByKind: [.email: 110_000, .phone: 60_000, .address: 20_000],
                    syncedCookies: 812_345, syncedCookiesLastDay: 40_210, uploads: 4, exportRuns: 30,
                    lastExport: acmeExport),
                "nordic-bank": ClientCounts(
                    activeRecords: 2_500_000, recordsByKind: [.email: 2_000_000, .personalID: 2_400_000],
                    syncedCookies: 5_000_111,
                    syncedCookiesLastDay: 301_000, uploads: 2, exportRuns: 12, lastExport: nordicExport),
            ],
            snapshots: ["acme": trend],
            uploads: ["acme": [upload]],
            exports: ["acme": [acmeExport]])
    }
}

@MainActor
extension ConsoleEnvironment {
    /// An environment over `store` with the sample's fixed clock.
    static func testing(
        _ store: any Store, actor: Operator = FakeStore.operator, log: ConsoleLog? = nil,
        folders: ConsoleFolders = ConsoleFolders()
    ) -> ConsoleEnvironment {
        ConsoleEnvironment(store: store, actor: actor, folders: folders, now: { FakeStore.now }, log: log)
    }
}
