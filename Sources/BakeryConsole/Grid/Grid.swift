/// An in-memory screen: width × height cells. Screens render into a grid; a driver copies it to the terminal and
/// tests compare it with text snapshots, so nothing a user sees depends on ncurses.
public struct Grid: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    public init(size: Size) { self.init(width: size.width, height: size.height) }

    public var size: Size { Size(width: width, height: height) }
    public var bounds: Rect { Rect(size: size) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    /// Puts one cell, keeping wide graphemes whole: overwriting either half of a wide grapheme blanks the other half.
    mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0 {
            cells[index - 1] = .blank(cells[index - 1].style)
        } else if old.width == 2, x + 1 < width {
            cells[index + 1] = .blank(old.style)
        }
        cells[index] = cell
    }

    /// Fills a rectangle (clipped to the grid) with spaces in `style`.
    public mutating func fill(_ rect: Rect, style: Style) {
        let area = rect.intersection(bounds)
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { set(x: x, y: y, .blank(style)) }
        }
    }
}
