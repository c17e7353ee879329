/// A one-row trend: one block character per value, scaled from zero to the largest value.
public struct Sparkline: Sendable {
    public var values: [Double]

    public init(values: [Double]) { self.values = values }

    /// The glyphs for the last `width` values.
    public func text(width: Int, glyphs: Glyphs) -> String {
        let shown = values.suffix(max(0, width))
        let top = shown.max() ?? 0
        return shown.map { value in
            guard top > 0, value > 0 else { return glyphs.levels[0] }
            let level = Int((value / top * Double(glyphs.levels.count - 1)).rounded())
            return glyphs.levels[min(glyphs.levels.count - 1, max(0, level))]
        }.joined()
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        grid.write(
            text(width: rect.width, glyphs: context.glyphs), x: rect.x, y: rect.y, style: context.style(.chart),
            clip: rect)
    }
}

/// Vertical bars, one column per value, drawn in eighths of a cell so small differences still show.
public struct BarChart: Sendable {
    public var values: [Double]
    /// Columns per bar, including one column of gap when it is 2 or more.
    public var barWidth: Int

    public init(values: [Double], barWidth: Int = 1) {
        self.values = values
        self.barWidth = max(1, barWidth)
    }

    /// Draws the last values that fit, bottom-aligned, scaled to the largest of them.
    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let shown = Array(values.suffix(rect.width / barWidth))
        let top = shown.max() ?? 0
        let levels = context.glyphs.levels
        let style = context.style(.chart)
        let drawn = barWidth > 1 ? barWidth - 1 : 1
        for (index, value) in shown.enumerated() {
            let eighths = top > 0 ? Int((max(0, value) / top * Double(rect.height * 8)).rounded()) : 0
            for row in 0..<rect.height {
                let filled = eighths - row * 8
                guard filled > 0 else { break }
                let glyph = filled >= 8 ? context.glyphs.barFull : levels[filled - 1]
                let y = rect.maxY - 1 - row
                for column in 0..<drawn {
                    grid.write(glyph, x: rect.x + index * barWidth + column, y: y, style: style, clip: rect)
                }
            }
        }
    }
}

/// A horizontal progress bar with a label after it: `███████░░░░░░  45%  12,345 rows  ETA 0:42`.
public struct ProgressBar: Sendable {
    /// 0...1.
    public var fraction: Double
    /// Text after the percentage (counts, rate, ETA); the caller formats it.
    public var label: String

    public init(fraction: Double, label: String = "") {
        self.fraction = min(1, max(0, fraction.isFinite ? fraction : 0))
        self.label = label
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let suffix =
            " \(Int((fraction * 100).rounded(.down)).description.leftPadded(to: 3))%"
            + (label.isEmpty ? "" : "  \(label)")
        let barWidth = max(0, rect.width - DisplayWidth.of(suffix))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        grid.fill(rect.row(0), style: context.style(.text))
        grid.write(
            String(repeating: context.glyphs.barFull, count: filled), x: rect.x, y: rect.y,
            style: context.style(.chart), clip: rect)
        grid.write(
            String(repeating: context.glyphs.barEmpty, count: barWidth - filled), x: rect.x + filled, y: rect.y,
            style: context.style(.muted), clip: rect)
        grid.write(suffix, x: rect.x + barWidth, y: rect.y, style: context.style(.text), clip: rect)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
