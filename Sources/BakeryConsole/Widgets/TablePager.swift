import BakeryCore

/// The state behind a ``Table``: selection, scroll position, sort, filter, and the one window of rows currently
/// fetched from a ``TableDataSource``.
///
/// Moving the selection outside the window starts a fetch in the background and the table shows placeholders
/// until it lands; a fetch that was overtaken (the user kept scrolling, or changed the sort) is dropped.
@MainActor
public final class TablePager {
    public let columns: [TableColumn]
    private var source: any TableDataSource
    public private(set) var sort: TableSort?
    public private(set) var filter = ""
    public private(set) var selectedIndex = 0
    public private(set) var scrollTop = 0
    /// Matching rows; nil until the source says (or never, for sources that cannot count cheaply).
    public private(set) var total: Int?
    public private(set) var windowOffset = 0
    public private(set) var windowRows: [TableRow] = []
    public private(set) var error: String?
    /// Columns after the first scrolled off to the left (h/l).
    public private(set) var columnOffset = 0
    private var hasWindow = false
    /// The source was replaced: the held rows stay on screen until the new ones arrive, then give way.
    private var isStale = false
    /// After a source replacement, the row to keep selected wherever the new rows put it.
    private var reselectKey: String?
    /// The window came back shorter than asked for, so it ends at the last row. Kept rather than recomputed because
    /// the viewport (and so the request size) can change with a resize.
    private var windowReachesEnd = false
    private var viewportRows = 20
    private var viewportWidth = 80
    private var fetch: Task<Void, Never>?
    private var pendingOffset = 0
    private var generation = 0
    /// Called when a window lands, so the app draws it at once rather than at its next tick.
    private let changed: @MainActor () -> Void

    public init(
        columns: [TableColumn], source: any TableDataSource, sort: TableSort? = nil,
        changed: @escaping @MainActor () -> Void = {}
    ) {
        self.columns = columns
        self.source = source
        self.sort = sort
        self.changed = changed
    }

    /// True while a window is being fetched.
    public var isFetching: Bool { fetch != nil }

    /// The selected row, when it is in the fetched window.
    public var selectedRow: TableRow? { row(at: selectedIndex) }

    /// A known-empty result (after the first fetch).
    public var isEmpty: Bool { hasWindow && windowRows.isEmpty && (total ?? 0) == 0 }

    /// The table to draw into `rect`; also fetches the rows it will need next.
    public func table(for rect: Rect) -> Table {
        viewportRows = max(1, Table.visibleRows(forHeight: rect.height))
        viewportWidth = rect.width
        keepSelectionVisible()
        ensureWindow()
        let visible = (0..<viewportRows).map { row(at: scrollTop + $0) }
        let lastKnown = total ?? (hasWindow && windowReachesEnd ? windowOffset + windowRows.count : nil)
        let count = lastKnown.map { max(0, min(viewportRows, $0 - scrollTop)) } ?? viewportRows
        return Table(
            columns: columns, rows: Array(visible.prefix(count)), firstIndex: scrollTop,
            selectedIndex: lastKnown == 0 ? nil : selectedIndex, sort: sort, total: lastKnown,
            columnOffset: columnOffset)
    }

    /// Scrolls the columns after the first sideways; stops when every remaining column fits or the first is back.
    public func scrollColumns(by delta: Int) {
        if delta > 0 {
            let current = table(for: Rect(x: 0, y: 0, width: viewportWidth, height: viewportRows + 1))
            // Every glyph set's sort markers are one column wide, so either set measures the same.
            guard current.hidesColumns(width: viewportWidth, glyphs: .ascii) else { return }
        }
        columnOffset = min(max(0, columnOffset + delta), max(0, columns.count - 2))
    }

    /// "12 of 340" for the footer or a title.
    public var positionText: String {
        guard hasWindow else { return "" }
        if let total {
            return total == 0 ? "no rows" : "\(Figures.grouped(selectedIndex + 1)) of \(Figures.grouped(total))"
        }
        return "\(Figures.grouped(selectedIndex + 1))"
    }

    // MARK: Navigation

    public func move(by delta: Int) {
        var target = max(0, selectedIndex + delta)
        if let last = lastIndex { target = min(target, last) }
        select(target)
    }

    public func moveToTop() { select(0) }

    /// Jumps to the last row; a source that cannot count moves one page at a time instead.
    public func moveToBottom() {
        if let last = lastIndex { select(last) } else { move(by: viewportRows) }
    }

    /// Moves the selection and starts fetching its window at once, so the rows are usually there by the next frame.
    private func select(_ index: Int) {
        selectedIndex = index
        // The operator moved while replaced rows were on their way: their choice wins over the remembered row.
        reselectKey = nil
        keepSelectionVisible()
        ensureWindow()
    }

