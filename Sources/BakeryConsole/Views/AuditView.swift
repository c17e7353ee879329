import BakeryCore
import Foundation

/// The audit log, newest first, paged from the store: who did what, when, in which role, with what outcome.
/// `/` filters with `client:ID`, `action:ACTION` (or a family such as `upload`) and `actor:NAME`; a bare word is an
/// action family.
@MainActor
public final class AuditView: ConsoleView {
    public let kind = "audit"
    public let title = "audit"
    public let acceptsFilter = true
    let environment: ConsoleEnvironment
    private(set) var query: AuditQuery
    private(set) var pager: KeysetPager<AuditEntry>
    private var tableRect = Rect(x: 0, y: 0, width: 0, height: 0)

    static let columns: [TableColumn] = [
        TableColumn("Time", minWidth: 16, maxWidth: 16, priority: 3),
        TableColumn("Actor", minWidth: 6, maxWidth: 14, priority: 3),
        TableColumn("Role", minWidth: 7, maxWidth: 7, priority: 0),
        TableColumn("Action", minWidth: 10, maxWidth: 14, priority: 3),
        TableColumn("Client", minWidth: 6, maxWidth: 14, priority: 2),
        TableColumn("Outcome", minWidth: 7, maxWidth: 9, priority: 2),
        TableColumn("Detail", minWidth: 16, priority: 1),
    ]

    public init(environment: ConsoleEnvironment, query: AuditQuery = AuditQuery()) {
        self.environment = environment
        self.query = query
        pager = KeysetPager(columns: Self.columns, source: Self.source(environment.store, query), row: Self.row,
            changed: { [weak environment] in environment?.setNeedsDisplay() })
    }

    public var filterPrompt: String { "/ client:ID action:ACTION actor:NAME  " }
    public var isBusy: Bool { pager.isFetching }
    public func stop() { pager.stop() }

    public func load() async throws {
        await pager.prefetch()
        if let error = pager.error { throw BakeryError.storeFailure(error) }
    }

    static func source(_ store: any Store, _ query: AuditQuery) -> KeysetSource<AuditEntry> {
        KeysetSource(page: { try await store.auditEntries(query, page: $0) })
    }

    static func row(_ entry: AuditEntry) -> TableRow {
        let tone: TableCell.Tone =
            switch entry.outcome {
            case .succeeded: .positive
            case .failed, .denied: .negative
            }
        return TableRow(
            key: "\(entry.id ?? 0)",
            cells: [
                TableCell(Figures.minute(entry.at)), TableCell(entry.actor), TableCell(entry.role?.rawValue ?? "–"),
                TableCell(entry.action), TableCell(entry.clientID ?? "–", tone: entry.clientID == nil ? .muted : .normal),
                TableCell(entry.outcome.rawValue, tone: tone), TableCell(entry.detail, tone: .muted),
            ])
    }

    /// `client:acme action:export actor:anna`, or bare words for the action: the filter as a query.
    static func query(parsing text: String) -> AuditQuery {
        var client: String?, action: String?, actor: String?
        for word in text.split(separator: " ").map(String.init) {
            if word.hasPrefix("client:") { client = String(word.dropFirst(7)) }
            else if word.hasPrefix("action:") { action = String(word.dropFirst(7)) }
            else if word.hasPrefix("actor:") { actor = String(word.dropFirst(6)) }
            else { action = word }
        }
        return AuditQuery(clientID: client, action: action, actor: actor)
    }

    public func applyFilter(_ text: String) {
        query = Self.query(parsing: text)
        pager.replaceSource(Self.source(environment.store, query), sort: nil)
    }

    public func handle(_ action: KeyAction) -> ViewAction {
        pager.navigate(action)
        return .none
    }

    public func click(at point: Point) -> ViewAction {
        pager.click(at: point, table: tableRect)
        return .none
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let rest = grid.heading("Audit log: who did what, when, with what outcome", in: rect, context: context)
        let (body, status) = rest.splitBottom(1)
        let (table, panel) = body.splitBottom(min(6, max(4, body.height / 4)))
        tableRect = table
        pager.render(into: &grid, in: table, context: context, empty: "No entry matches.", failure: "could not read the log")
        let lines = pager.selectedItem.map { entry in
            [
                TextPanel.Line([
                    .init("\(entry.actor)", bold: true), .init(" (\(entry.role?.rawValue ?? "no role")) · \(entry.action) · "),
                    .init(entry.outcome.rawValue, entry.outcome == .succeeded ? .positive : .negative),
                    .init(" · \(ISOTime.string(entry.at))", .muted),
                ]),
                TextPanel.Line(entry.detail, .text, wraps: true),
            ]
        } ?? [TextPanel.Line("No entry selected.", .muted)]
        TextPanel(title: "Entry", lines: lines).render(into: &grid, in: panel, context: context)
        var parts = [pager.positionText]
        if let client = query.clientID { parts.append("client \(client)") }
        if let action = query.action { parts.append("action \(action)") }
        if let actor = query.actor { parts.append("actor \(actor)") }
        grid.statusLine(parts, in: status, context: context)
    }
}
