/// One terminal cell: a grapheme, how many columns it spans, and its style.
///
/// A wide grapheme (CJK, most emoji) occupies its cell plus a continuation cell to the right, so the grid's
/// columns always line up with the terminal's.
public struct Cell: Hashable, Sendable {
    /// The grapheme drawn here; empty for the continuation half of a wide grapheme.
    public var grapheme: String
    /// 1, 2 for the leading half of a wide grapheme, 0 for its continuation.
    public var width: Int
    public var style: Style

    public init(_ grapheme: String, width: Int = 1, style: Style = .plain) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    /// A space in the given style: what a grid is filled with.
    public static func blank(_ style: Style = .plain) -> Cell { Cell(" ", style: style) }

    /// The right half of a wide grapheme.
    static func continuation(_ style: Style) -> Cell { Cell("", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }
}
