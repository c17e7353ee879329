/// A row of tabs, the selected one highlighted; a click on a title picks it (``index(at:in:titles:)``).
public struct TabBar: Sendable {
    public var titles: [String]
    public var selected: Int

    public init(titles: [String], selected: Int) {
        self.titles = titles
        self.selected = selected
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        for (index, span) in Self.spans(titles, in: rect).enumerated() where !span.isEmpty {
            let style = index == selected ? context.style(.selection).adding(.bold) : context.style(.muted)
            grid.write(" \(titles[index]) ", in: span, style: style, glyphs: context.glyphs)
        }
    }

    /// The tab drawn at column `x` of `rect`, if any.
    public static func index(at x: Int, in rect: Rect, titles: [String]) -> Int? {
        spans(titles, in: rect).firstIndex { $0.contains(x: x, y: rect.y) }
    }

    private static func spans(_ titles: [String], in rect: Rect) -> [Rect] {
        var x = rect.x + 1
        return titles.map { title in
            let width = min(DisplayWidth.of(title) + 2, max(0, rect.maxX - x))
            defer { x += width + 1 }
            return Rect(x: x, y: rect.y, width: width, height: 1)
        }
    }
}
