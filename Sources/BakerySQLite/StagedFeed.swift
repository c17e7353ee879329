import BakeryCore
import Foundation

/// Runs an upload's feed on a thread of its own — reading the file, parsing the CSV, collecting records into
/// batches and (for add/replace) sorting them — while the store's writer thread only writes: on two cores the two overlap instead
/// of taking turns. At most three batches exist at a time (one filling, one waiting, one being written), so memory
/// stays bounded whatever the file's size.
///
/// The writer calls `next()` until it returns nil, then `finish()`. Either side's failure stops the other: a
/// failing feed makes `next()` throw its error; a writer that stops early calls `abandon()`, and the feed's next
/// handover throws. `finish()` returns only once the feed's thread has ended, so nothing of the feed runs after the
/// upload's transaction.
final class StagedFeed: @unchecked Sendable {
    private let condition = NSCondition()
    // All guarded by `condition`.
    private var ready: StagedBatch?
    private var outcome: Result<UploadFeedTotals, any Error>?
    private var accepted = 0
    private var abandoned = false

    private struct Abandoned: Error {}

    private let order: StagedBatch.Order

    /// Starts `feed` on its own thread; `check` vets each record as it is emitted (throwing stops the feed). Batches
    /// hold their records in `order`.
    init(
        batchSize: Int, order: StagedBatch.Order, feed: @escaping UploadFeed,
        check: @escaping @Sendable (CRMRecord) throws -> Void
    ) {
        self.order = order
        let thread = Thread { [self] in
            var staged: [CRMRecord] = []
            staged.reserveCapacity(batchSize)
            var count = 0
            let result = Result<UploadFeedTotals, any Error> {
                let totals = try feed { record in
                    try check(record)
                    count += 1
                    staged.append(record)
                    if staged.count == batchSize {
                        try self.hand(&staged)
                    }
                }
                try self.hand(&staged)
                return totals
            }
            condition.withLock {
                accepted = count
                outcome = result
                condition.broadcast()
            }
        }
        thread.name = "bakery-upload-feed"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Lays `staged` out as a batch and waits until the writer has taken the previous one; `staged` is left empty.
    private func hand(_ staged: inout [CRMRecord]) throws {
        guard !staged.isEmpty else { return }
        let batch = StagedBatch(staged, order: order)
        // Freed here, not on the writer's thread.
        staged.removeAll(keepingCapacity: true)
        condition.lock()
        defer { condition.unlock() }
        while ready != nil && !abandoned { condition.wait() }
        if abandoned { throw Abandoned() }
        ready = batch
        condition.broadcast()
    }

    /// The next sorted batch, or nil once the feed has ended well; throws what the feed threw.
    func next() throws -> StagedBatch? {
        condition.lock()
        defer { condition.unlock() }
        while ready == nil && outcome == nil { condition.wait() }
        if let batch = ready {
            ready = nil
            condition.broadcast()
            return batch
        }
        _ = try outcome!.get()
        return nil
    }

    /// Tells the feed to stop at its next handover (the writer failed).
    func abandon() {
        condition.withLock {
            abandoned = true
            condition.broadcast()
        }
    }

    /// Waits for the feed's thread to end; returns its totals and the number of records it emitted.
    func finish() throws -> (totals: UploadFeedTotals, accepted: Int) {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return (try outcome!.get(), accepted)
    }
}
