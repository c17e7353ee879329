/// The parts of the screen a theme styles. Widgets ask for a role, never for a colour, so a theme can restyle the
/// whole console and a new widget cannot bypass it.
public enum ThemeRole: String, CaseIterable, Codable, Sendable, CodingKeyRepresentable {
    /// Ordinary text in views.
    case text
    /// Secondary text: hints, placeholders, "loading…".
    case muted
    /// The top line: breadcrumbs, database and role.
    case header
    /// The bottom line: key hints.
    case footer
    /// A key name inside the footer.
    case footerKey = "footer-key"
    /// The last message in the footer.
    case message
    /// An error message.
    case error
    /// The selected row or item.
    case selection
    /// Column titles of tables.
    case tableHeader = "table-header"
    /// Figures that are good news (successful exports, growth).
    case positive
    /// Figures that are bad news (failures, drops).
    case negative
    /// Sparklines, bar charts and progress bars.
    case chart
    /// Borders of panels.
    case border
    /// Panel and dialog titles.
    case title
    /// Dialog and overlay bodies.
    case dialog
    /// Text inputs: the command line and the filter.
    case input
}

/// A theme's partial style for one role: every field is optional and falls back to the built-in default.
public struct StyleSpec: Hashable, Codable, Sendable {
    public var fg: String?
    public var bg: String?
    public var bold: Bool?
    public var reverse: Bool?
    public var underline: Bool?
    public var dim: Bool?

    public init(
        fg: String? = nil, bg: String? = nil, bold: Bool? = nil, reverse: Bool? = nil, underline: Bool? = nil,
        dim: Bool? = nil
    ) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    /// `base` with this spec's fields laid over it. Colour names were validated when the theme was loaded, so an
    /// unknown one here can only come from a hand-built value and keeps the base colour.
    func applied(to base: Style) -> Style {
        var style = base
        if let fg, let color = TerminalColor(name: fg) { style.foreground = color }
        if let bg, let color = TerminalColor(name: bg) { style.background = color }
        for (flag, attribute) in [
            (bold, TextAttributes.bold), (reverse, .reverse), (underline, .underline), (dim, .dim),
        ] {
            if let flag {
                if flag { style.attributes.insert(attribute) } else { style.attributes.remove(attribute) }
            }
        }
        return style
    }
}
