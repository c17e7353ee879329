import BakeryCore

/// Where a ``KeysetPager`` reads: one keyset page at a time (see ``PageCursor``), and, when the table can be
/// counted, how many rows there are (counted once, in the background).
public struct KeysetSource<Item: Sendable>: Sendable {
    public var page: @Sendable (PageRequest) async throws -> Page<Item>
    public var count: (@Sendable () async throws -> Int)?

    public init(
        page: @escaping @Sendable (PageRequest) async throws -> Page<Item>,
        count: (@Sendable () async throws -> Int)? = nil
    ) {
        self.page = page
        self.count = count
    }
}

/// A table over a store table of any size, paged by keyset: it holds a window of a few screens of rows around the
/// selection, reads the next page before the selection reaches the window's edge, drops rows far behind it, jumps
/// to either end with one read, and never asks for an offset. Memory stays the same whether the table has a hundred
/// rows or ten million.
///
/// ```swift
/// let pager = KeysetPager(columns: columns, source: KeysetSource(page: { try await store.auditEntries(q, page: $0) }),
///                         row: { entry in TableRow(key: "\(entry.id!)", cells: [TableCell(entry.actor)]) })
/// await pager.prefetch()
/// ```
@MainActor
public final class KeysetPager<Item: Sendable> {
    public let columns: [TableColumn]
    private var source: KeysetSource<Item>
    private let row: (Item) -> TableRow
    /// The column the source is ordered by, for the header's sort marker.
    public private(set) var sort: TableSort?
    /// A row of the window: the item, its cursor, and its cells (made once, not at every frame).
    private struct Held {
        var item: Item
        var cursor: PageCursor
        var row: TableRow
    }

    /// The window of rows held, in list order.
    private var held: [Held] = []
    /// The items of the window.
    public var items: [Item] { held.map(\.item) }
    /// The position of `items[0]` in the whole table, when known (not after a jump to the end before the count).
    public private(set) var firstIndex: Int? = 0
    public private(set) var reachesStart = true
    public private(set) var reachesEnd = false
    /// Index of the selected row in `items`.
    public private(set) var selected = 0
    private var scrollTop = 0
    /// Rows in the whole table, once counted.
    public private(set) var total: Int?
    public private(set) var error: String?
    public private(set) var hasLoaded = false
    public var columnOffset = 0
    private var fetch: Task<Void, Never>?
    private var counting: Task<Void, Never>?
    private var generation = 0
    /// Changes only with the query: a jump to an end must not throw away the count of the same rows.
    private var countGeneration = 0
    private var viewportRows = 20
    /// Set when the selection moved since the view last asked (``takeSelectionChange()``).
    private var selectionChanged = false
    /// Called when rows or the count land, so the app draws them at once rather than at its next tick.
    private let changed: @MainActor () -> Void

    public init(
        columns: [TableColumn], source: KeysetSource<Item>, sort: TableSort? = nil, row: @escaping (Item) -> TableRow,
        changed: @escaping @MainActor () -> Void = {}
    ) {
        self.columns = columns
        self.source = source
        self.sort = sort
        self.row = row
        self.changed = changed
    }

    /// Rows read per page: two screens, so a page down never waits.
    private var pageSize: Int { max(10, viewportRows * 2) }
    /// The most rows held: six screens.
    private var windowLimit: Int { max(60, viewportRows * 6) }

    public var isFetching: Bool { fetch != nil || counting != nil }
    /// The rows on screen are not all there yet: a new window is being read (a search, a jump to an end) or the
    /// last drawn frame had placeholders. A read of the page beyond the screen does not count.
    public var isFetchingRows: Bool { replacing || !visibleRowsLoaded }
    /// A read that replaces the window is in flight.
    private var replacing = false
    /// The last ``table(for:)`` had every visible row.
    private var visibleRowsLoaded = false
    public var selectedItem: Item? { held.indices.contains(selected) ? held[selected].item : nil }
    public var selectedRow: TableRow? { held.indices.contains(selected) ? held[selected].row : nil }
    public var isEmpty: Bool { hasLoaded && held.isEmpty }

    /// True once after each change of the selected row: the view starts its detail load then.
    public func takeSelectionChange() -> Bool {
        defer { selectionChanged = false }
        return selectionChanged
    }

    // MARK: Loading

    /// Reads the first page again (and then the count) and waits for the rows, not the count: a view's first
    /// frame has rows, and `12 of …` becomes `12 of 5,000,000` when the count lands.
    public func prefetch() async {
        total = nil
        load(.first, thenCount: true)
        while let pending = fetch { await pending.value }
    }

