/// Keyset pagination, the one way the front ends page through a store's tables however large they are: a page
/// starts at an end or just after (or before) a row the store handed out, never at an offset. Each row comes with
/// its ``PageCursor``, an opaque position made of the row's sort key and its id; SQLite and PostgreSQL both serve
/// `WHERE (key, id) > (?, ?) ORDER BY key, id LIMIT n` from an index in time independent of the position.
///
/// ```swift
/// var page = try await store.auditEntries(AuditQuery(), page: PageRequest(.first, limit: 50))
/// while page.hasMore, let last = page.cursors.last {
///     page = try await store.auditEntries(AuditQuery(), page: PageRequest(.after(last), limit: 50))
/// }
/// ```
public struct PageCursor: Hashable, Sendable {
    /// The row's value in the sort column.
    public enum Key: Hashable, Sendable {
        case none
        case integer(Int64)
        case text(String)
    }

    public var key: Key
    /// The row's id: breaks ties between rows with the same key.
    public var id: Int64

    public init(key: Key, id: Int64) {
        self.key = key
        self.id = id
    }
}

/// Where a page starts.
public enum PageStart: Hashable, Sendable {
    /// The first rows of the order.
    case first
    /// The last rows of the order (still handed back in list order).
    case last
    /// The rows right after this cursor.
    case after(PageCursor)
    /// The rows right before this cursor (handed back in list order).
    case before(PageCursor)

    /// True for pages read towards the start of the list.
    public var isBackward: Bool {
        switch self {
        case .last, .before: true
        case .first, .after: false
        }
    }
}

/// One page to read: where it starts and how many rows at most.
public struct PageRequest: Hashable, Sendable {
    public var start: PageStart
    public var limit: Int

    public init(_ start: PageStart = .first, limit: Int) {
        self.start = start
        self.limit = limit
    }

    /// The largest page a store hands out, whatever is asked.
    public static let maximumLimit = 1_000

    /// `limit` clamped to 0...``maximumLimit``.
    public var clampedLimit: Int { min(max(0, limit), PageRequest.maximumLimit) }
}

/// Rows of one page, in list order whichever way it was read, each with its cursor.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    /// `cursors[i]` is the position of `items[i]`.
    public var cursors: [PageCursor]
    /// More rows lie beyond this page in the direction it was read: after the last row for `.first` and `.after`,
    /// before the first row for `.last` and `.before`.
    public var hasMore: Bool

    public init(items: [Item], cursors: [PageCursor], hasMore: Bool) {
        precondition(items.count == cursors.count, "a page needs one cursor per row")
        self.items = items
        self.cursors = cursors
        self.hasMore = hasMore
    }

    public static var empty: Page { Page(items: [], cursors: [], hasMore: false) }
}

extension Page: Equatable where Item: Equatable {}
