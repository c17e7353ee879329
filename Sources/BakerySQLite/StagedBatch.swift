import BakeryCore

/// Records of an upload, laid out flat for the writer: plain arrays of fixed-size values it reads in order, with no
/// reference counting per record. Built on the feed's thread.
struct StagedBatch {
    /// The order a batch holds its records in.
    enum Order: Sendable {
        /// The order of the `(client_id, record_id)` index — text ids before blobs, each by their bytes — so that
        /// add/replace inserts walk the B-trees forwards. Order only affects speed there, never results.
        case recordID
        /// The file's: a `remove` upload's outcome (which row is the duplicate) depends on it.
        case file
    }

    /// Per record in write order: the 32 bytes its id is stored as (see `StoredRecordID`), or nil when it is
    /// stored as text.
    private(set) var storedHashes: [IdentifierHash?] = []
    /// Per record: the id when stored as text; empty otherwise.
    private(set) var textIDs: [String] = []
    /// Per record: where its identifiers end in `identifierKinds` / `identifierHashes`.
    private(set) var identifierEnds: [Int] = []
    private(set) var identifierKinds: [IdentifierKind] = []
    private(set) var identifierHashes: [IdentifierHash] = []
    /// Per record: whether its id is the client's own (`CRMRecord.hasOwnRecordID`) rather than its primary hash.
    private(set) var ownIDs: [Bool] = []

    var count: Int { storedHashes.count }

    init(_ records: [CRMRecord], order: Order) {
        let keys = records.map { StoredRecordID.bytes($0.recordID) }
        var sequence = Array(records.indices)
        if order == .recordID {
            sequence.sort { a, b in
                Self.precedes((keys[a], records[a].recordID), (keys[b], records[b].recordID))
            }
        }
        storedHashes.reserveCapacity(records.count)
        textIDs.reserveCapacity(records.count)
        identifierEnds.reserveCapacity(records.count)
        identifierKinds.reserveCapacity(records.count)
        identifierHashes.reserveCapacity(records.count)
        ownIDs.reserveCapacity(records.count)
        for index in sequence {
            storedHashes.append(keys[index])
            textIDs.append(keys[index] == nil ? records[index].recordID : "")
            for identifier in records[index].identifiers {
                identifierKinds.append(identifier.kind)
                identifierHashes.append(identifier.hash)
            }
            identifierEnds.append(identifierKinds.count)
            // The id is derived when it is the primary identifier's hash: compared as bytes, no hex string.
            ownIDs.append(keys[index] == nil || keys[index] != CRMRecord.primary(of: records[index].identifiers)?.hash)
        }
    }

    /// Whether stored id `a` (its bytes, else its text) sorts before `b` in the `(client_id, record_id)` index:
    /// SQLite orders text before blobs, each by their bytes.
    static func precedes(_ a: (hash: IdentifierHash?, text: String), _ b: (hash: IdentifierHash?, text: String)) -> Bool {
        switch (a.hash, b.hash) {
        case (let x?, let y?): return x < y
        case (nil, .some): return true
        case (.some, nil): return false
        // String's `<` takes a memcmp fast path for ASCII ids, the order of SQLite's BINARY collation.
        case (nil, nil): return a.text < b.text
        }
    }

    /// The positions of record `index`'s identifiers.
    func identifiers(of index: Int) -> Range<Int> {
        (index == 0 ? 0 : identifierEnds[index - 1])..<identifierEnds[index]
    }

    /// Whether record `index` sorts before record `other` in the `(client_id, record_id)` index.
    func precedes(_ index: Int, _ other: Int) -> Bool {
        Self.precedes((storedHashes[index], textIDs[index]), (storedHashes[other], textIDs[other]))
    }

    /// Record `index`'s id as stored.
    func storedKey(of index: Int) -> StoredRecordKey {
        storedHashes[index].map { .hash($0) } ?? .text(Array(textIDs[index].utf8))
    }

    /// Record `index`'s id as the string uploads name it by.
    func recordID(of index: Int) -> String { storedHashes[index]?.hex ?? textIDs[index] }
}

extension BulkStatement {
    /// Binds record `index` of `batch`'s id as `StoredRecordID` stores it.
    @discardableResult
    func bind(idOf index: Int, in batch: StagedBatch) -> Self {
        if let hash = batch.storedHashes[index] { return bind(hash) }
        return bind(batch.textIDs[index] as String?)
    }
}
