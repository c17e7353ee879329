/// A boxed panel of text lines, each a run of styled segments: the lineage panel, export details, upload reports.
/// A line that does not fit is cut with an ellipsis, or word-wrapped when it asks to be; lines past the bottom are
/// dropped, with a last line saying how many (scroll with ``scroll``).
public struct TextPanel: Sendable {
    /// A piece of a line in one theme role.
    public struct Segment: Sendable, Hashable {
        public var text: String
        public var role: ThemeRole
        public var bold: Bool

        public init(_ text: String, _ role: ThemeRole = .text, bold: Bool = false) {
            self.text = text
            self.role = role
            self.bold = bold
        }
    }

    public struct Line: Sendable, Hashable {
        public var segments: [Segment]
        /// Wrap onto further lines instead of cutting (sentences).
        public var wraps: Bool

        public init(_ segments: [Segment], wraps: Bool = false) {
            self.segments = segments
            self.wraps = wraps
        }

        public init(_ text: String, _ role: ThemeRole = .text, bold: Bool = false, wraps: Bool = false) {
            self.init([Segment(text, role, bold: bold)], wraps: wraps)
        }

        /// An empty line.
        public static let blank = Line([])
    }

    public var title: String
    public var lines: [Line]
    /// Lines scrolled off the top.
    public var scroll: Int

    public init(title: String, lines: [Line], scroll: Int = 0) {
        self.title = title
        self.lines = lines
        self.scroll = scroll
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        grid.drawBox(
            rect, style: context.style(.border), glyphs: context.glyphs, title: title, titleStyle: context.style(.title))
        let inner = rect.inset(by: 1).inset(byColumns: 1)
        let shown = Self.layout(lines, width: inner.width)
        let first = min(max(0, scroll), max(0, shown.count - 1))
        var visible = Array(shown.dropFirst(first))
        if visible.count > inner.height {
            let hidden = visible.count - inner.height + 1
            visible = Array(visible.prefix(inner.height - 1)) + [Line("\(hidden) more lines (↓)", .muted)]
        }
        for (row, line) in visible.enumerated() {
            var x = inner.x
            let clip = inner.row(row)
            for segment in line.segments {
                let room = inner.maxX - x
                guard room > 0 else { break }
                let text = TextLayout.truncate(segment.text, to: room, ellipsis: context.glyphs.ellipsis)
                let style = segment.bold ? context.style(segment.role).adding(.bold) : context.style(segment.role)
                x += grid.write(text, x: x, y: clip.y, style: style, clip: clip)
            }
        }
    }

    /// Wrapping lines become several; the others stay one.
    static func layout(_ lines: [Line], width: Int) -> [Line] {
        lines.flatMap { line -> [Line] in
            guard line.wraps, let role = line.segments.first?.role else { return [line] }
            let text = line.segments.map(\.text).joined()
            return WordWrap.lines(text, width: max(1, width)).map { Line($0, role, bold: line.segments.first?.bold ?? false) }
        }
    }
}
