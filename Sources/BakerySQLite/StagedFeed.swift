import BakeryCore
import Foundation

/// Records of an add/replace upload, sorted and laid out flat for the writer: plain arrays of fixed-size values it
/// reads in order, with no reference counting per record. Built on the feed's thread.
struct StagedBatch {
    /// Per record in write order: the 32 bytes its id is stored as (see `StoredRecordID`), or nil when it is
    /// stored as text.
    private(set) var storedHashes: [IdentifierHash?] = []
    /// Per record: the id when stored as text; empty otherwise.
    private(set) var textIDs: [String] = []
    /// Per record: where its identifiers end in `identifierKinds` / `identifierHashes`.
    private(set) var identifierEnds: [Int] = []
    private(set) var identifierKinds: [IdentifierKind] = []
    private(set) var identifierHashes: [IdentifierHash] = []

    var count: Int { storedHashes.count }

    /// `records` in the order of the `(client_id, record_id)` index — text ids before blobs, each by their bytes —
    /// so the writer's inserts walk the B-trees forwards. Order only affects speed, never results.
    init(_ records: [CRMRecord]) {
        let keys = records.map { StoredRecordID.bytes($0.recordID) }
        var order = Array(records.indices)
        order.sort { a, b in
            switch (keys[a], keys[b]) {
            case (let x?, let y?): return x < y
            case (nil, .some): return true
            case (.some, nil): return false
            // String's `<` takes a memcmp fast path for ASCII ids, the order of SQLite's BINARY collation.
            case (nil, nil): return records[a].recordID < records[b].recordID
            }
        }
        storedHashes.reserveCapacity(records.count)
        textIDs.reserveCapacity(records.count)
        identifierEnds.reserveCapacity(records.count)
        identifierKinds.reserveCapacity(records.count)
        identifierHashes.reserveCapacity(records.count)
        for index in order {
            storedHashes.append(keys[index])
            textIDs.append(keys[index] == nil ? records[index].recordID : "")
            for identifier in records[index].identifiers {
                identifierKinds.append(identifier.kind)
                identifierHashes.append(identifier.hash)
            }
            identifierEnds.append(identifierKinds.count)
        }
    }

    /// The positions of record `index`'s identifiers.
    func identifiers(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : identifierEnds[index - 1])..<identifierEnds[index]
    }

    /// Record `index`'s id as stored.
    func storedKey(of index: Int) -> StoredRecordKey {
        storedHashes[index].map { .hash($0) } ?? .text(Array(textIDs[index].utf8))
    }

    /// Record `index`'s id as the string uploads name it by.
    func recordID(of index: Int) -> String { storedHashes[index]?.hex ?? textIDs[index] }
}

/// Runs an upload's feed on a thread of its own — reading the file, parsing the CSV, collecting records into
/// batches and sorting them — while the store's writer thread only writes: on two cores the two overlap instead
/// of taking turns. At most three batches exist at a time (one filling, one sorted and waiting, one being
/// written), so memory stays bounded whatever the file's size.
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

    /// Starts `feed` on its own thread; `check` vets each record as it is emitted (throwing stops the feed).
    init(batchSize: Int, feed: @escaping UploadFeed, check: @escaping @Sendable (CRMRecord) throws -> Void) {
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

    /// Sorts `staged` into a batch and waits until the writer has taken the previous one; `staged` is left empty.
    private func hand(_ staged: inout [CRMRecord]) throws {
        guard !staged.isEmpty else { return }
        let batch = StagedBatch(staged)
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