    public func page(by pages: Int) { move(by: pages * viewportRows) }

    // MARK: Sort and filter

    /// Sorts by the next column (`s`), or reverses when it is already sorted by `column`.
    public func sort(by column: Int) {
        if let sort, sort.column == column {
            self.sort = TableSort(column: column, ascending: !sort.ascending)
        } else {
            sort = TableSort(column: column, ascending: true)
        }
        reset()
    }

    /// Cycles the sort column left to right.
    public func sortNextColumn() {
        let next = sort.map { ($0.column + 1) % columns.count } ?? 0
        sort = TableSort(column: next, ascending: true)
        reset()
    }

    public func reverseSort() {
        sort = TableSort(column: sort?.column ?? 0, ascending: !(sort?.ascending ?? true))
        reset()
    }

    public func setFilter(_ text: String) {
        guard text != filter else { return }
        filter = text
        reset()
    }

    /// Drops the fetched rows and fetches again (after `r` or a change in the store).
    public func reload() { reset() }

    /// Swaps in fresher data (a view that shows cheap figures first and exact ones later), keeping the sort,
    /// filter, scroll position and the selected row, and showing the old rows until the new ones land.
    public func replaceSource(_ source: any TableDataSource) {
        self.source = source
        reselectKey = selectedRow?.key
        isStale = true
        fetch?.cancel()
        fetch = nil
        ensureWindow()
    }

    /// Fetches the first window now, so a view that finishes loading has rows to show on its first frame.
    public func prefetch() async {
        ensureWindow()
        await settle()
    }

    /// Waits for the fetch in flight, if any; for tests and for callers that must see the new rows.
    public func settle() async {
        while let pending = fetch { await pending.value }
    }

    // MARK: Window

    private var fetchLimit: Int { viewportRows * 3 }

    private var lastIndex: Int? {
        if let total { return max(0, total - 1) }
        if hasWindow, windowReachesEnd { return max(0, windowOffset + windowRows.count - 1) }
        return nil
    }

    private func row(at index: Int) -> TableRow? {
        let local = index - windowOffset
        return hasWindow && local >= 0 && local < windowRows.count ? windowRows[local] : nil
    }

    private func keepSelectionVisible() {
        if selectedIndex < scrollTop { scrollTop = selectedIndex }
        if selectedIndex >= scrollTop + viewportRows { scrollTop = selectedIndex - viewportRows + 1 }
    }

    private func reset() {
        fetch?.cancel()
        fetch = nil
        generation += 1
        hasWindow = false
        isStale = false
        reselectKey = nil
        error = nil
        windowRows = []
        total = nil
        selectedIndex = 0
        scrollTop = 0
        ensureWindow()
    }

    /// Fetches a window one viewport either side of the visible rows when the visible rows are not all held.
    private func ensureWindow() {
        let visibleEnd = scrollTop + viewportRows
        let covered =
            hasWindow && !isStale && scrollTop >= windowOffset
            && (visibleEnd <= windowOffset + windowRows.count || windowReachesEnd)
        // After a failure, wait for an explicit reload rather than hammering a broken store on every frame.
        guard !covered, error == nil, fetch == nil || !pendingCovers(scrollTop) else { return }
        fetch?.cancel()
        generation += 1
        let myGeneration = generation
        let offset = max(0, scrollTop - viewportRows)
        let after = offset > 0 && !isStale ? row(at: offset - 1)?.key : nil
        let limit = fetchLimit
        let query = TableQuery(offset: offset, limit: limit, sort: sort, filter: filter, after: after)
        pendingOffset = offset
        let source = source
        fetch = Task { [weak self] in
            let result: Result<TablePage, any Error>
            do { result = .success(try await source.rows(for: query)) } catch { result = .failure(error) }
            guard let self, self.generation == myGeneration else { return }
            self.fetch = nil
            switch result {
            case .success(let page):
                self.windowOffset = offset
                self.windowRows = page.rows
                self.windowReachesEnd = page.rows.count < limit
                self.total = page.total
                self.hasWindow = true
                self.isStale = false
                self.error = nil
                if let key = self.reselectKey, let index = page.rows.firstIndex(where: { $0.key == key }) {
                    self.selectedIndex = offset + index
                }
                self.reselectKey = nil
                if let last = self.lastIndex, self.selectedIndex > last { self.selectedIndex = last }
            case .failure(let error):
                self.error = "\(error)"
            }
            self.changed()
        }
    }

    private func pendingCovers(_ index: Int) -> Bool {
        index >= pendingOffset && index + viewportRows <= pendingOffset + fetchLimit
    }
}
