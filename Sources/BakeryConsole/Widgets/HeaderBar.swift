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
        let right = (isLoading ? "\(context.spinner) loading…  " : "") + "db: \(database)  role: \(role) "
        let rightWidth = DisplayWidth.of(right)
        let leftRect = Rect(x: rect.x, y: rect.y, width: rect.width - rightWidth - 1, height: 1)
        grid.write(
            " " + (["Bakery"] + breadcrumbs).joined(separator: separator), in: leftRect, style: style,
            glyphs: context.glyphs)
        grid.write(right, x: rect.maxX - rightWidth, y: rect.y, style: style, clip: rect)
    }
}
