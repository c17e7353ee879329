/// The selection of a short list a view holds in memory (clients to pick from, a folder, the drop-zone inbox), and
/// the ``Table`` of it scrolled so the selection stays in view. Store tables use ``KeysetPager`` instead.
struct ListSelection: Equatable {
    private(set) var index = 0

    /// Moves by `delta` rows within a list of `count`.
    mutating func move(by delta: Int, count: Int) {
        index = min(max(0, index + delta), max(0, count - 1))
    }

    /// Selects `row`, when the list has it.
    mutating func select(_ row: Int, count: Int) {
        if (0..<count).contains(row) { index = row }
    }

    /// Keeps the selection inside a list that now has `count` rows.
    mutating func clamp(count: Int) { index = min(index, max(0, count - 1)) }

    /// The first row a table `height` rows high (its header included) shows.
    func top(height: Int) -> Int { max(0, index - max(1, height - 1) + 1) }

    /// Selects the row drawn on `line` of a table `height` rows high (a click).
    mutating func click(line: Int, height: Int, count: Int) { select(top(height: height) + line, count: count) }

    /// The table of `rows` for a rectangle `height` rows high.
    func table(columns: [TableColumn], rows: [TableRow], height: Int) -> Table {
        let top = top(height: height)
        return Table(
            columns: columns, rows: Array(rows.dropFirst(top).prefix(max(0, height - 1))), firstIndex: top,
            selectedIndex: rows.isEmpty ? nil : index, total: rows.count)
    }
}
