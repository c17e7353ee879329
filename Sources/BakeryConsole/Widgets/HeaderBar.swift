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

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard !rect.isEmpty else { return }
        let style = context.style(.header)
        grid.fill(rect.row(0), style: style)
        let separator = context.glyphs == .ascii ? " > " : " › "
        let left = " " + (["Bakery"] + breadcrumbs).joined(separator: separator)
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
