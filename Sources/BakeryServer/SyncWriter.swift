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
    @discardableResult
    func flush() async -> Bool {
        while true {
            let batch = queue.take(upTo: configuration.batchSize)
            metrics.queueDepth.set(Int64(queue.depth))
            guard !batch.isEmpty else { return true }
            do {
                try await write(batch)
            } catch {
                queue.putBack(batch)
                logger.error("write failed; \(batch.count) writes kept for retry", metadata: ["error": "\(error)"])
                return false
            }
        }
    }

    private func write(_ batch: [PendingWrite]) async throws {
        var hits: [SyncHit] = []
        var edges: [GraphEdge] = []
        for write in batch {
            switch write {
            case .sync(let hit): hits.append(hit)
            case .graph(let edge): edges.append(edge)
            }
        }
        do {
            try await store.recordSyncHits(hits)
        } catch BakeryError.unknownPartner(let key) {
            // A partner removed after its hits were answered: those hits have no client left to belong to.
            logger.warning("dropping hits of a partner that no longer exists", metadata: ["partner": "\(key)"])
            metrics.droppedWrites.increment(by: Int64(hits.filter { $0.partner == key }.count))
            try await store.recordSyncHits(hits.filter { $0.partner != key })
        }
        try await store.upsertGraphEdges(edges)
        metrics.pairsWritten.increment(by: Int64(hits.count))
        metrics.edgesWritten.increment(by: Int64(edges.count))
        metrics.batchSize.record(Double(batch.count))
    }
}
