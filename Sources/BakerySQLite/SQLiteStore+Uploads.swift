import BakeryCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Streams the file's records straight into the client's tables inside one IMMEDIATE transaction. The ledger row
    /// is inserted first so every touched record can carry its id: a record whose `upload_id` is already this upload's
    /// was seen earlier in the file (a duplicate), which keeps duplicate detection on disk instead of in a set that
    /// would grow with the file. SQLite's WAL makes a kill at any point roll back to the state before.
    ///
    /// A dry run counts the matched records at the start and the end of its transaction, then rolls back and
    /// appends its audit entry alone: the only thing it stores.
    public func applyUpload(_ request: UploadRequest, feed: @escaping UploadFeed) async throws -> AppliedUpload {
        try refuseIfReadOnly()
        let path = self.path
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: AppliedUpload?
                try db.inTransaction(.immediate) {
                    result = try UploadApplier(db: db, request: request).apply(feed)
                    return request.dryRun ? .rollback : .commit
                }
                if request.dryRun, let result { _ = try SQLiteStore.insertAudit(db, .upload(request, result)) }
                return result!
            }
        } catch let error as DatabaseError {
            throw SQLiteStore.failure("database write", path, error)
        }
    }
}

/// What an upload did to the client's records so far.
struct UploadCounts {
    var accepted = 0, added = 0, alreadyPresent = 0, removed = 0, notFound = 0, duplicates = 0
}

/// One upload: its ledger row, the writes of its mode and its running counts, for the life of its transaction.
private struct UploadApplier {
    let db: Database
    let request: UploadRequest
    let now: Int64

    init(db: Database, request: UploadRequest) {
        self.db = db
        self.request = request
        self.now = Date().storedSeconds
    }

