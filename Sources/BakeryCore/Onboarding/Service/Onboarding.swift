import Foundation

/// Onboards one CRM file for one client: reads and hashes it (``CRMFileReader``), applies it to the store in one
/// transaction (``Store/applyUpload(_:feed:)``), and writes the rejection report. The CLI, the drop zone and the
/// console all go through here.
///
/// ```swift
/// let summary = try await Onboarding(store: store).run(
///     OnboardingRequest(clientID: "acme", file: url, mode: .add, source: .cli, actor: anna))
/// print(summary.accepted, summary.recordsAfter)
/// ```
public struct Onboarding: Sendable {
    public let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// Runs the upload. Cancelling the calling task stops reading at the next 64 KiB chunk and rolls back.
    ///
    /// A dry run needs the `support` role, an upload `ops`; a refusal is audited. An upload that fails or is
    /// cancelled after it started is audited as failed (nothing was stored).
    ///
    /// - Parameter progress: called on the thread that runs the store's feed after each chunk; keep it cheap.
    /// - Throws: ``BakeryError/notPermitted(role:permission:action:)``, ``BakeryError/unknownClient(_:)``,
    ///   ``BakeryError/invalidInput(_:)`` for a file that cannot be read (see ``CRMFileReader``),
    ///   `CancellationError`, or a store failure. Nothing is stored when it throws; the rejection report is still
    ///   written when rows were read, so an operator can see what was wrong.
    public func run(
        _ request: OnboardingRequest, progress: @escaping @Sendable (OnboardingProgress) -> Void = { _ in }
    ) async throws -> OnboardingSummary {
        let clock = ContinuousClock()
        let start = clock.now
        let startedAt = Date()
        let what = "\(request.dryRun ? "dry-run" : request.mode.rawValue) \(request.file.lastPathComponent)"
        try await request.actor.require(
            request.dryRun ? .preview : .upload, to: what, clientID: request.clientID, auditingIn: store)
        let upload = UploadRequest(
            clientID: request.clientID, mode: request.mode, source: request.source,
            fileName: request.file.lastPathComponent, actor: request.actor, startedAt: startedAt,
            dryRun: request.dryRun, intake: request.intake)
        do {
            guard let client = try await store.client(id: request.clientID) else {
                throw BakeryError.unknownClient(request.clientID)
            }
            return try await apply(upload, request, client: client, since: start, clock: clock, progress: progress)
        } catch {
            let reason = error is CancellationError ? "cancelled" : (error as? BakeryError)?.localizedDescription ?? "\(error)"
            await store.appendAuditEvenIfCancelled(.uploadFailed(upload, reason: reason))
            throw error
        }
    }

    /// The header and first rows of `file` as an upload for the client would read them, values masked (see
    /// ``CRMFilePreview``). Reading a CRM file needs the `support` role.
    public func preview(_ file: URL, clientID: String, by actor: Operator, rows: Int = 5) async throws
        -> CRMFilePreview
    {
        try await actor.require(
            .preview, to: "preview \(file.lastPathComponent)", clientID: clientID, auditingIn: store)
        guard let client = try await store.client(id: clientID) else { throw BakeryError.unknownClient(clientID) }
        return try CRMFilePreview.read(file, clientID: client.id, country: client.country, rows: rows)
    }

    /// Deletes an uploaded file that held plain personal data, once its hashes are stored: needs the `ops` role,
    /// and the deletion is audited (the record that the plain values are gone).
    public func deleteUploadedFile(_ file: URL, clientID: String, by actor: Operator) async throws {
        try await actor.require(
            .upload, to: "delete \(file.lastPathComponent)", clientID: clientID, auditingIn: store)
        do {
            try FileManager.default.removeItem(at: file)
        } catch {
            throw BakeryError.invalidInput("cannot delete \(file.path): \(error.localizedDescription)")
        }
        _ = try await store.appendAudit(
            AuditEntry(
                .uploadFileDelete, by: actor, clientID: clientID,
                detail: "\(file.lastPathComponent): the uploaded file with plain values was deleted"))
    }

    private func apply(
        _ upload: UploadRequest, _ request: OnboardingRequest, client: Client, since start: ContinuousClock.Instant,
        clock: ContinuousClock, progress: @escaping @Sendable (OnboardingProgress) -> Void
    ) async throws -> OnboardingSummary {
        let reader = try CRMFileReader(
            url: request.file, clientID: client.id, country: client.country, workers: request.workers)
        let collector = OnboardingCollector()
        let report = request.report
        let feed: UploadFeed = { emit in
            let summary: CRMReadSummary
            do {
                summary = try reader.read(
                    progress: { fraction in
                        if collector.isCancelled { throw CancellationError() }
                        progress(OnboardingProgress(fraction: fraction, rows: collector.rows))
                    },
                    { outcome in
                        collector.count()
                        switch outcome {
                        case .accepted(_, let record): try emit(record)
                        case .rejected(let rejection): collector.reject(rejection)
                        }
                    })
            } catch {
                // What was found so far still helps whoever fixes the file.
                if collector.rows > 0, let report { try? collector.report.write(to: report) }
                throw error
            }
            collector.finish(summary)
            // Written before the store commits: a report that cannot be written fails the upload, rather than an
            // upload succeeding whose rejected rows nobody can see.
            if let report { try Self.write(collector.report, to: report) }
            return UploadFeedTotals(rows: summary.rows, rejected: summary.rejected)
        }
        // An applied upload's impact is counted on readers around it, so the writer is not held while counting.
        let matchedBefore =
            request.measuresMatches && !request.dryRun ? try await store.matchedRecordCount(clientID: client.id) : nil
        var applied = try await withTaskCancellationHandler {
            try await store.applyUpload(upload, feed: feed)
        } onCancel: {
            collector.cancel()
        }
        if let matchedBefore {
            applied.matchedBefore = matchedBefore
            applied.matchedAfter = try? await store.matchedRecordCount(clientID: client.id)
        }
        let read = collector.summary ?? CRMReadSummary()
        let seconds = (clock.now - start) / .seconds(1)
        return OnboardingSummary(
            client: client.id, mode: request.mode, dryRun: request.dryRun, uploadID: applied.upload.id,
            rows: applied.upload.rows, accepted: applied.upload.accepted, rejected: collector.report.counts,
            duplicates: applied.upload.duplicates, recordsBefore: applied.upload.recordsBefore,
            recordsAfter: applied.upload.recordsAfter, added: applied.added, alreadyPresent: applied.alreadyPresent,
            removed: applied.removed, notFound: applied.notFound, matchedBefore: applied.matchedBefore,
            matchedAfter: applied.matchedAfter, seconds: seconds,
            ignoredColumns: read.ignoredColumns, hashedOnly: read.isHashedOnly, report: request.report,
            reportIsTruncated: collector.report.isTruncated,
            firstRejections: Array(collector.report.entries.prefix(OnboardingSummary.listedRejections)))
    }

