/// What every widget needs to draw: the theme, the glyph set, and what the app knows about loading.
public struct RenderContext: Sendable {
    public var theme: Theme
    public var glyphs: Glyphs
    /// The current view's load state, so a view can show "loading…" or the error instead of stale or empty data.
    public var loadState: LoadState
    /// Advances while something loads, to animate the spinner.
    public var frame: Int

    public init(theme: Theme, glyphs: Glyphs, loadState: LoadState = .loaded, frame: Int = 0) {
        self.theme = theme
        self.glyphs = glyphs
        self.loadState = loadState
        self.frame = frame
    }

    public func style(_ role: ThemeRole) -> Style { theme.style(role) }

    /// The spinner glyph for this frame.
    public var spinner: String { glyphs.spinner[frame % glyphs.spinner.count] }
}

/// Where a view's data stands.
public enum LoadState: Hashable, Sendable {
    case loading
    case loaded
    case failed(String)
}