    func apply(_ feed: @escaping UploadFeed) throws -> AppliedUpload {
        try SQLiteStore.requireClient(db, request.clientID)
        let before = try activeRecords()
        let matchedBefore = request.dryRun ? try SQLiteStore.matchedRecordCount(db, clientID: request.clientID) : nil
        // As stored: whole seconds, so the returned row equals the one `uploads(clientID:limit:)` lists.
        let startedAt = Date(storedSeconds: request.startedAt.storedSeconds)
        var upload = Upload(
            clientID: request.clientID, mode: request.mode, source: request.source, fileName: request.fileName,
            startedAt: startedAt, finishedAt: startedAt, rows: 0, accepted: 0, rejected: 0,
            duplicates: 0, recordsBefore: before, recordsAfter: before, status: request.dryRun ? .dryRun : .applied)
        try db.execute(
            sql: """
                INSERT INTO upload (client_id, mode, source, file_name, started_at, finished_at, rows, accepted,
                    rejected, duplicates, records_before, records_after, status)
                VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?, ?, ?)
                """,
            arguments: [
                request.clientID, request.mode.rawValue, request.source.rawValue, request.fileName,
                request.startedAt.storedSeconds, request.startedAt.storedSeconds, before, before,
                upload.status.rawValue,
            ])
        let uploadID = db.lastInsertedRowID
        var counts = UploadCounts()
        // Reading, parsing and batching run on the feed's own thread (`StagedFeed`); this thread only writes.
        // add/replace: records are written a batch at a time in record-id order, so the inserts into the
        // (client_id, record_id) index — and, for hash-derived ids, the identifier hash index — walk the B-trees
        // forwards instead of seeking a random page per row. The outcome does not depend on order: a record seen
        // twice is a duplicate whichever row comes first, and identifiers merge as sets. remove: file order, as
        // which row counts as the duplicate depends on it.
        let clientID = request.clientID
        let staged = StagedFeed(
            batchSize: Self.stagedRecords, order: request.mode == .remove ? .file : .recordID, feed: feed
        ) { record in
            try Self.check(record, clientID: clientID)
        }
        do {
            if request.mode == .remove {
                let remover = try StagedRemover(db, clientID: clientID, uploadID: uploadID, now: now)
                while let batch = try staged.next() { try remover.remove(batch, counts: &counts) }
            } else {
                let writer = try StagedWriter(self, uploadID: uploadID)
                while let batch = try staged.next() { try writer.write(batch, counts: &counts) }
            }
        } catch {
            staged.abandon()
            _ = try? staged.finish()
            throw error
        }
        let totals: UploadFeedTotals
        (totals, counts.accepted) = try staged.finish()
        if request.mode == .replace {
            guard counts.accepted > 0 else {
                throw BakeryError.invalidInput(
                    "\(request.fileName): a replace upload with no accepted row would remove every record of "
                        + "'\(request.clientID)'; nothing was changed")
            }
            try db.execute(
                sql: """
                    UPDATE crm_record SET active = 0, upload_id = ?, updated_at = ?
                    WHERE client_id = ? AND active = 1 AND upload_id IS NOT ?
                    """, arguments: [uploadID, now, request.clientID, uploadID])
            counts.removed += db.changesCount
        }
        let after = try activeRecords()
        upload.id = request.dryRun ? nil : uploadID
        upload.finishedAt = Date(storedSeconds: Date().storedSeconds)
        upload.rows = totals.rows
        upload.accepted = counts.accepted
        upload.rejected = totals.rejected
        upload.duplicates = counts.duplicates
        upload.recordsAfter = after
        try db.execute(
            sql: """
                UPDATE upload SET finished_at = ?, rows = ?, accepted = ?, rejected = ?, duplicates = ?,
                    records_after = ? WHERE id = ?
                """,
            arguments: [
                upload.finishedAt.storedSeconds, upload.rows, upload.accepted, upload.rejected, upload.duplicates,
                after, uploadID,
            ])
        let applied = AppliedUpload(
            upload: upload, added: counts.added, alreadyPresent: counts.alreadyPresent, removed: counts.removed,
            notFound: counts.notFound, matchedBefore: matchedBefore,
            matchedAfter: request.dryRun ? try SQLiteStore.matchedRecordCount(db, clientID: request.clientID) : nil)
        // A dry run's entry is written after its rollback (see applyUpload).
        if !request.dryRun {
            _ = try SQLiteStore.insertAudit(db, .upload(request, applied))
            if let intake = request.intake {
                if let earlier = try Int64.fetchOne(
                    db, sql: "SELECT upload_id FROM intake_object WHERE location = ? AND key = ? AND version = ?",
                    arguments: [intake.location, intake.key, intake.version])
                {
                    throw BakeryError.invalidInput(
                        "\(intake.location)\(intake.key) (\(intake.version)) was applied already as upload #\(earlier); "
                            + "nothing was changed")
                }
                try db.execute(
                    sql: "INSERT INTO intake_object (location, key, version, upload_id) VALUES (?, ?, ?, ?)",
                    arguments: [intake.location, intake.key, intake.version, uploadID])
            }
        }
        return applied
    }

    /// A record the feed may hand to this upload.
    static func check(_ record: CRMRecord, clientID: String) throws {
        guard record.clientID == clientID else {
            throw BakeryError.invalidInput(
                "a record of client '\(record.clientID)' was fed to an upload for '\(clientID)'")
        }
        guard !record.recordID.isEmpty, !record.identifiers.isEmpty else {
            throw BakeryError.invalidInput("a CRM record of client '\(record.clientID)' has no id or no identifier")
        }
    }

    private func activeRecords() throws -> Int {
        try Int.fetchOne(
            db, sql: "SELECT count(*) FROM crm_record WHERE client_id = ? AND active = 1", arguments: [request.clientID]
        ) ?? 0
    }

    /// Records batched together: large enough for mostly sequential index inserts and few lookups per record,
    /// small enough to keep memory flat (about 200 bytes a record while staged, 100 in the flat batch the writer
    /// gets).
    static let stagedRecords = 1 << 16
}

/// Writes the `add` and `replace` records of a staged batch 128 to a statement (see docs/performance.md,
/// Onboarding). Each new record gets its id from here — the upload holds the write lock,
/// so ids past the stored maximum are free. A multi-row INSERT that changed as many rows as it holds wrote them
/// all; otherwise the ids it was given that now exist say which went in (an id range, no RETURNING: SQLite
/// buffers returned rows). The records that did not go in are stored already: they are looked up, brought into
/// this upload and (for `replace`) cleared of their identifiers with one statement each per block, which tells
/// a stored record from a duplicate (one this upload already wrote).
private final class StagedWriter {
    static let recordsPerStatement = 128

