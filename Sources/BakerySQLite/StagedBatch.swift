import BakeryCore

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
