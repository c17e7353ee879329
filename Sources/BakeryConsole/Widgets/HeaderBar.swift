/// The top line: where you are (breadcrumbs) on the left; a loading spinner, the database and the role on the right.
public struct HeaderBar: Sendable {
    public var breadcrumbs: [String]
    public var database: String
    public var role: String
    public var isLoading: Bool

    public init(breadcrumbs: [String], database: String, role: String, isLoading: Bool = false) {
        self.breadcrumbs = breadcrumbs
        self.database = database
        self.role = role
        self.isLoading = isLoading
    }

    static func separator(_ glyphs: Glyphs) -> String { glyphs == .ascii ? " > " : " › " }

    /// The index of the breadcrumb drawn at column `x`, for a click that goes back to it; nil off the crumbs (and
    /// on "Bakery").
    public static func breadcrumb(at x: Int, breadcrumbs: [String], glyphs: Glyphs) -> Int? {
        var start = 1 + DisplayWidth.of("Bakery")
        for (index, crumb) in breadcrumbs.enumerated() {
            start += DisplayWidth.of(separator(glyphs))
            let end = start + DisplayWidth.of(crumb)
            if x >= start && x < end { return index }
            start = end
        }
        return nil
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let style = context.style(.header)
        grid.fill(rect.row(0), style: style)
        let left = " " + (["Bakery"] + breadcrumbs).joined(separator: Self.separator(context.glyphs))
        func rightText(_ database: String) -> String {
            (isLoading ? "\(context.spinner) loading…  " : "") + "db: \(database)  role: \(role) "
        }
        // Where you are matters more than the database's folder: on a narrow terminal show only its file name.
        var right = rightText(database)
        if DisplayWidth.of(left) + DisplayWidth.of(right) + 1 > rect.width, database.hasPrefix("/") {
            right = rightText(String(database.split(separator: "/").last ?? Substring(database)))
        }
        let rightWidth = DisplayWidth.of(right)
        let leftRect = Rect(x: rect.x, y: rect.y, width: rect.width - rightWidth - 1, height: 1)
        grid.write(left, in: leftRect, style: style, glyphs: context.glyphs)
        grid.write(right, x: rect.maxX - rightWidth, y: rect.y, style: style, clip: rect)
    }
}