    private static func write(_ report: RejectionReport, to url: URL) throws {
        do {
            try report.write(to: url)
        } catch {
            throw BakeryError.invalidInput(
                "cannot write the rejection report to \(url.path) (\(error.localizedDescription)); nothing was stored")
        }
    }
}

/// What to onboard, and how.
public struct OnboardingRequest: Sendable {
    public var clientID: String
    public var file: URL
    public var mode: UpdateMode
    public var source: Upload.Source
    /// Who: the role decides whether it may run, the name goes into the audit log.
    public var actor: Operator
    /// Read, count and roll back: nothing is stored.
    public var dryRun: Bool
    /// Count the client's matched records before and after an applied upload too (a dry run always does).
    public var measuresMatches: Bool
    /// Where to write the rejection report (CSV); nil writes none.
    public var report: URL?
    /// Threads that normalise rows.
    public var workers: Int
    /// The storage object the file was fetched from, recorded with the upload (see ``UploadRequest/intake``).
    public var intake: IntakeKey?

    public init(
        clientID: String, file: URL, mode: UpdateMode, source: Upload.Source, actor: Operator, dryRun: Bool = false,
        measuresMatches: Bool = false, report: URL? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        intake: IntakeKey? = nil
    ) {
        self.intake = intake
        self.measuresMatches = measuresMatches
        self.clientID = clientID
        self.file = file
        self.mode = mode
        self.source = source
        self.actor = actor
        self.dryRun = dryRun
        self.report = report
        self.workers = workers
    }

    /// The report's default place: beside the input, `NAME.rejections.csv`.
    public static func reportBeside(_ file: URL) -> URL {
        file.deletingLastPathComponent().appendingPathComponent(file.lastPathComponent + ".rejections.csv")
    }
}

/// How far an upload has got.
public struct OnboardingProgress: Sendable, Equatable {
    /// Share of the file's bytes consumed, 0...1.
    public var fraction: Double
    /// Data rows read so far.
    public var rows: Int

    public init(fraction: Double, rows: Int) {
        self.fraction = fraction
        self.rows = rows
    }
}

/// The outcome of an upload, with the figures the CLI contract names.
public struct OnboardingSummary: Sendable, Equatable {
    public var client: String
    public var mode: UpdateMode
    public var dryRun: Bool
    /// The ledger row; nil for a dry run.
    public var uploadID: Int64?
    public var rows: Int
    public var accepted: Int
    public var rejected: [RejectionReason: Int]
    public var duplicates: Int
    public var recordsBefore: Int
    public var recordsAfter: Int
    public var added: Int
    public var alreadyPresent: Int
    public var removed: Int
    public var notFound: Int
    /// The client's matched active records before and after (dry runs, and uploads that measured them).
    public var matchedBefore: Int?
    public var matchedAfter: Int?
    public var seconds: Double
    public var ignoredColumns: [String]
    /// True when every column the file used held hashes or record ids: no plain personal data in it.
    public var hashedOnly: Bool
    public var report: URL?
    /// The report lists only the first rejected rows; the counts still cover all of them.
    public var reportIsTruncated: Bool
    /// The first rejected rows (row number, reason, column, masked value), for a screen to list.
    public var firstRejections: [CRMRowRejection]

    /// How many rejected rows a summary lists.
    public static let listedRejections = 50

    public var rejectedTotal: Int { rejected.values.reduce(0, +) }
    public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : Double(rows) }
}

extension CRMReadSummary {
    /// True when the mapped columns are only pre-hashed identifiers and the client's record id.
    public var isHashedOnly: Bool {
        !mappedColumns.isEmpty && mappedColumns.values.allSatisfy { $0.isPrehashed || $0 == .custom }
    }
}

/// The state the feed shares with `run` and the cancellation handler. The feed runs on a thread the store picks
/// while `run` awaits it, and the handler may fire on any thread: hence the lock.
private final class OnboardingCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var _report = RejectionReport()
    private var _rows = 0
    private var _summary: CRMReadSummary?
    private var _cancelled = false

    var report: RejectionReport { lock.withLock { _report } }
    var rows: Int { lock.withLock { _rows } }
    var summary: CRMReadSummary? { lock.withLock { _summary } }
    var isCancelled: Bool { lock.withLock { _cancelled } }

    func count() { lock.withLock { _rows += 1 } }
    func reject(_ rejection: CRMRowRejection) { lock.withLock { _report.add(rejection) } }
    func finish(_ summary: CRMReadSummary) { lock.withLock { _summary = summary } }
    func cancel() { lock.withLock { _cancelled = true } }
}
