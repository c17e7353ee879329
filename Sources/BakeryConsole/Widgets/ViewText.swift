/// The lines every view writes the same way: its title line, the status line under its table, and the note a table
/// shows when it has no rows or could not read them.
extension Grid {
    /// Writes `text` as the view's title on the top row of `rect`; returns the rows below it.
    mutating func heading(_ text: String, in rect: Rect, context: RenderContext) -> Rect {
        let (top, rest) = rect.splitTop(1)
        write(text, in: top.inset(byColumns: 1), style: context.style(.title), glyphs: context.glyphs)
        return rest
    }

    /// Writes the non-empty `parts`, joined by ` · `, right-aligned on the row `rect`.
    mutating func statusLine(_ parts: [String], in rect: Rect, context: RenderContext, role: ThemeRole = .muted) {
        write(
            parts.filter { !$0.isEmpty }.joined(separator: " · "), in: rect.inset(byColumns: 1),
            style: context.style(role), alignment: .right, glyphs: context.glyphs)
    }

    /// Writes why `table` shows no rows (nothing matches, or the read failed) on its third row.
    mutating func tableNote(_ text: String, in table: Rect, context: RenderContext, role: ThemeRole = .muted) {
        write(text, in: table.row(2).inset(byColumns: 2), style: context.style(role), glyphs: context.glyphs)
    }
}
