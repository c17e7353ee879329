/// A ``TableDataSource`` over rows a view already holds (one row per client is a few hundred at most). It sorts
/// and filters on each request so the table code path is the same as for a store-backed source.
public struct ArrayTableSource: TableDataSource {
    /// A row with the values it sorts by, one per column (numbers sort as numbers, not as text).
    public struct Entry: Sendable {
        public var row: TableRow
        public var sortKeys: [SortKey]

        public init(row: TableRow, sortKeys: [SortKey]) {
            self.row = row
            self.sortKeys = sortKeys
        }
    }

    /// A comparable cell value.
    public enum SortKey: Sendable, Comparable {
        /// Missing values sort first ascending, so "never exported" groups together.
        case none
        case number(Double)
        case text(String)
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public func rows(for query: TableQuery) async throws -> TablePage {
        let needle = query.filter.lowercased()
        var matching =
            needle.isEmpty
            ? entries : entries.filter { entry in entry.row.cells.contains { $0.text.lowercased().contains(needle) } }
        if let sort = query.sort {
            matching.sort { lhs, rhs in
                let left = sort.column < lhs.sortKeys.count ? lhs.sortKeys[sort.column] : .none
                let right = sort.column < rhs.sortKeys.count ? rhs.sortKeys[sort.column] : .none
                if left == right { return lhs.row.key < rhs.row.key }
                return sort.ascending ? left < right : right < left
            }
        }
        let start = min(query.offset, matching.count)
        let end = min(matching.count, start + query.limit)
        return TablePage(rows: matching[start..<end].map(\.row), total: matching.count)
    }
}