    /// A new query (sort, search): starts over from the first page.
    public func replaceSource(_ source: KeysetSource<Item>, sort: TableSort?) {
        self.source = source
        self.sort = sort
        total = nil
        load(.first, thenCount: true)
    }

    /// Reads again from the top (`r`, or after a change in the store).
    public func reload() {
        total = nil
        load(.first, thenCount: true)
    }

    /// Stops every read in flight (the view is closed); nothing it started writes its result afterwards.
    public func stop() {
        generation += 1
        countGeneration += 1
        fetch?.cancel()
        counting?.cancel()
        fetch = nil
        counting = nil
        replacing = false
    }

    /// Waits for the reads in flight; for tests and for callers that must see the new rows.
    public func settle() async {
        while fetch != nil || counting != nil {
            if let pending = fetch { await pending.value }
            if let pending = counting { await pending.value }
        }
    }

    /// Counts the rows in the background. Started once the first page has landed, so the count never competes
    /// with the read the operator is waiting for; a new query cancels a count in flight (SQLite is interrupted).
    private func startCount() {
        counting?.cancel()
        counting = nil
        countGeneration += 1
        guard let count = source.count else { return }
        let mine = countGeneration
        counting = Task { [weak self] in
            let result = try? await count()
            guard let self, self.countGeneration == mine else { return }
            self.counting = nil
            if let result {
                self.total = result
                if self.firstIndex == nil, self.reachesEnd { self.firstIndex = result - self.held.count }
            }
            self.changed()
        }
    }

    /// Replaces the window with the page at an end; `thenCount` starts the count once it has landed.
    private func load(_ start: PageStart, thenCount: Bool = false) {
        generation += 1
        let mine = generation
        fetch?.cancel()
        if thenCount {
            counting?.cancel()
            counting = nil
            countGeneration += 1
        }
        error = nil
        let request = PageRequest(start, limit: pageSize)
        let source = source
        replacing = true
        fetch = Task { [weak self] in
            let result: Result<Page<Item>, any Error>
            do { result = .success(try await source.page(request)) } catch { result = .failure(error) }
            guard let self, self.generation == mine else { return }
            self.fetch = nil
            self.replacing = false
            switch result {
            case .success(let page):
                self.hasLoaded = true
                self.held = self.rows(of: page)
                if start == .last {
                    self.reachesEnd = true
                    self.reachesStart = !page.hasMore
                    self.firstIndex = self.reachesStart ? 0 : self.total.map { $0 - page.items.count }
                    self.selected = max(0, self.held.count - 1)
                    self.scrollTop = max(0, self.held.count - self.viewportRows)
                } else {
                    self.reachesStart = true
                    self.reachesEnd = !page.hasMore
                    self.firstIndex = 0
                    self.selected = 0
                    self.scrollTop = 0
                }
                self.selectionChanged = true
                if thenCount { self.startCount() }
            case .failure(let error):
                self.error = (error as? BakeryError)?.localizedDescription ?? "\(error)"
            }
            self.changed()
        }
    }

    private func rows(of page: Page<Item>) -> [Held] {
        zip(page.items, page.cursors).map { Held(item: $0, cursor: $1, row: row($0)) }
    }

    /// Reads the page beyond the window's end (`forward`) or start, when the selection is within a screen of it.
    private func extendIfNeeded() {
        guard fetch == nil, hasLoaded, error == nil else { return }
        if !reachesEnd, held.count - selected <= viewportRows + 1, let last = held.last?.cursor {
            extend(.after(last), forward: true)
        } else if !reachesStart, selected < viewportRows, let first = held.first?.cursor {
            extend(.before(first), forward: false)
        }
    }

    private func extend(_ start: PageStart, forward: Bool) {
        let mine = generation
        let request = PageRequest(start, limit: pageSize)
        let source = source
        fetch = Task { [weak self] in
            let result: Result<Page<Item>, any Error>
            do { result = .success(try await source.page(request)) } catch { result = .failure(error) }
            guard let self, self.generation == mine else { return }
            self.fetch = nil
            switch result {
            case .success(let page): forward ? self.append(page) : self.prepend(page)
            case .failure(let error): self.error = (error as? BakeryError)?.localizedDescription ?? "\(error)"
            }
            // The selection may have run on while this page was read.
            self.extendIfNeeded()
            self.changed()
        }
    }

