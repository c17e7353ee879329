import BakeryCore
import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement bound through SQLite's C API, for the bulk write paths (records, graph edges, sync
/// pairs) where GRDB's per-call argument arrays cost more than SQLite's own work. Lives for one transaction.
///
/// Hashes and short texts are copied into a slot the statement owns for each parameter and bound without SQLite
/// making its own copy: no allocation per bound value. A slot is rewritten only when its parameter is bound
/// again, which SQLite allows for values it does not copy.
final class BulkStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private var index: Int32 = 0
    private let slots: UnsafeMutableRawPointer
    private let parameters: Int
    private static let slotSize = 32

    init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw BakeryError.storeFailure("the database is closed") }
        var handle: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &handle, nil) == SQLITE_OK, let handle else {
            throw BakeryError.storeFailure("cannot prepare statement: \(String(cString: sqlite3_errmsg(connection)))")
        }
        self.handle = handle
        self.connection = connection
        parameters = Int(sqlite3_bind_parameter_count(handle))
        slots = .allocate(byteCount: max(1, parameters) * Self.slotSize, alignment: 8)
    }

    /// `(?, ?, …)` with `count` placeholders; those left unbound are NULL and match nothing.
    static func placeholders(_ count: Int) -> String {
        "(" + Array(repeating: "?", count: count).joined(separator: ", ") + ")"
    }

    deinit {
        sqlite3_finalize(handle)
        slots.deallocate()
    }

    /// The slot of the parameter being bound (`index` already advanced); nil past the statement's parameters,
    /// where SQLite refuses the value anyway.
    private var slot: UnsafeMutableRawPointer? {
        Int(index) <= parameters ? slots + Int(index - 1) * Self.slotSize : nil
    }

    @discardableResult
    func bind(_ value: Int64) -> Self {
        index += 1
        sqlite3_bind_int64(handle, index, value)
        return self
    }

    @discardableResult
    func bind(_ value: Int) -> Self { bind(Int64(value)) }

    @discardableResult
    func bind(_ value: String?) -> Self {
        index += 1
        if var value {
            let slot = slot
            let copied = value.withUTF8 { utf8 -> Bool in
                guard let slot, utf8.count <= Self.slotSize, let base = utf8.baseAddress else { return false }
                slot.copyMemory(from: base, byteCount: utf8.count)
                sqlite3_bind_text(handle, index, slot.assumingMemoryBound(to: CChar.self), Int32(utf8.count), unowned)
                return true
            }
            if !copied { sqlite3_bind_text(handle, index, value, -1, transient) }
        } else {
            sqlite3_bind_null(handle, index)
        }
        return self
    }

    @discardableResult
    func bind(_ value: Int64?) -> Self {
        guard let value else {
            index += 1
            sqlite3_bind_null(handle, index)
            return self
        }
        return bind(value)
    }

    @discardableResult
    func bind(_ hash: IdentifierHash) -> Self {
        index += 1
        guard let slot else { return self }
        hash.store(to: slot)
        sqlite3_bind_blob(handle, index, slot, Int32(Self.slotSize), unowned)
        return self
    }

    /// A record id as `StoredRecordID` stores it.
    @discardableResult
    func bind(recordID: String) -> Self {
        guard let hash = StoredRecordID.bytes(recordID) else { return bind(recordID as String?) }
        return bind(hash)
    }

    /// Runs the statement with the bound values; returns the first column of the first row, if any.
    @discardableResult
    func run() throws -> Int64? {
        var first: Int64?
        try run(eachResult: { row in if first == nil { first = row.int64(0) } })
        return first
    }

    /// Runs the statement with the bound values and hands the first column of every row it returns to `row`.
    func run(eachRow row: (Int64) -> Void) throws {
        try run(eachResult: { row($0.int64(0)) })
    }

    /// Runs the statement with the bound values and hands every row it returns to `row`.
    func run(eachResult row: (ResultRow) throws -> Void) throws {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
            index = 0
        }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: try row(ResultRow(handle: handle))
            case SQLITE_DONE: return
            default:
                throw BakeryError.storeFailure("database write failed: \(String(cString: sqlite3_errmsg(connection)))")
            }
        }
    }

    /// The current row of a running statement; valid only inside the `run(eachResult:)` callback.
    struct ResultRow {
        fileprivate let handle: OpaquePointer

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        /// A 32-byte hash column; nil when the column holds anything else.
        func hash(_ column: Int32) -> IdentifierHash? {
            guard sqlite3_column_type(handle, column) == SQLITE_BLOB, sqlite3_column_bytes(handle, column) == 32,
                let bytes = sqlite3_column_blob(handle, column)
            else { return nil }
            return IdentifierHash(loading: bytes)
        }

        /// A record id column as `StoredRecordID` stores it.
        func storedRecordID(_ column: Int32) -> StoredRecordKey {
            if let hash = hash(column) { return .hash(hash) }
            guard let text = sqlite3_column_text(handle, column) else { return .text([]) }
            return .text(Array(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))))
        }
    }

    /// Rows changed by the last run.
    var changes: Int { Int(sqlite3_changes(connection)) }
}

/// SQLite copies the bound bytes: the Swift buffers they come from do not outlive the bind call.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
/// SQLite uses the bytes where they are (SQLITE_STATIC): the statement's own slots, which outlive the binding.
private let unowned: sqlite3_destructor_type? = nil
