/// Fits table columns into the available width.
///
/// Every column first gets what its content needs (title and visible cells, within its min/max). When that is too
/// wide, text columns give up width (lowest priority, then widest, first) down to their minimum; figures are never
/// cut, because a truncated number is a wrong number. When even that does not fit, whole columns are hidden, lowest
/// ``TableColumn/priority`` first (rightmost first among equals), the way htop and k9s shed detail.
public enum ColumnLayout {
    /// Column separator width.
    static let gap = 2

    /// Widths per column; 0 means hidden.
    /// - Parameter byPriority: hide low-priority columns first; false hides strictly from the right, which is what a
    ///   table scrolled sideways needs (the operator asked to see the next columns in order).
    public static func widths(
        for columns: [TableColumn], contentWidths: [Int], available: Int, byPriority: Bool = true
    ) -> [Int] {
        var wanted = columns.indices.map { index in
            let column = columns[index]
            let need = max(column.minWidth, contentWidths[index])
            return column.maxWidth.map { min(need, max($0, column.minWidth)) } ?? need
        }
        let floors = columns.indices.map { columns[$0].alignment == .right ? wanted[$0] : columns[$0].minWidth }
        var visible = Set(columns.indices)
        func total(_ widths: [Int]) -> Int {
            visible.reduce(0) { $0 + widths[$1] } + gap * max(0, visible.count - 1)
        }
        let dropOrder = columns.indices.sorted { lhs, rhs in
            guard byPriority, columns[lhs].priority != columns[rhs].priority else { return lhs > rhs }
            return columns[lhs].priority < columns[rhs].priority
        }
        // Deciding what to hide, a column with a readable width counts as that wide, so lower-priority columns go
        // before it is cut to a stub; once that is settled it may still shrink to its minimum.
        let readable = columns.indices.map { index in
            columns[index].readableWidth.map { max(floors[index], min($0, wanted[index])) } ?? floors[index]
        }
        for index in dropOrder where visible.count > 1 && total(byPriority ? readable : floors) > available {
            visible.remove(index)
        }
        for index in columns.indices where !visible.contains(index) { wanted[index] = 0 }
        // Shrink one cell at a time, the lowest priority first (a partner key gives way before a client's name),
        // then the widest among equals: keeps short columns readable.
        while total(wanted) > available {
            let shrinkable = visible.filter { wanted[$0] > floors[$0] }
            let lowest = byPriority ? shrinkable.map { columns[$0].priority }.min() : nil
            guard
                let widest = shrinkable.filter({ lowest == nil || columns[$0].priority == lowest })
                    .max(by: { (wanted[$0], $1) < (wanted[$1], $0) })
            else { break }
            wanted[widest] -= 1
        }
        if visible.count == 1, let only = visible.first, wanted[only] > available { wanted[only] = max(0, available) }
        // Spare width goes to the first unbounded column, so text (names) gets room before figures spread out.
        let spare = available - total(wanted)
        if spare > 0,
            let flexible = columns.indices.first(where: { visible.contains($0) && columns[$0].maxWidth == nil })
        {
            wanted[flexible] += spare
        }
        return wanted
    }
}
