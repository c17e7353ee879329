import Foundation

/// The nightly delta export of one client and day: every DMP cookie of the client seen that day that has a
/// matched active record, paired with each matched record's id, in the client's DMP profile, with a manifest
/// and a completion marker. The same data gives the same rows and the same checksum.
public struct DeltaExport: Sendable {
    public let store: any Store
    /// The export root; each client has a folder below it.
    public let root: URL
    public let now: @Sendable () -> Date

    public init(store: any Store, root: URL, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.root = root
        self.now = now
    }

    /// Counts and first rows of a day's export; writes nothing.
    public struct Preview: Sendable, Equatable {
        public var client: String
        public var day: Day
        public var rows: Int
        public var cookies: Int
        public var records: Int
        public var sample: [ExportPair]
    }

    /// Needs the `support` role.
    public func preview(clientID: String, day: Day, by actor: Operator, sampleSize: Int = 10) async throws -> Preview {
        try await actor.require(.preview, to: "preview the export of \(day)", clientID: clientID, auditingIn: store)
        return try await tallied(clientID: clientID, day: day, sampleSize: sampleSize)
    }

    /// The previews of `clientIDs` for `day` from one pass over the day's pairs, once the role was checked.
    func tallied(_ clientIDs: [String], day: Day, sampleSize: Int = 10) async -> [String: Result<Preview, any Error>] {
        let pass = ExportDayPass(clientIDs: clientIDs) { PreviewTally(client: $0, day: day, sampleSize: sampleSize) }
        await pass.run(store, day: day)
        return pass.results
    }

    /// The preview of one client, once the role was checked.
    func tallied(clientID: String, day: Day, sampleSize: Int = 10) async throws -> Preview {
        try await tallied([clientID], day: day, sampleSize: sampleSize)[clientID]!.get()
    }

    /// Writes the day's files and records the run in the ledger and the audit log, also when it fails. Needs the
    /// `ops` role; a refused run writes nothing but the refusal's audit entry.
    /// - Parameter progress: the rows written so far, after each chunk, on the store's reading thread.
    @discardableResult
    public func run(
        client: Client, day: Day, by actor: Operator, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws -> ExportRun {
        try await actor.require(.export, to: "export \(day)", clientID: client.id, auditingIn: store)
        return try await written([client], day: day, by: actor, progress: progress)[0].get()
    }

    /// The runs of `clients` for `day`, once the role was checked, in their order: their files written in one pass
    /// over the day's pairs, one client's files open at a time, and each run recorded in the ledger and the audit
    /// log, also when it fails.
    /// - Parameter progress: the rows written so far, after each chunk, on the store's reading thread.
    func written(
        _ clients: [Client], day: Day, by actor: Operator, progress: @escaping @Sendable (Int) -> Void = { _ in }
    ) async -> [Result<ExportRun, any Error>] {
        let started = now()
        let byID = Dictionary(clients.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let (root, now) = (root, now)
        let pass = ExportDayPass(clientIDs: byID.keys, progress: progress) { id in
            try ExportDayFile(client: byID[id]!, day: day, root: root, now: now)
        }
        await pass.run(store, day: day)
        var runs: [Result<ExportRun, any Error>] = []
        for client in clients {
            var run = ExportRun(
                clientID: client.id, day: day, startedBy: actor.name, startedAt: started, finishedAt: now(), rows: 0,
                file: nil, sha256: nil, bytes: 0, outcome: .failed)
            switch pass.results[client.id] {
            case .success(let written)?:
                (run.rows, run.sha256, run.bytes) = (written.rows, written.sha256, written.bytes)
                run.file = written.data.absoluteString
                run.outcome = .succeeded
                do {
                    runs.append(.success(try await store.addExportRun(run, audit: .export(run, by: actor))))
                } catch {
                    runs.append(.failure(error))
                }
            case .failure(let error)?:
                run.message =
                    error is CancellationError ? "cancelled" : (error as? BakeryError)?.localizedDescription ?? "\(error)"
                // Recorded even when the task was cancelled.
                let (store, failed) = (store, run)
                _ = await Task { try? await store.addExportRun(failed, audit: .export(failed, by: actor)) }.value
                runs.append(.failure(error))
            case nil:
                runs.append(.failure(BakeryError.storeFailure("the export of \(client.id) was not settled")))
            }
        }
        return runs
    }

    /// The days a catch-up exports for a client: each day after its last successful export up to `through`,
    /// at most `retention` days back; only `through` when it never exported.
    public func catchUpDays(clientID: String, through: Day, retention: Int = 30) async throws -> [Day] {
        let runs = try await store.exportRuns(clientID: clientID, limit: 500)
        guard let last = runs.filter({ $0.outcome == .succeeded }).map(\.day).max() else { return [through] }
        let first = max(last.adding(days: 1), through.adding(days: -(retention - 1)))
        guard first <= through else { return [] }
        return (first.number...through.number).map(Day.init(number:))
    }
}

/// Streams pairs into the gzip data file; used from the store's single read.
final class ExportSink: @unchecked Sendable {
    // Unchecked: the store calls `write` from one reader thread at a time, strictly in order.
    private let gzip: GzipWriter
    private let profile: ExportProfile
    private var rows = 0

    init(handle: FileHandle, profile: ExportProfile) throws {
        gzip = try GzipWriter(handle: handle)
        self.profile = profile
        if let header = profile.header { try gzip.write(header) }
    }

    /// Writes `pairs`; returns the rows written so far.
    func write(_ pairs: [ExportPair]) throws -> Int {
        var text = ""
        text.reserveCapacity(pairs.count * 80)
        for pair in pairs { text += profile.line(cookieID: pair.cookieID, recordID: pair.recordID) }
        try gzip.write(text)
        rows += pairs.count
        return rows
    }

    func finish() throws -> (rows: Int, sha256: String, bytes: Int) {
        let sha = try gzip.finish()
        return (rows, sha, gzip.bytesWritten)
    }
}

/// Counts for a preview; pairs arrive sorted by cookie id.
final class PreviewTally: ExportConsumer, @unchecked Sendable {
    // Unchecked: fed from one reader thread at a time, strictly in order, and read after the feed ends.
    private let client: String
    private let day: Day
    private let sampleSize: Int
    private var rows = 0
    private var cookies = 0
    private var lastCookie: String?
    private var records = Set<String>()
    private var sample: [ExportPair] = []

    init(client: String, day: Day, sampleSize: Int) {
        self.client = client
        self.day = day
        self.sampleSize = sampleSize
    }

    func write(_ pairs: [ExportPair]) {
        for pair in pairs {
            rows += 1
            if pair.cookieID != lastCookie {
                cookies += 1
                lastCookie = pair.cookieID
            }
            records.insert(pair.recordID)
            if sample.count < sampleSize { sample.append(pair) }
        }
    }

    func abandon() {}

    func finish() -> DeltaExport.Preview {
        DeltaExport.Preview(
            client: client, day: day, rows: rows, cookies: cookies, records: records.count, sample: sample)
    }
}
