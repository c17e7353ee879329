import BakeryCore
import Logging
import ServiceLifecycle

/// The single writer: drains the ``WriteQueue`` in batched transactions, bounded in size and time, and on
/// graceful shutdown keeps going until the queue is empty.
public struct SyncWriter: Service {
    let queue: WriteQueue
    let store: any Store
    let configuration: ServerConfiguration
    let metrics: ServerMetrics
    let logger: Logger

    public init(
        queue: WriteQueue, store: any Store, configuration: ServerConfiguration, metrics: ServerMetrics, logger: Logger
    ) {
        self.queue = queue
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        // Stop sleeping on graceful shutdown, but finish the drain below whatever happens.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await flush()
                try? await Task.sleep(for: configuration.flushInterval)
            }
        }
        let left = await drain()
        if left > 0 {
            logger.critical("shutting down with answered writes not committed", metadata: ["writes": "\(left)"])
            throw BakeryError.storeFailure("\(left) answered writes could not be committed before shutdown")
        }
    }

    /// Writes everything queued now, retrying failed batches for at most `patience`; returns how many writes
    /// are still queued (0 unless the store kept failing). Used at shutdown and by tests.
    @discardableResult
    public func drain(patience: Duration = .seconds(30)) async -> Int {
        let deadline = ContinuousClock.now + patience
        while queue.depth > 0 {
            if await flush() { continue }
            guard ContinuousClock.now < deadline else { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return queue.depth
    }

    /// Writes batches until the queue is empty; false when a batch failed and went back to the queue.
    ///
    /// A batch is one store transaction, so a failed batch left nothing behind and its retry counts nothing twice.
    /// A batch the store refuses as invalid would fail the same way forever: its writes are then tried one at a time,
    /// and the ones refused on their own are dropped and counted (the endpoints validate what they queue, so this is
    /// a defect's safety net, not a path). Any other failure (the database busy, the disk full) puts the whole batch
    /// back for the next flush.
    @discardableResult
    func flush() async -> Bool {
        while true {
            let batch = queue.take(upTo: configuration.batchSize)
            metrics.queueDepth.set(Int64(queue.depth))
            guard !batch.isEmpty else { return true }
            do {
                try await write(batch)
                metrics.writerFailing.store(false, ordering: .relaxed)
            } catch BakeryError.invalidInput(let reason) {
                logger.error("a batch was refused as invalid; writing it one by one", metadata: ["error": "\(reason)"])
                do {
                    try await writeOneByOne(batch)
                } catch {
                    queue.putBack(error.left)
                    failed()
                    logger.error(
                        "write failed; \(error.left.count) writes kept for retry", metadata: ["error": "\(error.underlying)"])
                    return false
                }
            } catch {
                queue.putBack(batch)
                failed()
                logger.error("write failed; \(batch.count) writes kept for retry", metadata: ["error": "\(error)"])
                return false
            }
        }
    }

    private func failed() {
        metrics.writeFailures.increment()
        metrics.writerFailing.store(true, ordering: .relaxed)
    }

    private func write(_ batch: [PendingWrite]) async throws {
        var pixels = PixelBatch()
        for write in batch {
            switch write {
            case .sync(let hit): pixels.hits.append(hit)
            case .graph(let edge): pixels.edges.append(edge)
            }
        }
        let outcome = try await store.recordPixelBatch(pixels)
        for (partner, count) in outcome.droppedHits.sorted(by: { $0.key < $1.key }) {
            // A partner removed after its hits were answered: those hits have no client left to belong to.
            logger.warning("dropped hits of a partner that no longer exists", metadata: ["partner": "\(partner)", "hits": "\(count)"])
            metrics.droppedWrites.increment(by: Int64(count))
        }
        metrics.pairsWritten.increment(by: Int64(outcome.hitsWritten))
        metrics.edgesWritten.increment(by: Int64(outcome.edgesWritten))
        metrics.batchSize.record(Double(batch.count))
    }

    /// Each write in its own transaction; those refused as invalid are dropped and counted, other failures thrown
    /// (the writes already stored are then not retried: the caller puts back only what is left).
    private func writeOneByOne(_ batch: [PendingWrite]) async throws(PartialFailure) {
        for (index, single) in batch.enumerated() {
            do {
                try await write([single])
            } catch BakeryError.invalidInput(let reason) {
                logger.error("dropped an invalid write", metadata: ["error": "\(reason)"])
                metrics.droppedWrites.increment()
            } catch {
                throw PartialFailure(left: Array(batch[index...]), underlying: error)
            }
        }
    }

    struct PartialFailure: Error {
        var left: [PendingWrite]
        var underlying: any Error
    }
}
