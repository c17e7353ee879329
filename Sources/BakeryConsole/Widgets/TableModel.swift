/// A column of a ``Table``.
public struct TableColumn: Hashable, Sendable {
    public var title: String
    /// Numbers are right-aligned so digits line up.
    public var alignment: TextAlignment
    /// The narrowest the column may get before it is hidden.
    public var minWidth: Int
    /// The widest it is worth making it; nil lets it take any spare width.
    public var maxWidth: Int?
    /// When the table is too narrow, lower priorities are hidden first.
    public var priority: Int
    /// The width (or the content's, when narrower) this column keeps before lower-priority columns are hidden:
    /// a client's name stays readable rather than every column shrinking to a stub. nil: only `minWidth` counts.
    public var readableWidth: Int?

    public init(
        _ title: String, alignment: TextAlignment = .left, minWidth: Int = 4, maxWidth: Int? = nil, priority: Int = 1,
        readableWidth: Int? = nil
    ) {
        self.title = title
        self.alignment = alignment
        self.minWidth = minWidth
        self.maxWidth = maxWidth
        self.priority = priority
        self.readableWidth = readableWidth
    }

    /// A right-aligned column for figures.
    public static func numeric(_ title: String, minWidth: Int = 6, priority: Int = 1) -> TableColumn {
        TableColumn(title, alignment: .right, minWidth: minWidth, maxWidth: 16, priority: priority)
    }
}

/// One displayed cell, already formatted by the data source, with an optional tone the theme colours.
public struct TableCell: Hashable, Sendable, ExpressibleByStringLiteral {
    /// How the theme colours the cell: good news, bad news, or secondary.
    public enum Tone: Hashable, Sendable { case normal, positive, negative, muted }

    public var text: String
    public var tone: Tone

    public init(_ text: String, tone: Tone = .normal) {
        self.text = text
        self.tone = tone
    }

    public init(stringLiteral value: String) { self.init(value) }
}

/// One row: a stable key (for keyset paging and for opening the row) and its cells.
public struct TableRow: Hashable, Sendable {
    public var key: String
    public var cells: [TableCell]

    public init(key: String, cells: [TableCell]) {
        self.key = key
        self.cells = cells
    }
}

/// Sort order: a column index and a direction.
public struct TableSort: Hashable, Sendable {
    public var column: Int
    public var ascending: Bool

    public init(column: Int, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}

/// A request for one window of rows. Sources that page by key (large tables) use `after`, the key of the row just
/// before `offset`, when the table knows it; small sources can use `offset` and `limit` directly.
public struct TableQuery: Hashable, Sendable {
    public var offset: Int
    public var limit: Int
    public var sort: TableSort?
    public var filter: String
    public var after: String?

    public init(offset: Int, limit: Int, sort: TableSort? = nil, filter: String = "", after: String? = nil) {
        self.offset = offset
        self.limit = limit
        self.sort = sort
        self.filter = filter
        self.after = after
    }
}

/// A window of rows, and the total number of rows matching the filter when the source can count them cheaply.
public struct TablePage: Hashable, Sendable {
    public var rows: [TableRow]
    public var total: Int?

    public init(rows: [TableRow], total: Int?) {
        self.rows = rows
        self.total = total
    }
}

/// Where a ``Table`` gets its rows. The table asks for one window at a time and never for all rows, so a source can
/// sit on a table with millions of sync pairs.
public protocol TableDataSource: Sendable {
    func rows(for query: TableQuery) async throws -> TablePage
}
