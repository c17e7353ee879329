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
    /// One counter per endpoint and outcome, made up front: looking one up must not take the registry's lock
    /// on every request.
    private let requests: [String: Counter]
    static let endpoints = ["sync", "bake", "optout"]

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
        var requests: [String: Counter] = [:]
        for endpoint in Self.endpoints {
            for outcome in Outcome.allCases {
                requests["\(endpoint)/\(outcome.rawValue)"] = registry.makeCounter(
                    name: "bakery_requests_total", labels: [("endpoint", endpoint), ("outcome", outcome.rawValue)],
                    help: "Requests by endpoint and outcome")
            }
        }
        self.requests = requests
    }

    /// Counts one request by endpoint and outcome (`ok`, `bad_request`, `unknown_partner`, `no_consent`,
    /// `bad_consent_string`, `opted_out`, `overloaded`).
    func request(_ endpoint: String, _ outcome: Outcome) {
        requests["\(endpoint)/\(outcome.rawValue)"]?.increment()
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