    let applier: UploadApplier
    let uploadID: Int64
    let insertRecords, insertIdentifiers, insertedIDs, findRecords, touchRecords, clearIdentifiers: BulkStatement
    /// One row at a time, for the end of a batch.
    let insertRecord, insertIdentifier: BulkStatement
    /// The batch's identifiers not written yet: the record's id and the identifier's position in the batch.
    var pending: [(record: Int64, position: Int)] = []
    var nextID: Int64
    /// Per record of the block being written: whether it was new and went in.
    var inserted = [Bool](repeating: false, count: StagedWriter.recordsPerStatement)

    init(_ applier: UploadApplier, uploadID: Int64) throws {
        self.applier = applier
        self.uploadID = uploadID
        let db = applier.db
        let block = BulkStatement.placeholders(Self.recordsPerStatement)
        insertRecords = try BulkStatement(db, Self.insertRecords(Self.recordsPerStatement))
        insertIdentifiers = try BulkStatement(db, Self.insertIdentifiers(Self.recordsPerStatement))
        insertRecord = try BulkStatement(db, Self.insertRecords(1))
        insertIdentifier = try BulkStatement(db, Self.insertIdentifiers(1))
        insertedIDs = try BulkStatement(db, "SELECT id FROM crm_record WHERE id BETWEEN ? AND ?")
        findRecords = try BulkStatement(
            db, "SELECT id, active, upload_id, record_id FROM crm_record WHERE client_id = ? AND record_id IN \(block)")
        touchRecords = try BulkStatement(
            db, "UPDATE crm_record SET active = 1, upload_id = ?, updated_at = ? WHERE id IN \(block)")
        clearIdentifiers = try BulkStatement(db, "DELETE FROM crm_identifier WHERE record IN \(block)")
        nextID = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) + 1 FROM crm_record") ?? 1
    }

    /// `INSERT` of `rows` records: ?1 client, ?2 upload, ?3 time, then id and record id per row.
    static func insertRecords(_ rows: Int) -> String {
        let values = (0..<rows).map { "(?\(4 + 2 * $0), ?1, ?\(5 + 2 * $0), 1, ?2, ?3)" }.joined(separator: ", ")
        return """
            INSERT INTO crm_record (id, client_id, record_id, active, upload_id, updated_at) VALUES \(values)
            ON CONFLICT DO NOTHING
            """
    }

    /// `INSERT` of `rows` identifiers: record, kind and hash per row. Identifiers already held are kept once.
    static func insertIdentifiers(_ rows: Int) -> String {
        let values = Array(repeating: "(?, ?, ?)", count: rows).joined(separator: ", ")
        return "INSERT OR IGNORE INTO crm_identifier (record, kind, hash) VALUES \(values)"
    }

    /// Writes the batch's records (sorted by record id) and all their identifiers.
    func write(_ batch: StagedBatch, counts: inout UploadCounts) throws {
        var start = 0
        while start < batch.count {
            let range = start..<min(batch.count, start + Self.recordsPerStatement)
            try writeBlock(batch, range, counts: &counts)
            start = range.upperBound
        }
        try flushIdentifiers(batch)
    }

    /// Writes up to `recordsPerStatement` records: record `index` gets id `first + index` if it is new.
    private func writeBlock(_ batch: StagedBatch, _ range: Range<Int>, counts: inout UploadCounts) throws {
        let first = nextID - Int64(range.lowerBound)
        nextID += Int64(range.count)
        try insert(batch, range, first: first)
        var stored: [Int] = []
        for index in range {
            if inserted[index - range.lowerBound] {
                counts.added += 1
                holdIdentifiers(batch, index, of: first + Int64(index))
            } else {
                stored.append(index)
            }
        }
        if !stored.isEmpty { try bringIn(batch, stored, counts: &counts) }
    }

    /// Inserts the records of `range` that are new; marks which went in.
    private func insert(_ batch: StagedBatch, _ range: Range<Int>, first: Int64) throws {
        let client = applier.request.clientID
        guard range.count == Self.recordsPerStatement else {
            for index in range {
                let statement = insertRecord.bind(client).bind(uploadID).bind(applier.now)
                try statement.bind(first + Int64(index)).bind(idOf: index, in: batch).run()
                inserted[index - range.lowerBound] = statement.changes == 1
            }
            return
        }
        insertRecords.bind(client).bind(uploadID).bind(applier.now)
        for index in range { insertRecords.bind(first + Int64(index)).bind(idOf: index, in: batch) }
        try insertRecords.run()
        let written = insertRecords.changes
        for offset in inserted.indices { inserted[offset] = written == range.count }
        if written > 0 && written < range.count {
            try insertedIDs.bind(first + Int64(range.lowerBound)).bind(first + Int64(range.upperBound - 1))
                .run { id in inserted[Int(id - first) - range.lowerBound] = true }
        }
    }

    /// Records of the block whose ids are stored already: a duplicate when this upload stored or touched it,
    /// else brought into this upload (reactivated, and for `replace` with exactly this row's identifiers).
    private func bringIn(_ batch: StagedBatch, _ indices: [Int], counts: inout UploadCounts) throws {
        findRecords.bind(applier.request.clientID)
        for index in indices { findRecords.bind(idOf: index, in: batch) }
        var found: [StoredRecordKey: (id: Int64, active: Bool, uploadID: Int64?)] = [:]
        try findRecords.run(eachResult: { row in
            found[row.storedRecordID(3)] = (row.int64(0), row.int64(1) != 0, row.isNull(2) ? nil : row.int64(2))
        })
        var touched: [Int64] = []
        var owners: [Int64] = []
        for index in indices {
            let key = batch.storedKey(of: index)
            guard var record = found[key] else {
                throw BakeryError.storeFailure("record '\(batch.recordID(of: index))' neither inserted nor found")
            }
            if record.uploadID == uploadID {
                counts.duplicates += 1
            } else {
                if record.active { counts.alreadyPresent += 1 } else { counts.added += 1 }
                touched.append(record.id)
                // A second row with this id in the block is a duplicate.
                record.uploadID = uploadID
                found[key] = record
            }
            owners.append(record.id)
        }
        if !touched.isEmpty {
            // No identifier of a record not yet in this upload is pending: clearing cannot drop this file's.
            if applier.request.mode == .replace {
                for id in touched { clearIdentifiers.bind(id) }
                try clearIdentifiers.run()
            }
            touchRecords.bind(uploadID).bind(applier.now)
            for id in touched { touchRecords.bind(id) }
            try touchRecords.run()
        }
        for (index, owner) in zip(indices, owners) { holdIdentifiers(batch, index, of: owner) }
    }

    /// Holds a record's identifiers back until the batch's records are written.
    private func holdIdentifiers(_ batch: StagedBatch, _ index: Int, of record: Int64) {
        for position in batch.identifiers(of: index) { pending.append((record, position)) }
    }

    /// Writes the identifiers `holdIdentifiers` holds back, in hash order, so that inserts into the hash index walk it
    /// forwards whatever the order of the client's record ids (the new records' ids are consecutive, so the
    /// primary key's inserts stay on its last pages): many to a statement, the rest one each.
    private func flushIdentifiers(_ batch: StagedBatch) throws {
        pending.sort { batch.identifierHashes[$0.position] < batch.identifierHashes[$1.position] }
        var start = 0
        while start < pending.count {
            let end = start + Self.recordsPerStatement
            guard end <= pending.count else {
                for (record, position) in pending[start...] {
                    try insertIdentifier.bind(record).bind(batch.identifierKinds[position].rawValue)
                        .bind(batch.identifierHashes[position]).run()
                }
                break
            }
            for (record, position) in pending[start..<end] {
                insertIdentifiers.bind(record).bind(batch.identifierKinds[position].rawValue)
                    .bind(batch.identifierHashes[position])
            }
            try insertIdentifiers.run()
            start = end
        }
        pending.removeAll(keepingCapacity: true)
    }
}
