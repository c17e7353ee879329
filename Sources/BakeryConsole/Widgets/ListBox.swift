/// A scrolling list of one-line items with a selection, for short lists (recent uploads, completions).
public struct ListBox: Sendable {
    public var items: [String]
    public var selectedIndex: Int?

    public init(items: [String], selectedIndex: Int? = nil) {
        self.items = items
        self.selectedIndex = selectedIndex
    }

    /// Draws the items, scrolled so the selection is visible; `emptyText` when there are none.
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext, emptyText: String = "none") {
        guard !rect.isEmpty else { return }
        guard !items.isEmpty else {
            grid.write(emptyText, in: rect.row(0), style: context.style(.muted), glyphs: context.glyphs)
            return
        }
        let top = max(0, (selectedIndex ?? 0) - rect.height + 1)
        for line in 0..<min(rect.height, items.count - top) {
            let index = top + line
            let selected = index == selectedIndex
            let style = selected ? context.style(.selection) : context.style(.text)
            let marker = selected ? context.glyphs.selectionMarker : " "
            grid.write(marker + items[index], in: rect.row(line), style: style, glyphs: context.glyphs)
        }
    }
}
