import BakeryCore
import Foundation

/// The home view: one row per client with its records, synced cookies, match rate and last export. Sort with
/// `s`/`S`, filter with `/`, Enter opens the client.
@MainActor
public final class ClientsView: ConsoleView {
    public let title = "Clients"
    public let kind = "clients"
    public let acceptsFilter = true
    private let environment: ConsoleEnvironment
    private var pager: TablePager?
    /// Loaded clients by id, for opening one and for `:client` completion.
    public private(set) var clients: [String: Client] = [:]
    private var filter = ""
    private var overview: [Overview] = []
    /// The live figures of every client, counted after the first frame.
    private let live: BackgroundLoad<[ClientSummary]>

    /// Priorities decide what a narrow terminal drops first: partner keys (a cut key is useless), export rows, then
    /// the DMP; client names keep 18 columns before that happens.
    static let columns: [TableColumn] = [
        TableColumn("Client", minWidth: 14, maxWidth: 32, priority: 3, readableWidth: 18),
        TableColumn("CC", minWidth: 2, maxWidth: 2),
        TableColumn("DMP", minWidth: 6, maxWidth: 13),
        TableColumn("Partner", minWidth: 8, maxWidth: 18, priority: 0),
        .numeric("Records", minWidth: 7, priority: 3),
        .numeric("Cookies", minWidth: 7, priority: 2),
        .numeric("24h", minWidth: 5, priority: 2),
        .numeric("Match", minWidth: 6, priority: 3),
        TableColumn("Last export", minWidth: 11, maxWidth: 11, priority: 2),
        .numeric("Rows", minWidth: 5, priority: 1),
        TableColumn("Status", minWidth: 6, maxWidth: 9, priority: 3),
    ]

    /// The environment's clock is the one "last 24 hours" is counted from; tests pass a fixed one.
    public init(environment: ConsoleEnvironment) {
        self.environment = environment
        live = BackgroundLoad(environment, what: "count the live client figures")
    }

    public var keyBindings: [KeyBinding] {
        [
            KeyBinding([.enter], .open, shortName: "open", description: "Open the selected client", scope: .view(kind)),
            KeyBinding(
                [.character("s")], .sortNext, shortName: "sort", description: "Sort by the next column",
                scope: .view(kind)),
            KeyBinding(
                [.character("S")], .sortReverse, shortName: "reverse", description: "Reverse the sort order",
                scope: .view(kind)),
        ]
    }

    /// True while a page is fetched or the live figures are still being counted.
    public var isBusy: Bool { (pager?.isFetching ?? false) || live.isRunning }

    /// What a client row shows before the live counts: the latest stored daily snapshot and the last export.
    struct Overview: Sendable {
        var client: Client
        /// The daily snapshots of the past 30 days, oldest first, for the preview's trend.
        var history: [MatchSnapshot]
        /// The newest snapshot when it is at most a week old; older figures are not shown as current.
        var latest: MatchSnapshot?
        var lastExport: ExportRun?
    }

    /// Shows every client at once from cheap reads (stored snapshots, last export), then counts the live figures
    /// in the background: on a large database the counts take seconds, and the operator should not wait for them
    /// to see the list, move through it or open a client.
    public func load() async throws {
        live.reset()
        let store = environment.store
        let moment = environment.now()
        let overview = try await Self.overview(store: store, today: Day(moment))
        self.overview = overview
        clients = Dictionary(uniqueKeysWithValues: overview.map { ($0.client.id, $0.client) })
        let source = ArrayTableSource(entries: overview.map { Self.entry($0, summary: nil) })
        let previous = pager
        let pager = TablePager(
            columns: Self.columns, source: source, sort: previous?.sort ?? TableSort(column: 0),
            changed: { [weak environment] in environment?.setNeedsDisplay() })
        pager.setFilter(filter)
        await pager.prefetch()
        self.pager = pager
        live.start({ try await store.clientSummaries(now: moment) }, then: { [weak self] in self?.showLive($0) })
    }

