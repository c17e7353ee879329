import BakeryCore

/// The `?` sheet, generated from the key map and the command list, so it cannot drift from what the keys do.
public struct HelpOverlay: Sendable {
    /// One row of the sheet: a heading, a key and its description, or a blank separator.
    struct Line: Sendable, Hashable {
        var key: String
        var text: String
        var isHeading: Bool
    }

    private(set) var lines: [Line]
    /// First line shown, for scrolling long sheets with j/k and PgUp/PgDn.
    public private(set) var scroll = 0

    /// Builds the sheet from bindings grouped by their scope (the current view's first, since those are what the
    /// operator is looking for), then the commands.
    /// - Parameters:
    ///   - bindings: the key map entries in effect.
    ///   - scopeTitles: headings for view scopes, e.g. `["clients": "Clients"]`.
    /// - Parameter actor: keys whose permission this operator lacks say so (`— needs ops, you are viewer`).
    public init(
        bindings: [KeyBinding], scopeTitles: [String: String], commands: [ConsoleCommand], actor: Operator? = nil
    ) {
        var scopes: [KeyScope] = []
        for binding in bindings where !scopes.contains(binding.scope) { scopes.append(binding.scope) }
        scopes.sort { lhs, _ in lhs != .global }
        var lines: [Line] = []
        for scope in scopes {
            let heading: String =
                switch scope {
                case .global: "Everywhere"
                case .view(let kind): scopeTitles[kind] ?? kind
                }
            if !lines.isEmpty { lines.append(Line(key: "", text: "", isHeading: false)) }
            lines.append(Line(key: heading, text: "", isHeading: true))
            lines += bindings.filter { $0.scope == scope }.map { binding in
                let refused = binding.requires.flatMap { permission in
                    actor.flatMap { $0.may(permission) ? nil : permission }
                }
                return Line(
                    key: binding.keyLabel,
                    text: (refused.map { "[needs \($0.minimumRole)] " } ?? "") + binding.description, isHeading: false)
            }
        }
        if !commands.isEmpty {
            lines.append(Line(key: "", text: "", isHeading: false))
            lines.append(Line(key: "Commands", text: "", isHeading: true))
            lines += commands.map {
                Line(key: ":" + $0.name + ($0.argumentHint.map { " " + $0 } ?? ""), text: $0.summary, isHeading: false)
            }
        }
        self.lines = lines
    }

    /// Scrolls by `delta` lines; the bottom is clamped when drawn, since only rendering knows the height.
    public mutating func scroll(by delta: Int) {
        scroll = max(0, min(lines.count - 1, scroll + delta))
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let box = rect.centered(width: min(76, rect.width - 2), height: min(lines.count + 2, rect.height - 2))
        guard box.width > 10, box.height > 3 else { return }
        grid.fill(box, style: context.style(.dialog))
        let inner = box.inset(by: 1)
        let first = min(scroll, max(0, lines.count - inner.height))
        let more = first + inner.height < lines.count ? "  j/↓ more" : ""
        grid.drawBox(
            box, style: context.style(.border), glyphs: context.glyphs, title: "Keys — ? or Esc to close\(more)",
            titleStyle: context.style(.title))
        let keyWidth = min(18, lines.filter { !$0.isHeading }.map { DisplayWidth.of($0.key) }.max() ?? 0)
        for (row, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + row
            if line.isHeading {
                grid.write(
                    " " + line.key, in: Rect(x: inner.x, y: y, width: inner.width, height: 1),
                    style: context.style(.title), glyphs: context.glyphs)
                continue
            }
            let keyRect = Rect(x: inner.x + 2, y: y, width: keyWidth, height: 1)
            grid.write(line.key, in: keyRect, style: context.style(.footerKey), glyphs: context.glyphs)
            let textRect = Rect(x: keyRect.maxX + 2, y: y, width: inner.maxX - keyRect.maxX - 2, height: 1)
            grid.write(line.text, in: textRect, style: context.style(.dialog), glyphs: context.glyphs)
        }
    }
}
