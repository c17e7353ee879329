import BakeryCore
import GRDB

/// The SQL of one keyset page (see ``PageCursor``): rows ordered by a key column and the row id, read forwards or
/// backwards from a cursor, one row more than asked so the page knows whether more follow. Conditions are written
/// `key >= k AND (key > k OR id > i)`: the first term is an index range SQLite always uses, the second only sorts out
/// the rows that share the cursor's key.
struct Keyset {
    /// The sort column (nil: the id alone, as for the audit log).
    let key: String?
    let id: String
    /// The list runs from the highest key down (newest first).
    let descending: Bool

    /// The WHERE term (nil at an end), its arguments, the ORDER BY, the LIMIT to ask for, and whether the rows come
    /// back against list order (then ``page(_:request:cursor:)`` reverses them).
    func clause(_ request: PageRequest) -> (condition: String?, arguments: StatementArguments, order: String, limit: Int) {
        let backward = request.start.isBackward
        // Reading backwards walks the index the other way.
        let falling = descending != backward
        let direction = falling ? "DESC" : "ASC"
        let order = ([key].compactMap { $0 } + [id]).map { "\($0) \(direction)" }.joined(separator: ", ")
        let limit = request.clampedLimit + 1
        let cursor: PageCursor? =
            switch request.start {
            case .first, .last: nil
            case .after(let cursor), .before(let cursor): cursor
            }
        guard let cursor else { return (nil, [], order, limit) }
        let past = falling ? "<" : ">"
        guard let key, let value = Keyset.value(cursor.key) else {
            return ("\(id) \(past) ?", [cursor.id], order, limit)
        }
        let condition = "\(key) \(past)= ? AND (\(key) \(past) ? OR \(id) \(past) ?)"
        return (condition, [value, value, cursor.id], order, limit)
    }

    /// Reads one page of `from` (a table, with any index hint) where `conditions` hold: the one query every paged
    /// read runs.
    func read<Item>(
        _ db: Database, from: String, where conditions: Conditions, request: PageRequest, item: (Row) throws -> Item,
        cursor: (Row) -> PageCursor
    ) throws -> Page<Item> {
        var conditions = conditions
        let clause = clause(request)
        conditions.add(clause.condition, clause.arguments)
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM \(from) \(conditions.sql) ORDER BY \(clause.order) LIMIT \(clause.limit)",
            arguments: conditions.arguments)
        return try page(rows, request: request, item: item, cursor: cursor)
    }

    /// The cursor of a row ordered by the integer column `key`.
    func integerCursor(_ row: Row) -> PageCursor {
        PageCursor(key: key.map { .integer(row[$0]) } ?? .none, id: row[id])
    }

    /// Turns fetched rows (one more than the limit when more follow) into a page in list order.
    func page<Item>(_ rows: [Row], request: PageRequest, item: (Row) throws -> Item, cursor: (Row) -> PageCursor)
        rethrows -> Page<Item>
    {
        let limit = request.clampedLimit
        var kept = Array(rows.prefix(limit))
        if request.start.isBackward { kept.reverse() }
        return Page(items: try kept.map(item), cursors: kept.map(cursor), hasMore: rows.count > limit)
    }

    private static func value(_ key: PageCursor.Key) -> DatabaseValue? {
        switch key {
        case .none: nil
        case .integer(let number): number.databaseValue
        case .text(let text): text.databaseValue
        }
    }
}

/// Composes `WHERE` terms and their arguments.
struct Conditions {
    private(set) var terms: [String] = []
    private(set) var arguments = StatementArguments()

    mutating func add(_ term: String, _ values: [any DatabaseValueConvertible] = []) {
        terms.append(term)
        arguments += StatementArguments(values)
    }

    mutating func add(_ term: String?, _ values: StatementArguments) {
        guard let term else { return }
        terms.append(term)
        arguments += values
    }

    var sql: String { terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND ") }
}

/// The smallest string greater than every string that starts with `prefix`, in UTF-8 byte order (how SQLite's
/// BINARY collation compares): the prefix with its last character's code point increased by one. Nil when no such
/// string exists (a last character of U+10FFFF).
func prefixUpperBound(_ prefix: String) -> String? {
    var scalars = Array(prefix.unicodeScalars)
    guard let last = scalars.popLast() else { return nil }
    var next = last.value + 1
    if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
    guard let scalar = Unicode.Scalar(next) else { return nil }
    scalars.append(scalar)
    var text = ""
    text.unicodeScalars.append(contentsOf: scalars)
    return text
}
