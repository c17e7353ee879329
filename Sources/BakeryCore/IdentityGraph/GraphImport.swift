import Foundation

/// Imports one identity-graph file: reads and validates it (``GraphFileReader``), upserts its edges in one
/// transaction (``Store/importGraphEdges(_:feed:)``), and writes the rejection report. `bakery graph import` goes
/// through here.
///
/// ```swift
/// let summary = try await GraphImport(store: store).run(file: url, actor: anna, report: nil)
/// print(summary.edges)
/// ```
public struct GraphImport: Sendable {
    public let store: any Store

    public init(store: any Store) {
        self.store = store
    }

    /// Runs the import. Cancelling the calling task stops reading at the next 64 KiB chunk and rolls back.
    ///
    /// - Parameters:
    ///   - now: the `last_seen` of rows that give none, and the limit later times are checked against.
    ///   - report: where to write the rejection report (CSV); nil writes none. It is written before the store
    ///     commits, so an import whose rejected rows nobody can see does not succeed.
    /// - Throws: ``BakeryError/invalidInput(_:)`` for a file that cannot be read (see ``GraphFileReader``),
    ///   `CancellationError`, or a store failure. Nothing is stored when it throws.
    public func run(
        file: URL, actor: Operator, report: URL?, now: Date = Date(),
        progress: @escaping @Sendable (Double) -> Void = { _ in }
    ) async throws -> GraphImportSummary {
        try await actor.require(.upload, to: "import graph file \(file.lastPathComponent)", auditingIn: store)
        let clock = ContinuousClock()
        let start = clock.now
        let reader = try GraphFileReader(url: file, now: now)
        let collector = GraphImportCollector()
        let feed: GraphEdgeFeed = { emit in
            let summary: GraphReadSummary
            do {
                summary = try reader.read(
                    progress: { fraction in
                        if collector.isCancelled { throw CancellationError() }
                        progress(fraction)
                    },
                    { outcome in
                        switch outcome {
                        case .accepted(_, let edges): for edge in edges { try emit(edge) }
                        case .rejected(let rejection): collector.reject(rejection)
                        }
                    })
            } catch {
                if let report, collector.report.total > 0 { try? collector.report.write(to: report) }
                throw error
            }
            collector.finish(summary)
            if let report {
                do {
                    try collector.report.write(to: report)
                } catch {
                    throw BakeryError.invalidInput(
                        "cannot write the rejection report to \(report.path) (\(error.localizedDescription)); "
                            + "nothing was stored")
                }
            }
        }
        let edges = try await withTaskCancellationHandler {
            try await store.importGraphEdges(
                GraphImportRequest(fileName: file.lastPathComponent, actor: actor, startedAt: now), feed: feed)
        } onCancel: {
            collector.cancel()
        }
        let read = collector.summary ?? GraphReadSummary()
        return GraphImportSummary(
            file: file, rows: read.rows, accepted: read.accepted, rejected: collector.report.counts, edges: edges,
            seconds: (clock.now - start) / .seconds(1), ignoredColumns: read.ignoredColumns, report: report,
            reportIsTruncated: collector.report.isTruncated)
    }
}

/// The outcome of a graph import, with the figures `graph import --json` prints.
public struct GraphImportSummary: Sendable, Equatable {
    public var file: URL
    public var rows: Int
    /// Rows that gave at least one edge.
    public var accepted: Int
    public var rejected: [RejectionReason: Int]
    /// Edges written (upserted): one per hash cell of each accepted row.
    public var edges: Int
    public var seconds: Double
    public var ignoredColumns: [String]
    public var report: URL?
    public var reportIsTruncated: Bool

    public var rowsPerSecond: Double { seconds > 0 ? Double(rows) / seconds : Double(rows) }
}

/// State the feed (on the store's writer thread) shares with `run` and the cancellation handler.
private final class GraphImportCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var _report = RejectionReport()
    private var _summary: GraphReadSummary?
    private var _cancelled = false

    var report: RejectionReport { lock.withLock { _report } }
    var summary: GraphReadSummary? { lock.withLock { _summary } }
    var isCancelled: Bool { lock.withLock { _cancelled } }

    func reject(_ rejection: CRMRowRejection) { lock.withLock { _report.add(rejection) } }
    func finish(_ summary: GraphReadSummary) { lock.withLock { _summary = summary } }
    func cancel() { lock.withLock { _cancelled = true } }
}
