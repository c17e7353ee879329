import BakeryCore
import Prometheus
import Synchronization

/// The server's Prometheus metrics; `GET /metrics` writes them in the text exposition format.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let pairsWritten: Counter
    let edgesWritten: Counter
    let droppedWrites: Counter
    let writeFailures: Counter
    /// Whether the writer's last batch failed (the disk full, the database locked): `/healthz` then answers 503.
    let writerFailing = Atomic<Bool>(false)
    let queueDepth: Gauge
    let batchSize: ValueHistogram
    let latency: DurationHistogram
    let exportsSucceeded: Counter
    let exportsFailed: Counter
    let exportRows: Counter
    let purgesSucceeded: Counter
    let purgesFailed: Counter
    let purgedRows: Counter
    /// Sync and bake answers by where they were made: on the event loop (``PixelFastPath``) or by the router.
    let pixelsOnEventLoop: Counter
    let pixelsRouted: Counter
    /// One counter per endpoint and outcome, made up front and found by position: counting a request takes no
    /// registry lock, builds no string and hashes nothing.
    private let requests: [Counter]

    /// The endpoints counted in `bakery_requests_total`.
    public enum Endpoint: String, Sendable, CaseIterable {
        case sync, bake, optout
    }

    public init() {
        pairsWritten = registry.makeCounter(
            name: "bakery_sync_hits_written_total", help: "Sync hits committed to the store")
        edgesWritten = registry.makeCounter(
            name: "bakery_graph_edges_written_total", help: "Graph edges committed to the store")
        droppedWrites = registry.makeCounter(
            name: "bakery_writes_dropped_total", help: "Answered writes not stored: their partner was removed before the commit, or the store refused them")
        writeFailures = registry.makeCounter(
            name: "bakery_write_failures_total",
            help: "Batches the store failed to commit (kept in the queue and retried): a full disk, a lock held too long")
        queueDepth = registry.makeGauge(name: "bakery_write_queue_depth", help: "Writes waiting for the writer")
        batchSize = registry.makeValueHistogram(
            name: "bakery_write_batch_size", buckets: [1, 10, 100, 500, 1_000, 2_000, 5_000, 10_000],
            help: "Writes per committed batch")
        latency = registry.makeDurationHistogram(
            name: "bakery_request_duration_seconds",
            buckets: [
                .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(100),
            ],
            help: "Time to answer a request")
        exportsSucceeded = registry.makeCounter(
            name: "bakery_export_runs_total", labels: [("outcome", "succeeded")], help: "Delta exports by outcome")
        exportsFailed = registry.makeCounter(
            name: "bakery_export_runs_total", labels: [("outcome", "failed")], help: "Delta exports by outcome")
        exportRows = registry.makeCounter(name: "bakery_export_rows_total", help: "Rows written to delta files")
        purgesSucceeded = registry.makeCounter(
            name: "bakery_purge_runs_total", labels: [("outcome", "succeeded")], help: "Nightly retention purges by outcome")
        purgesFailed = registry.makeCounter(
            name: "bakery_purge_runs_total", labels: [("outcome", "failed")], help: "Nightly retention purges by outcome")
        purgedRows = registry.makeCounter(
            name: "bakery_purged_rows_total",
            help: "Sync pairs, activity rows, removed records, graph edges and audit entries removed by retention")
        pixelsOnEventLoop = registry.makeCounter(
            name: "bakery_pixel_answers_total", labels: [("path", "event_loop")],
            help: "Sync and bake answers by where they were made: on the event loop in front of the router, or by it")
        pixelsRouted = registry.makeCounter(
            name: "bakery_pixel_answers_total", labels: [("path", "router")],
            help: "Sync and bake answers by where they were made: on the event loop in front of the router, or by it")
        var requests: [Counter] = []
        for endpoint in Endpoint.allCases {
            for outcome in Outcome.allCases {
                requests.append(
                    registry.makeCounter(
                        name: "bakery_requests_total",
                        labels: [("endpoint", endpoint.rawValue), ("outcome", outcome.rawValue)],
                        help: "Requests by endpoint and outcome"))
            }
        }
        self.requests = requests
    }

    /// Counts one request by endpoint and outcome (`ok`, `bad_request`, `unknown_partner`, `no_consent`,
    /// `bad_consent_string`, `opted_out`, `overloaded`).
    func request(_ endpoint: Endpoint, _ outcome: Outcome) {
        requests[Self.position(endpoint, outcome)].increment()
    }

    private static let endpoints = Endpoint.allCases
    private static let outcomes = Outcome.allCases

    private static func position(_ endpoint: Endpoint, _ outcome: Outcome) -> Int {
        endpoints.firstIndex(of: endpoint)! * outcomes.count + outcomes.firstIndex(of: outcome)!
    }

    public enum Outcome: String, Sendable, CaseIterable {
        case ok
        case badRequest = "bad_request"
        case unknownPartner = "unknown_partner"
        case noConsent = "no_consent"
        case badConsentString = "bad_consent_string"
        case optedOut = "opted_out"
        case overloaded
    }

    func exported(_ run: ExportRun) {
        exportsSucceeded.increment()
        exportRows.increment(by: Int64(run.rows))
    }

    func exportFailed() { exportsFailed.increment() }

    func purged(_ report: PurgeReport) {
        purgesSucceeded.increment()
        let total = report.clients.values.total
        let rows = total.syncPairs + total.syncActivity + total.records + total.auditEntries
        purgedRows.increment(by: Int64(rows + report.graphEdges + report.otherAuditEntries))
    }

    func purgeFailed() { purgesFailed.increment() }

    public func text() -> String { registry.emitToString() }
}
