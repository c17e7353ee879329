/// The characters used for borders, charts and markers, in a Unicode and an ASCII set.
///
/// The ASCII set is for terminals or fonts without box drawing and block elements (a non-UTF-8 locale, a serial
/// console); a theme can also ask for it.
public struct Glyphs: Hashable, Sendable {
    public var topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical: String
    /// Eight levels from lowest to highest, for sparklines.
    public var levels: [String]
    /// A full cell of a bar.
    public var barFull: String
    /// An empty cell of a bar's track.
    public var barEmpty: String
    public var ellipsis: String
    public var sortAscending, sortDescending: String
    public var selectionMarker: String
    /// Header markers for columns scrolled off to the left or right.
    public var scrollLeft, scrollRight: String
    public var spinner: [String]
    /// After a key the operator's role may not use, in the footer (one cell).
    public var disabledMark: String
    /// Good and bad outcomes in the lineage and results (one cell).
    public var yes, no: String

    public static let unicode = Glyphs(
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
        levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], barFull: "█", barEmpty: "░", ellipsis: "…",
        sortAscending: "▲", sortDescending: "▼", selectionMarker: "›", scrollLeft: "‹", scrollRight: "›",
        spinner: ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"], disabledMark: "⊘", yes: "✓", no: "✗"
    )

    public static let ascii = Glyphs(
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
        levels: ["_", ".", "-", "-", "=", "=", "#", "#"], barFull: "#", barEmpty: ".", ellipsis: "~",
        sortAscending: "^", sortDescending: "v", selectionMarker: ">", scrollLeft: "<", scrollRight: ">",
        spinner: ["|", "/", "-", "\\"], disabledMark: "!", yes: "+", no: "x"
    )
}