    /// Three reads whatever the number of clients — the clients, every client's snapshots of the past 30 days and
    /// every client's last export — each straight off primary-key and index ranges, so this stays fast however many
    /// clients, records and cookies there are.
    nonisolated static func overview(store: any Store, today: Day) async throws -> [Overview] {
        let clients = try await store.clients()
        let history = Dictionary(grouping: try await store.snapshots(clientID: nil, since: today.adding(days: -29))) {
            $0.clientID
        }
        let exports = Dictionary(
            try await store.latestExportRuns().map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
        return clients.map { client in
            let history = history[client.id] ?? []
            let latest = history.last.flatMap { $0.day >= today.adding(days: -7) ? $0 : nil }
            return Overview(client: client, history: history, latest: latest, lastExport: exports[client.id])
        }
    }

    private func showLive(_ summaries: [ClientSummary]) {
        let byClient = Dictionary(summaries.map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
        pager?.replaceSource(
            ArrayTableSource(entries: overview.map { Self.entry($0, summary: byClient[$0.client.id]) }))
    }

    /// A client's row. Without `summary` the record and cookie figures come from the latest snapshot and are drawn
    /// muted until the live counts replace them.
    nonisolated static func entry(_ overview: Overview, summary: ClientSummary?) -> ArrayTableSource.Entry {
        let client = overview.client
        let latest = overview.latest
        let export = summary?.lastExport ?? overview.lastExport
        let partners = client.partners.map(\.key)
        let partnerText = partners.first.map { partners.count > 1 ? "\($0) +\(partners.count - 1)" : $0 } ?? "–"
        let status: TableCell =
            switch export?.outcome {
            case .succeeded: TableCell("ok", tone: .positive)
            case .failed: TableCell("failed", tone: .negative)
            case nil: TableCell("never", tone: .muted)
            }
        func figure(_ live: Int?, _ stored: Int?) -> (TableCell, ArrayTableSource.SortKey) {
            if let live { return (TableCell(Figures.grouped(live)), .number(Double(live))) }
            if let stored { return (TableCell(Figures.grouped(stored), tone: .muted), .number(Double(stored))) }
            return (TableCell("…", tone: .muted), .none)
        }
        let records = figure(summary?.activeRecords, latest?.records)
        let cookies = figure(summary?.syncedCookies, latest?.syncedCookies)
        let lastDay = figure(summary?.syncedCookiesLastDay, nil)
        let cells: [TableCell] = [
            TableCell(client.name), TableCell(client.country), TableCell(client.dmp.displayName),
            TableCell(partnerText), records.0, cookies.0, lastDay.0,
            latest.map { TableCell(Figures.percent($0.matchRate)) } ?? TableCell("–", tone: .muted),
            export.map { TableCell(Figures.shortMinute($0.finishedAt)) } ?? TableCell("–", tone: .muted),
            export.map { TableCell(Figures.grouped($0.rows)) } ?? TableCell("–", tone: .muted),
            status,
        ]
        let keys: [ArrayTableSource.SortKey] = [
            .text(client.name.lowercased()), .text(client.country), .text(client.dmp.displayName), .text(partnerText),
            records.1, cookies.1, lastDay.1, latest.map { .number($0.matchRate) } ?? .none,
            export.map { .number($0.finishedAt.timeIntervalSince1970) } ?? .none,
            export.map { .number(Double($0.rows)) } ?? .none, .text(status.text),
        ]
        return ArrayTableSource.Entry(row: TableRow(key: client.id, cells: cells), sortKeys: keys)
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard let pager else {
            LoadPlaceholder.render(into: &grid, in: rect, context: context, what: "clients")
            return
        }
        let (body, statusRect) = rect.splitBottom(1)
        let (tableRect, previewRect) = Self.previewSplit(body, rows: pager.total)
        let table = pager.table(for: tableRect)
        table.render(into: &grid, in: tableRect, context: context)
        if let previewRect, let key = pager.selectedRow?.key,
            let selected = overview.first(where: { $0.client.id == key })
        {
            MatchTrendBox(snapshots: selected.history, subject: selected.client.name)
                .render(into: &grid, in: previewRect, context: context)
        }
        renderStatus(pager, into: &grid, in: statusRect, context: context)
        if pager.isEmpty {
            let text =
                filter.isEmpty
                ? "No clients yet: add one with `bakery client add` or try `bakery demo`."
                : "No client matches '\(filter)'."
            grid.tableNote(text, in: rect, context: context)
        }
        if let error = pager.error { grid.tableNote("could not read rows: \(error)", in: rect, context: context, role: .error) }
    }

    /// On a large terminal the rows leave room: the selected client's 30-day trend goes right under them (a
    /// preview of what Enter opens) instead of a screen of blank lines. Nil when there is no room for it.
    static func previewSplit(_ rect: Rect, rows: Int?) -> (table: Rect, preview: Rect?) {
        guard let rows, rows > 0, rect.width >= 100 else { return (rect, nil) }
        let tableHeight = rows + 2  // the header row and one blank line
        let previewHeight = min(20, rect.height - tableHeight)
        guard previewHeight >= 10 else { return (rect, nil) }
        let table = Rect(x: rect.x, y: rect.y, width: rect.width, height: tableHeight)
        return (table, Rect(x: rect.x, y: rect.y + tableHeight, width: rect.width, height: previewHeight))
    }

    /// `2 of 3 · sorted by Records ▼ · filter 'nord'`: where the selection is and what shapes the rows.
    private func renderStatus(_ pager: TablePager, into grid: inout Grid, in rect: Rect, context: RenderContext) {
        var parts: [String] = []
        switch live.state {
        case .running, .idle: parts.append("\(context.spinner) counting live figures (muted: latest snapshot)")
        case .failed: parts.append("live figures unavailable, showing the latest snapshot (see the log)")
        case .done: break
        }
        parts.append(pager.positionText)
        parts.append("match: last night")
        if let sort = pager.sort {
            let marker = sort.ascending ? context.glyphs.sortAscending : context.glyphs.sortDescending
            parts.append("sorted by \(Self.columns[sort.column].title) \(marker)")
        }
        if !filter.isEmpty { parts.append("filter '\(filter)'") }
        grid.statusLine(parts, in: rect, context: context)
    }

    public func handle(_ action: KeyAction) -> ViewAction {
        guard let pager else { return .none }
        switch action {
        case .up: pager.move(by: -1)
        case .down: pager.move(by: 1)
        case .pageUp: pager.page(by: -1)
        case .pageDown: pager.page(by: 1)
        case .top: pager.moveToTop()
        case .bottom: pager.moveToBottom()
        case .left: pager.scrollColumns(by: -1)
        case .right: pager.scrollColumns(by: 1)
        case .sortNext: pager.sortNextColumn()
        case .sortReverse: pager.reverseSort()
        case .open:
            guard let key = pager.selectedRow?.key, let client = clients[key] else { return .none }
            return .push(ClientView(environment: environment, client: client))
        default: break
        }
        return .none
    }

    public func applyFilter(_ text: String) {
        filter = text
        pager?.setFilter(text)
    }
}

extension Rect {
    /// The rectangle narrowed by `columns` on the left and right.
    func inset(byColumns columns: Int) -> Rect {
        Rect(x: x + columns, y: y, width: width - 2 * columns, height: height)
    }
}

/// What a view's body shows before its data arrives, or when loading failed.
enum LoadPlaceholder {
    static func render(into grid: inout Grid, in rect: Rect, context: RenderContext, what: String) {
        guard rect.height > 1 else { return }
        switch context.loadState {
        case .failed(let message):
            grid.write(
                "Could not load \(what): \(message)", in: rect.row(1).inset(byColumns: 2), style: context.style(.error),
                glyphs: context.glyphs)
            grid.write(
                "Press r to try again.", in: rect.row(2).inset(byColumns: 2), style: context.style(.muted),
                glyphs: context.glyphs)
        case .loading, .loaded:
            grid.write(
                "\(context.spinner) loading \(what)…", in: rect.row(1).inset(byColumns: 2),
                style: context.style(.muted), glyphs: context.glyphs)
        }
    }
}
