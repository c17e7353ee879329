/// Fits table columns into the available width.
///
/// Every column first gets what its content needs (title and visible cells, within its min/max); when that is too
/// wide, the widest columns give up width down to their minimum; when even the minimums do not fit, columns are
/// dropped from the right, because the leftmost columns identify the row.
public enum ColumnLayout {
    /// Column separator width.
    static let gap = 2

    /// Widths per column; 0 means hidden.
    public static func widths(for columns: [TableColumn], contentWidths: [Int], available: Int) -> [Int] {
        var wanted = columns.indices.map { index in
            let column = columns[index]
            let need = max(column.minWidth, contentWidths[index])
            return column.maxWidth.map { min(need, max($0, column.minWidth)) } ?? need
        }
        var visible = columns.count
        func total(_ widths: [Int], _ count: Int) -> Int {
            widths.prefix(count).reduce(0, +) + gap * max(0, count - 1)
        }
        while visible > 1, total(columns.map(\.minWidth), visible) > available { visible -= 1 }
        for index in visible..<columns.count { wanted[index] = 0 }
        // Shrink the widest shrinkable column one cell at a time: keeps narrow figure columns intact.
        while total(wanted, visible) > available {
            guard
                let widest = (0..<visible).filter({ wanted[$0] > columns[$0].minWidth }).max(by: { wanted[$0] < wanted[$1] })
            else { break }
            wanted[widest] -= 1
        }
        if visible == 1, wanted[0] > available { wanted[0] = max(0, available) }
        // Spare width goes to the first unbounded column, so text (names) gets room before figures spread out.
        let spare = available - total(wanted, visible)
        if spare > 0, let flexible = (0..<visible).first(where: { columns[$0].maxWidth == nil }) {
            wanted[flexible] += spare
        }
        return wanted
    }
}
