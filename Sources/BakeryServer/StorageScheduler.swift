import BakeryCore
import Foundation
import Logging
import ServiceLifecycle

/// The storage side of `bakery serve`: every `interval` it polls every client's intake location (as `bakery watch`
/// does) and retries the deliveries that failed, each after a backoff that doubles with its attempts (from one poll
/// interval up to six hours). One location that cannot be reached is logged; the others go on.
public struct StorageScheduler: Service {
    let store: any Store
    let poller: IntakePoller
    let delivery: ExportDelivery
    let interval: Duration
    let logger: Logger
    let actor: Operator
    let now: @Sendable () -> Date

    /// - Parameter actor: needs the `upload` and `export` permissions (`ops`).
    public init(
        store: any Store, connector: any StorageConnector, actor: Operator, interval: Duration = .seconds(60),
        failedFiles: FailedFileRule = FailedFileRule(), logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.actor = actor
        poller = IntakePoller(store: store, connector: connector, actor: actor, failedFiles: failedFiles, now: now)
        delivery = ExportDelivery(store: store, connector: connector)
        self.interval = interval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await look()
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                await runOnce()
            }
        }
    }

    /// The first look at each location: files that grow while written must be seen twice unchanged.
    func look() async {
        do {
            await poller.look(try await poller.zones(onlyFolders: false, log: log), log: log)
        } catch {
            logger.error("cannot list the intake locations", metadata: ["error": "\(error)"])
        }
    }

    /// One poll of the intake locations, then the due delivery retries.
    @discardableResult
    public func runOnce() async -> (receipts: [DropZoneReceipt], redelivered: [ExportRun]) {
        var receipts: [DropZoneReceipt] = []
        do {
            receipts = await poller.poll(try await poller.zones(onlyFolders: false, log: log), log: log)
        } catch {
            logger.error("cannot list the intake locations", metadata: ["error": "\(error)"])
        }
        return (receipts, await retryDeliveries())
    }

    /// Retries each client's failed deliveries whose backoff has passed, newest run of each day only.
    func retryDeliveries() async -> [ExportRun] {
        var delivered: [ExportRun] = []
        do {
            let failed = try await store.exportRuns(
                ExportRunQuery(outcome: .succeeded, undelivered: true), page: PageRequest(limit: PageRequest.maximumLimit))
            let clients = Dictionary(try await store.clients().map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var seen = Set<String>()
            for run in failed.items {
                guard seen.insert("\(run.clientID) \(run.day)").inserted, let client = clients[run.clientID],
                    let state = run.delivery, isDue(state)
                else { continue }
                guard try await isNewest(run) else { continue }
                do {
                    delivered.append(try await delivery.deliver(run, client: client, by: actor))
                    logger.info("delivered on retry", metadata: ["client": "\(run.clientID)", "day": "\(run.day)"])
                } catch {
                    logger.error(
                        "delivery retry failed",
                        metadata: ["client": "\(run.clientID)", "day": "\(run.day)", "error": "\(error)"])
                }
            }
        } catch {
            logger.error("cannot read the export ledger for delivery retries", metadata: ["error": "\(error)"])
        }
        return delivered
    }

    /// A failed delivery is due one poll interval after its first attempt, then after twice as long each time, at
    /// most six hours.
    func isDue(_ delivery: ExportRun.Delivery) -> Bool {
        let base = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        let wait = min(6 * 3600, base * pow(2, Double(max(0, delivery.attempts - 1))))
        return now().timeIntervalSince(delivery.at) >= wait
    }

    /// Only the day's newest succeeded run is worth delivering: an older one would replace newer files.
    private func isNewest(_ run: ExportRun) async throws -> Bool {
        let newest = try await store.exportRuns(
            ExportRunQuery(clientID: run.clientID, day: run.day, outcome: .succeeded), page: PageRequest(limit: 1))
        return newest.items.first?.id == run.id
    }

    private var log: @Sendable (String) -> Void {
        let logger = logger
        return { logger.info("\($0)") }
    }
}
