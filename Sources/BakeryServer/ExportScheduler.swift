import BakeryCore
import Foundation
import Logging
import ServiceLifecycle

/// The nightly job of `bakery serve`: on start, and then every day at a fixed UTC time, it stores each
/// client's match snapshot and exports every day each client has not had delivered yet (up to yesterday).
/// A failing client is logged, recorded in the ledger and counted; the others go on. Then it purges what the
/// retention policy no longer keeps.
public struct ExportScheduler: Service {
    let store: any Store
    let export: DeltaExport
    /// Seconds after midnight UTC; default 02:00.
    let timeOfDay: Int
    let metrics: ServerMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    /// Who the nightly runs are audited as: `scheduler`, in the role `bakery serve` runs in.
    let actor: Operator
    /// Delivers each written run to its client's delivery location; nil delivers nothing.
    let delivery: ExportDelivery?
    /// What each run purges after its exports; nil purges nothing.
    let retention: Retention?

    /// - Parameter actor: the exports need a role with the `export` permission.
    public init(
        store: any Store, exportRoot: URL, actor: Operator, timeOfDay: Int = 2 * 3600, metrics: ServerMetrics,
        logger: Logger, storage: (any StorageConnector)? = nil, retention: RetentionPolicy? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.retention = retention.map { Retention(store: store, policy: $0, exportRoot: exportRoot) }
        self.actor = actor
        delivery = storage.map { ExportDelivery(store: store, connector: $0) }
        self.store = store
        export = DeltaExport(store: store, root: exportRoot, now: now)
        self.timeOfDay = timeOfDay
        self.metrics = metrics
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await runNight()
            while !Task.isCancelled {
                let wait = secondsUntilNextRun(after: now())
                logger.info("next export run", metadata: ["in_seconds": "\(Int(wait))"])
                do { try await Task.sleep(for: .seconds(wait)) } catch { return }
                await runNight()
            }
        }
    }

    /// Delivers a written run when its client has a delivery location; a failure is in the ledger already and is
    /// retried by the ``StorageScheduler``.
    private func deliver(_ run: ExportRun, clients: [Client]) async -> ExportRun {
        guard let delivery, let client = clients.first(where: { $0.id == run.clientID }) else { return run }
        do {
            return try await delivery.deliver(run, client: client, by: actor)
        } catch {
            logger.error(
                "delivery failed", metadata: ["client": "\(run.clientID)", "day": "\(run.day)", "error": "\(error)"])
            return run
        }
    }

    /// One night: the exports, then the purge.
    private func runNight() async {
        await runOnce()
        await purge()
    }

    /// Purges what the retention policy no longer keeps; a failure is logged and counted, and the next night tries
    /// again. Returns the report, nil when there is no policy or the purge failed.
    @discardableResult
    public func purge() async -> PurgeReport? {
        guard let retention else { return nil }
        do {
            let report = try await retention.run(by: actor, now: now())
            metrics.purged(report)
            let total = report.clients.values.total
            logger.info(
                "nightly purge",
                metadata: [
                    "clients": "\(report.clients.count)", "sync_pairs": "\(total.syncPairs)",
                    "sync_activity": "\(total.syncActivity)", "records": "\(total.records)",
                    "audit_entries": "\(total.auditEntries + report.otherAuditEntries)",
                    "graph_edges": "\(report.graphEdges)",
                    "export_files": "\(report.exportFiles.values.reduce(0, +))",
                ])
            return report
        } catch {
            metrics.purgeFailed()
            logger.error("nightly purge failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Seconds from `date` to the next `timeOfDay` (UTC), strictly in the future.
    func secondsUntilNextRun(after date: Date) -> Double {
        let today = Day(date)
        var next = today.start.addingTimeInterval(Double(timeOfDay))
        if next <= date { next = today.adding(days: 1).start.addingTimeInterval(Double(timeOfDay)) }
        return next.timeIntervalSince(date)
    }

    /// Snapshots and catch-up exports for every client; returns the runs it made.
    @discardableResult
    public func runOnce() async -> [ExportRun] {
        let date = now()
        let yesterday = Day(date).adding(days: -1)
        let clients: [Client]
        do {
            clients = try await store.clients()
        } catch {
            logger.error("cannot list clients for the nightly run", metadata: ["error": "\(error)"])
            return []
        }
        var jobs: [DeltaExport.Job] = []
        for client in clients {
            do {
                let statistics = try await ClientStatistics.load(client, from: store, now: date)
                try await store.saveSnapshots([statistics.snapshot(on: Day(date))])
                for day in try await export.catchUpDays(clientID: client.id, through: yesterday) {
                    jobs.append(.init(client: client, day: day))
                }
            } catch {
                metrics.exportFailed()
                logger.error("nightly run failed for a client", metadata: ["client": "\(client.id)", "error": "\(error)"])
            }
        }
        var runs: [ExportRun] = []
        for outcome in await export.perform(jobs, preview: false, by: actor) {
            switch outcome {
            case .written(let run):
                metrics.exported(run)
                runs.append(await deliver(run, clients: clients))
            case .failed(let client, let day, let message):
                metrics.exportFailed()
                logger.error(
                    "nightly export failed", metadata: ["client": "\(client)", "day": "\(day)", "error": "\(message)"])
            case .previewed:
                break
            }
        }
        return runs
    }
}
