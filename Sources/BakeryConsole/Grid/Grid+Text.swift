extension Grid {
    /// Writes `text` from (`x`, `y`), clipped to `clip` (default: the whole grid).
    ///
    /// A wide grapheme that would straddle the clip edge is replaced by a space, so a clipped column never shows half
    /// a character. Zero-width graphemes are skipped.
    /// - Returns: the number of columns written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = (clip ?? bounds).intersection(bounds)
        guard y >= area.y, y < area.maxY else { return 0 }
        var column = x
        for grapheme in text {
            let span = DisplayWidth.of(grapheme)
            if span == 0 { continue }
            if column >= area.maxX { break }
            if column + span > area.maxX || column < area.x {
                if column >= area.x { set(x: column, y: y, .blank(style)) }
                column += span
                continue
            }
            set(x: column, y: y, Cell(String(grapheme), width: span, style: style))
            if span == 2 { set(x: column + 1, y: y, .continuation(style)) }
            column += span
        }
        return max(0, min(column, area.maxX) - x)
    }

    /// Writes `text` into a one-row rectangle, padded or truncated (with an ellipsis) to its width.
    public mutating func write(
        _ text: String, in rect: Rect, style: Style, alignment: TextAlignment = .left, glyphs: Glyphs
    ) {
        guard !rect.isEmpty else { return }
        fill(rect.row(0), style: style)
        let fitted = TextLayout.truncate(text, to: rect.width, ellipsis: glyphs.ellipsis)
        let used = DisplayWidth.of(fitted)
        let start: Int
        switch alignment {
        case .left: start = rect.x
        case .right: start = rect.maxX - used
        case .center: start = rect.x + (rect.width - used) / 2
        }
        write(fitted, x: start, y: rect.y, style: style, clip: rect)
    }
}

/// Where text sits in a column.
public enum TextAlignment: Sendable, Hashable {
    case left, right, center
}

/// Width-aware string fitting, shared by every widget that writes into fixed columns.
public enum TextLayout {
    /// `text` cut to at most `width` columns, ending in `ellipsis` when something was cut.
    public static func truncate(_ text: String, to width: Int, ellipsis: String) -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(text) <= width { return text }
        let room = width - DisplayWidth.of(ellipsis)
        guard room > 0 else { return String(repeating: ".", count: width) }
        var out = ""
        var used = 0
        for grapheme in text {
            let span = DisplayWidth.of(grapheme)
            if used + span > room { break }
            out.append(grapheme)
            used += span
        }
        return out + ellipsis
    }

    /// `text` padded with spaces (or truncated) to exactly `width` columns.
    public static func pad(_ text: String, to width: Int, alignment: TextAlignment = .left, ellipsis: String) -> String
    {
        let fitted = truncate(text, to: width, ellipsis: ellipsis)
        let gap = max(0, width - DisplayWidth.of(fitted))
        switch alignment {
        case .left: return fitted + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + fitted
        case .center:
            return String(repeating: " ", count: gap / 2) + fitted + String(repeating: " ", count: gap - gap / 2)
        }
    }
}
