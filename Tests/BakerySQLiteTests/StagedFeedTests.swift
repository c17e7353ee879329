import BakeryCore
import BakeryTesting
import Foundation
import Testing

@testable import BakerySQLite

/// The hand-over between an upload's feed thread and the store's writer (see `StagedFeed`).
@Suite("Staged upload feed")
struct StagedFeedTests {
    struct FeedFailure: Error {}

    static func record(_ index: Int) -> CRMRecord {
        let hash = Fixtures.hash("person \(index)")
        return CRMRecord(clientID: "acme", recordID: index.isMultiple(of: 3) ? "R-\(index)" : hash.hex,
            identifiers: [Identifier(.email, hash), Identifier(.phone, Fixtures.hash("phone \(index)"))])
    }

    @Test("batches arrive sorted as the index is, every record once, with the feed's totals")
    func batchesAreSortedAndComplete() throws {
        let feed = StagedFeed(batchSize: 100, order: .recordID, feed: { emit in
            for index in 0..<250 { try emit(Self.record(index)) }
            return UploadFeedTotals(rows: 260, rejected: 10)
        }, check: { _ in })
        let records = Dictionary(uniqueKeysWithValues: (0..<250).map { (Self.record($0).recordID, Self.record($0)) })
        var seen: [String] = []
        var sizes: [Int] = []
        while let batch = try feed.next() {
            sizes.append(batch.count)
            let ids = (0..<batch.count).map { batch.recordID(of: $0) }
            // Text ids (the client's own) first, then hash-derived ids by their bytes: hex order is byte order.
            let text = (0..<batch.count).filter { batch.storedHashes[$0] == nil }
            #expect(text == Array(0..<text.count))
            #expect(Array(ids[..<text.count]) == ids[..<text.count].sorted())
            #expect(Array(ids[text.count...]) == ids[text.count...].sorted())
            for index in 0..<batch.count {
                let identifiers = batch.identifiers(of: index).map {
                    Identifier(batch.identifierKinds[$0], batch.identifierHashes[$0])
                }
                #expect(identifiers == records[ids[index]]?.identifiers)
            }
            seen += ids
        }
        #expect(sizes == [100, 100, 50])
        #expect(Set(seen) == Set(records.keys) && seen.count == 250)
        let finished = try feed.finish()
        #expect(finished.totals == UploadFeedTotals(rows: 260, rejected: 10) && finished.accepted == 250)
    }

    @Test("in file order batches keep the feed's order and tell the client's own ids from derived ones")
    func fileOrderIsKept() throws {
        // Own ids that are 64 hex digits too, but not the record's own hash, still count as the client's.
        let foreign = CRMRecord(
            clientID: "acme", recordID: Fixtures.hash("someone else").hex,
            identifiers: [Identifier(.email, Fixtures.hash("person x"))])
        let records = (0..<25).map(Self.record) + [foreign]
        let feed = StagedFeed(batchSize: 10, order: .file, feed: { emit in
            for record in records { try emit(record) }
            return UploadFeedTotals(rows: 26, rejected: 0)
        }, check: { _ in })
        var ids: [String] = []
        var own: [Bool] = []
        while let batch = try feed.next() {
            ids += (0..<batch.count).map { batch.recordID(of: $0) }
            own += batch.ownIDs
        }
        #expect(ids == records.map(\.recordID))
        #expect(own == records.map(\.hasOwnRecordID))
        #expect(own.filter { $0 }.count == 9 + 1)
        _ = try feed.finish()
    }

    @Test("the feed's error reaches the writer after the batches handed before it")
    func aFailingFeedStopsTheWriter() throws {
        let feed = StagedFeed(batchSize: 10, order: .recordID, feed: { emit in
            for index in 0..<25 { try emit(Self.record(index)) }
            throw FeedFailure()
        }, check: { _ in })
        var batches = 0
        #expect(throws: FeedFailure.self) {
            while try feed.next() != nil { batches += 1 }
        }
        #expect(batches == 2)
        #expect(throws: FeedFailure.self) { try feed.finish() }
    }

    @Test("a record the check refuses stops the feed with the check's error")
    func aRefusedRecordStopsTheFeed() throws {
        let feed = StagedFeed(batchSize: 10, order: .recordID, feed: { emit in
            try emit(Self.record(1))
            try emit(CRMRecord(clientID: "other", recordID: "x", identifiers: []))
            Issue.record("the feed went on after a refused record")
            return UploadFeedTotals(rows: 2, rejected: 0)
        }, check: { record in
            if record.clientID != "acme" { throw FeedFailure() }
        })
        #expect(throws: FeedFailure.self) { while try feed.next() != nil {} }
    }

    @Test("a writer that gives up stops an endless feed, and finish waits for the feed's thread to end")
    func abandoningStopsTheFeed() throws {
        let ended = Flag()
        let feed = StagedFeed(batchSize: 50, order: .recordID, feed: { emit in
            defer { ended.set() }
            var index = 0
            while true {
                try emit(Self.record(index % 1000))
                index += 1
            }
        }, check: { _ in })
        #expect(try feed.next()?.count == 50)
        feed.abandon()
        #expect(throws: (any Error).self) { try feed.finish() }
        #expect(ended.isSet)
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
