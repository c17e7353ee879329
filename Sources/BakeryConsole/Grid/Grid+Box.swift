extension Grid {
    /// Draws a border around `rect` with an optional title in the top edge.
    public mutating func drawBox(
        _ rect: Rect, style: Style, glyphs: Glyphs, title: String? = nil, titleStyle: Style? = nil
    ) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let edge = String(repeating: glyphs.horizontal, count: rect.width - 2)
        write(glyphs.topLeft + edge + glyphs.topRight, x: rect.x, y: rect.y, style: style)
        write(glyphs.bottomLeft + edge + glyphs.bottomRight, x: rect.x, y: rect.maxY - 1, style: style)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            write(glyphs.vertical, x: rect.x, y: y, style: style)
            write(glyphs.vertical, x: rect.maxX - 1, y: y, style: style)
        }
        if let title, rect.width > 6 {
            let fitted = TextLayout.truncate(" \(title) ", to: rect.width - 4, ellipsis: glyphs.ellipsis)
            write(fitted, x: rect.x + 2, y: rect.y, style: titleStyle ?? style)
        }
    }
}
