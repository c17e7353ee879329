/// A table widget: a header with the sort indicator, the visible rows, the selection, and a position line.
///
/// It renders what ``TablePager`` currently holds; rows not fetched yet show as a muted placeholder, so scrolling
/// never waits for the store.
public struct Table: Sendable {
    public var columns: [TableColumn]
    /// Rows from `firstIndex` on; nil where the row is not loaded yet.
    public var rows: [TableRow?]
    public var firstIndex: Int
    public var selectedIndex: Int?
    public var sort: TableSort?
    /// Matching rows, when known.
    public var total: Int?

    public init(
        columns: [TableColumn], rows: [TableRow?], firstIndex: Int = 0, selectedIndex: Int? = nil,
        sort: TableSort? = nil, total: Int? = nil
    ) {
        self.columns = columns
        self.rows = rows
        self.firstIndex = firstIndex
        self.selectedIndex = selectedIndex
        self.sort = sort
        self.total = total
    }

    /// Rows a table of `height` shows: the header takes one line.
    public static func visibleRows(forHeight height: Int) -> Int { max(0, height - 1) }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let glyphs = context.glyphs
        let titles = columns.indices.map { title(of: $0, glyphs: glyphs) }
        let content = columns.indices.map { index in
            rows.compactMap { $0 }.reduce(DisplayWidth.of(titles[index])) { widest, row in
                max(widest, index < row.cells.count ? DisplayWidth.of(row.cells[index].text) : 0)
            }
        }
        // One cell at the left for the selection marker, so selection stays visible in monochrome too.
        let body = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 1, height: rect.height)
        let widths = ColumnLayout.widths(for: columns, contentWidths: content, available: body.width)
        let headerStyle = context.style(.tableHeader)
        grid.fill(rect.row(0), style: headerStyle)
        drawCells(titles.map { TableCell($0) }, widths: widths, y: rect.y, in: body, grid: &grid, base: headerStyle, context: context)
        for line in 0..<Table.visibleRows(forHeight: rect.height) {
            let y = rect.y + 1 + line
            let index = firstIndex + line
            if let total, index >= total { break }
            guard line < rows.count else { break }
            let selected = index == selectedIndex
            let base = selected ? context.style(.selection) : context.style(.text)
            grid.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), style: base)
            if selected { grid.write(glyphs.selectionMarker, x: rect.x, y: y, style: base) }
            if let row = rows[line] {
                drawCells(row.cells, widths: widths, y: y, in: body, grid: &grid, base: base, context: context, selected: selected)
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
