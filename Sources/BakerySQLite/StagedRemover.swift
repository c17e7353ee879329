import BakeryCore
import GRDB

/// Applies a `remove` upload a staged batch at a time, set-based: it looks up every record the batch names (128 keys
/// to a statement, in index order), works out in memory, in file order, which row removes what, and then deactivates
/// the removed records 128 to a statement in id order. Per row it gives exactly what a row-at-a-time
/// `UPDATE … WHERE … AND active = 1` would: a row that names a record an earlier row of this upload removed is a
/// duplicate, one that names nothing stored is not found. Earlier batches are already written when a batch is looked
/// up, so the state it starts from is on disk, not in a set that grows with the file.
final class StagedRemover {
    static let keysPerStatement = 128

    private let clientID: String
    private let uploadID: Int64
    private let now: Int64
    private let findByID, findByHash, deactivate: BulkStatement

    /// A stored record the batch names: whether it is active, and whether this upload removed it.
    private struct Found {
        var active: Bool
        var removedHere: Bool
    }

    private struct IdentifierKey: Hashable {
        let kind: IdentifierKind
        let hash: IdentifierHash
    }

    // Per batch.
    private var records: [Int64: Found] = [:]
    private var byID: [StoredRecordKey: Int64] = [:]
    private var byIdentifier: [IdentifierKey: [Int64]] = [:]
    private var removed: [Int64] = []

    init(_ db: Database, clientID: String, uploadID: Int64, now: Int64) throws {
        self.clientID = clientID
        self.uploadID = uploadID
        self.now = now
        let block = BulkStatement.placeholders(Self.keysPerStatement)
        findByID = try BulkStatement(
            db, "SELECT id, active, upload_id, record_id FROM crm_record WHERE client_id = ?1 AND record_id IN \(block)")
        // The hash index covers (hash, record, kind), then each record by its id: CROSS JOIN keeps that order
        // (the planner might otherwise walk the client's records). One kind per statement.
        findByHash = try BulkStatement(
            db,
            """
            SELECT r.id, r.active, r.upload_id, i.hash FROM crm_identifier i CROSS JOIN crm_record r ON r.id = i.record
            WHERE i.kind = ?2 AND i.hash IN \(block) AND r.client_id = ?1
            """)
        deactivate = try BulkStatement(
            db, "UPDATE crm_record SET active = 0, upload_id = ?, updated_at = ? WHERE id IN \(block)")
    }

    /// Removes what the batch's rows name, in file order.
    func remove(_ batch: StagedBatch, counts: inout UploadCounts) throws {
        records.removeAll(keepingCapacity: true)
        byID.removeAll(keepingCapacity: true)
        byIdentifier.removeAll(keepingCapacity: true)
        removed.removeAll(keepingCapacity: true)
        try lookUpIDs(batch)
        try lookUpIdentifiers(batch)
        for index in 0..<batch.count {
            if batch.ownIDs[index] {
                if let id = byID[batch.storedKey(of: index)] {
                    apply(CollectionOfOne(id), counts: &counts)
                } else {
                    apply(EmptyCollection(), counts: &counts)
                }
            } else {
                apply(
                    batch.identifiers(of: index).lazy.flatMap { position in
                        self.byIdentifier[IdentifierKey(
                            kind: batch.identifierKinds[position], hash: batch.identifierHashes[position])] ?? []
                    }, counts: &counts)
            }
        }
        removed.sort()
        var start = 0
        while start < removed.count {
            let end = min(removed.count, start + Self.keysPerStatement)
            deactivate.bind(uploadID).bind(now)
            for id in removed[start..<end] { deactivate.bind(id) }
            try deactivate.run()
            start = end
        }
    }

    /// One row naming `candidates` (with repeats): it removes those still active; if there are none, it is a
    /// duplicate when one of them was removed by this upload, else it matches nothing.
    private func apply(_ candidates: some Sequence<Int64>, counts: inout UploadCounts) {
        var removedByRow = 0
        var earlier = false
        for id in candidates {
            guard var record = records[id] else { continue }
            if record.active {
                record.active = false
                record.removedHere = true
                records[id] = record
                removed.append(id)
                removedByRow += 1
            } else if record.removedHere {
                earlier = true
            }
        }
        counts.removed += removedByRow
        if removedByRow == 0 { if earlier { counts.duplicates += 1 } else { counts.notFound += 1 } }
    }

    private func found(_ row: BulkStatement.ResultRow) -> Int64 {
        let id = row.int64(0)
        records[id] = Found(active: row.int64(1) != 0, removedHere: !row.isNull(2) && row.int64(2) == uploadID)
        return id
    }

    /// The stored records the rows with the client's own ids name.
    private func lookUpIDs(_ batch: StagedBatch) throws {
        let rows = (0..<batch.count).filter { batch.ownIDs[$0] }.sorted { batch.precedes($0, $1) }
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + Self.keysPerStatement)
            findByID.bind(clientID)
            for index in rows[start..<end] { findByID.bind(idOf: index, in: batch) }
            try findByID.run(eachResult: { row in byID[row.storedRecordID(3)] = found(row) })
            start = end
        }
    }

    /// The stored records the identifiers of rows without ids of their own name, one kind per statement.
    private func lookUpIdentifiers(_ batch: StagedBatch) throws {
        var keys: [IdentifierKey] = []
        for index in 0..<batch.count where !batch.ownIDs[index] {
            for position in batch.identifiers(of: index) {
                keys.append(IdentifierKey(kind: batch.identifierKinds[position], hash: batch.identifierHashes[position]))
            }
        }
        keys.sort { ($0.kind, $0.hash) < ($1.kind, $1.hash) }
        keys = keys.indices.compactMap { $0 > 0 && keys[$0 - 1] == keys[$0] ? nil : keys[$0] }
        var start = 0
        while start < keys.count {
            let kind = keys[start].kind
            var end = start
            findByHash.bind(clientID).bind(kind.rawValue)
            while end < keys.count, end - start < Self.keysPerStatement, keys[end].kind == kind {
                findByHash.bind(keys[end].hash)
                end += 1
            }
            try findByHash.run(eachResult: { row in
                let id = found(row)
                guard let hash = row.hash(3) else { return }
                byIdentifier[IdentifierKey(kind: kind, hash: hash), default: []].append(id)
            })
            start = end
        }
    }
}
