/// A table widget: a header with the sort indicator, the visible rows and the selection.
///
/// It renders what ``TablePager`` currently holds; rows not fetched yet show as a muted placeholder, so scrolling
/// never waits for the store. The first column identifies the row and stays put when columns scroll sideways;
/// `‹`/`›` in the header say more columns are off to that side.
public struct Table: Sendable {
    public var columns: [TableColumn]
    /// Rows from `firstIndex` on; nil where the row is not loaded yet.
    public var rows: [TableRow?]
    public var firstIndex: Int
    public var selectedIndex: Int?
    public var sort: TableSort?
    /// Matching rows, when known.
    public var total: Int?
    /// Columns after the first that are scrolled off to the left.
    public var columnOffset: Int

    public init(
        columns: [TableColumn], rows: [TableRow?], firstIndex: Int = 0, selectedIndex: Int? = nil,
        sort: TableSort? = nil, total: Int? = nil, columnOffset: Int = 0
    ) {
        self.columns = columns
        self.rows = rows
        self.firstIndex = firstIndex
        self.selectedIndex = selectedIndex
        self.sort = sort
        self.total = total
        self.columnOffset = columnOffset
    }

    /// Rows a table of `height` shows: the header takes one line.
    public static func visibleRows(forHeight height: Int) -> Int { max(0, height - 1) }

    /// Column widths for a table `width` cells wide (less a cell each side for the selection and scroll markers);
    /// 0 for hidden columns.
    public func widths(forWidth width: Int, glyphs: Glyphs) -> [Int] {
        let shown = [0] + Array(min(columns.count, 1 + columnOffset)..<columns.count).filter { $0 > 0 }
        let content = shown.map { index in
            rows.compactMap { $0 }.reduce(DisplayWidth.of(title(of: index, glyphs: glyphs))) { widest, row in
                max(widest, index < row.cells.count ? DisplayWidth.of(row.cells[index].text) : 0)
            }
        }
        let fitted = ColumnLayout.widths(
            for: shown.map { columns[$0] }, contentWidths: content, available: width - 2, byPriority: columnOffset == 0)
        var widths = Array(repeating: 0, count: columns.count)
        for (position, index) in shown.enumerated() { widths[index] = fitted[position] }
        return widths
    }

    /// Whether some column that is not scrolled off to the left does not fit at this width (it may have been hidden
    /// for its low priority, not only for being last), so scrolling right would bring more into view.
    public func hidesColumns(width: Int, glyphs: Glyphs) -> Bool {
        let widths = widths(forWidth: width, glyphs: glyphs)
        return widths.indices.contains { $0 > columnOffset && widths[$0] == 0 }
    }
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let glyphs = context.glyphs
        let widths = widths(forWidth: rect.width, glyphs: glyphs)
        // A cell at the left for the selection marker (so selection shows in monochrome too) and one at the right
        // for the more-columns marker.
        let body = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: rect.height)
        let headerStyle = context.style(.tableHeader)
        grid.fill(rect.row(0), style: headerStyle)
        let titles = columns.indices.map { TableCell(title(of: $0, glyphs: glyphs)) }
        drawCells(titles, widths: widths, y: rect.y, in: body, grid: &grid, base: headerStyle, context: context)
        if columnOffset > 0 { grid.write(glyphs.scrollLeft, x: rect.x, y: rect.y, style: headerStyle) }
        if widths.indices.contains(where: { $0 > columnOffset && widths[$0] == 0 }) {
            grid.write(glyphs.scrollRight, x: rect.maxX - 1, y: rect.y, style: headerStyle)
        }
        for line in 0..<min(rows.count, Table.visibleRows(forHeight: rect.height)) {
            let y = rect.y + 1 + line
            let index = firstIndex + line
            if let total, index >= total { break }
            let selected = index == selectedIndex
            let base = selected ? context.style(.selection) : context.style(.text)
            grid.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: base)
            if selected { grid.write(glyphs.selectionMarker, x: rect.x, y: y, style: base) }
            if let row = rows[line] {
                drawCells(
                    row.cells, widths: widths, y: y, in: body, grid: &grid, base: base, context: context,
                    selected: selected)
            } else {
                grid.write(glyphs.ellipsis, x: body.x, y: y, style: context.style(.muted), clip: body)
            }
        }
    }

    private func title(of index: Int, glyphs: Glyphs) -> String {
        guard let sort, sort.column == index else { return columns[index].title }
        return columns[index].title + " " + (sort.ascending ? glyphs.sortAscending : glyphs.sortDescending)
    }

    private func drawCells(
        _ cells: [TableCell], widths: [Int], y: Int, in body: Rect, grid: inout Grid, base: Style,
        context: RenderContext, selected: Bool = false
    ) {
        var x = body.x
        for (index, width) in widths.enumerated() where width > 0 {
            let cell = index < cells.count ? cells[index] : TableCell("")
            // A selected row keeps one style end to end; tones would break the bar.
            let style = selected ? base : toneStyle(cell.tone, base: base, context: context)
            let rect = Rect(x: x, y: y, width: width, height: 1)
            grid.write(cell.text, in: rect, style: style, alignment: columns[index].alignment, glyphs: context.glyphs)
            x += width + ColumnLayout.gap
        }
    }

    private func toneStyle(_ tone: TableCell.Tone, base: Style, context: RenderContext) -> Style {
        switch tone {
        case .normal: base
        case .positive: context.style(.positive)
        case .negative: context.style(.negative)
        case .muted: context.style(.muted)
        }
    }
}
