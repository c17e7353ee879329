/// The `?` sheet, generated from the key map and the command list, so it cannot drift from what the keys do.
public struct HelpOverlay: Sendable {
    public var sections: [(title: String, lines: [(key: String, text: String)])]
    /// First line shown, for scrolling long sheets with j/k.
    public var scroll = 0

    /// Builds the sheet: the view's keys first (they are what the operator is looking for), then global keys, then
    /// commands.
    public init(viewTitle: String, viewBindings: [KeyBinding], globalBindings: [KeyBinding], commands: [ConsoleCommand]) {
        var sections: [(title: String, lines: [(key: String, text: String)])] = []
        if !viewBindings.isEmpty {
            sections.append((viewTitle, viewBindings.map { ($0.keyLabel, $0.description) }))
        }
        sections.append(("Everywhere", globalBindings.map { ($0.keyLabel, $0.description) }))
        if !commands.isEmpty {
            sections.append(
                ("Commands", commands.map { (":" + $0.name + ($0.argumentHint.map { " " + $0 } ?? ""), $0.summary) }))
        }
        self.sections = sections
    }

    var lineCount: Int { sections.reduce(0) { $0 + $1.lines.count + 2 } }

    public mutating func scroll(by delta: Int, visibleLines: Int) {
        scroll = max(0, min(lineCount - visibleLines, scroll + delta))
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let box = rect.centered(width: min(76, rect.width - 2), height: min(lineCount + 3, rect.height - 2))
        guard box.width > 10, box.height > 3 else { return }
        grid.fill(box, style: context.style(.dialog))
        grid.drawBox(box, style: context.style(.border), glyphs: context.glyphs, title: "Keys — ? or Esc to close", titleStyle: context.style(.title))
        let inner = box.inset(by: 1)
        let keyWidth = min(18, sections.flatMap(\.lines).map { DisplayWidth.of($0.key) }.max() ?? 0)
        var lines: [(String, String, ThemeRole)] = []
        for section in sections {
            lines.append((section.title, "", .title))
            lines += section.lines.map { ($0.key, $0.text, .footerKey) }
            lines.append(("", "", .dialog))
        }
        for (row, line) in lines.dropFirst(scroll).prefix(inner.height).enumerated() {
            let y = inner.y + row
            if line.2 == .title {
                grid.write(" " + line.0, in: Rect(x: inner.x, y: y, width: inner.width, height: 1), style: context.style(.title), glyphs: context.glyphs)
                continue
            }
            let keyRect = Rect(x: inner.x + 2, y: y, width: keyWidth, height: 1)
            grid.write(line.0, in: keyRect, style: context.style(line.2), glyphs: context.glyphs)
            let textRect = Rect(x: keyRect.maxX + 2, y: y, width: inner.maxX - keyRect.maxX - 2, height: 1)
            grid.write(line.1, in: textRect, style: context.style(.dialog), glyphs: context.glyphs)
        }
    }
}