    private func append(_ page: Page<Item>) {
        held += rows(of: page)
        reachesEnd = !page.hasMore
        let excess = held.count - windowLimit
        guard excess > 0, selected - excess >= viewportRows else { return }
        held.removeFirst(excess)
        selected -= excess
        scrollTop = max(0, scrollTop - excess)
        firstIndex = firstIndex.map { $0 + excess }
        reachesStart = false
    }

    private func prepend(_ page: Page<Item>) {
        let added = page.items.count
        held = rows(of: page) + held
        selected += added
        scrollTop += added
        reachesStart = !page.hasMore
        firstIndex = reachesStart ? 0 : firstIndex.map { $0 - added }
        let excess = held.count - windowLimit
        guard excess > 0, held.count - excess > selected + viewportRows else { return }
        held.removeLast(excess)
        reachesEnd = false
    }

    // MARK: Navigation

    public func move(by delta: Int) {
        guard !held.isEmpty else { return }
        let target = min(max(0, selected + delta), held.count - 1)
        if target != selected {
            selected = target
            selectionChanged = true
        }
        keepSelectionVisible()
        extendIfNeeded()
    }

    public func page(by pages: Int) { move(by: pages * viewportRows) }

    public func moveToTop() {
        if reachesStart { move(by: -selected) } else { load(.first) }
    }

    public func moveToBottom() {
        if reachesEnd { move(by: held.count - 1 - selected) } else { load(.last) }
    }

    /// Acts on the movement actions — rows, pages, ends, columns sideways — and says whether `action` was one.
    @discardableResult
    public func navigate(_ action: KeyAction) -> Bool {
        switch action {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .pageUp: page(by: -1)
        case .pageDown: page(by: 1)
        case .top: moveToTop()
        case .bottom: moveToBottom()
        case .left: columnOffset = max(0, columnOffset - 1)
        case .right: columnOffset = min(max(0, columns.count - 2), columnOffset + 1)
        default: return false
        }
        return true
    }

    /// A click at `point` on the table last drawn into `rect` selects the row under it; false off its rows.
    @discardableResult
    public func click(at point: Point, table rect: Rect) -> Bool {
        guard rect.contains(x: point.x, y: point.y), point.y > rect.y else { return false }
        select(visibleLine: point.y - rect.y - 1)
        return true
    }

    /// Selects the row drawn on `line` of the visible rows (a click).
    public func select(visibleLine line: Int) {
        let index = scrollTop + line
        guard held.indices.contains(index) else { return }
        move(by: index - selected)
    }

    private func keepSelectionVisible() {
        if selected < scrollTop { scrollTop = selected }
        if selected >= scrollTop + viewportRows { scrollTop = selected - viewportRows + 1 }
    }

    // MARK: Drawing

    /// The table to draw into `rect`; remembers the height, so paging moves by what is on screen.
    public func table(for rect: Rect) -> Table {
        viewportRows = max(1, Table.visibleRows(forHeight: rect.height))
        keepSelectionVisible()
        let visible = (0..<viewportRows).map { line -> TableRow? in
            held.indices.contains(scrollTop + line) ? held[scrollTop + line].row : nil
        }
        let shown = reachesEnd ? Array(visible.prefix(max(0, held.count - scrollTop))) : visible
        visibleRowsLoaded = hasLoaded && !shown.contains { $0 == nil }
        return Table(
            columns: columns, rows: shown, firstIndex: scrollTop, selectedIndex: held.isEmpty ? nil : selected,
            sort: sort, total: reachesEnd ? held.count : nil, columnOffset: columnOffset)
    }

    /// Draws the table into `rect` and, under its header, why it has no rows: the read failed (`failure: error`) or
    /// nothing matched (`empty`).
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext, empty: String, failure: String) {
        table(for: rect).render(into: &grid, in: rect, context: context)
        if let error {
            grid.tableNote("\(failure): \(error)", in: rect, context: context, role: .error)
        } else if isEmpty {
            grid.tableNote(empty, in: rect, context: context)
        }
    }

    /// `1,204 of 5,000,000`, `1,204 of …` while counting, `last rows` after a jump to the end before the count.
    public var positionText: String {
        guard hasLoaded else { return "" }
        if held.isEmpty { return "no rows" }
        let totalText = total.map(Figures.grouped) ?? (reachesStart && reachesEnd ? Figures.grouped(held.count) : "…")
        guard let firstIndex else { return "last rows of \(totalText)" }
        return "\(Figures.grouped(firstIndex + selected + 1)) of \(totalText)"
    }
}
