import BakeryCore
import Foundation

/// The home view: one row per client with its records, synced cookies, match rate and last export. Sort with
/// `s`/`S`, filter with `/`, Enter opens the client.
@MainActor
public final class ClientsView: ConsoleView {
    public let title = "Clients"
    public let kind = "clients"
    public let acceptsFilter = true
    private let store: any Store
    private let now: @Sendable () -> Date
    private var pager: TablePager?
    /// Loaded clients by id, for opening one and for `:client` completion.
    public private(set) var clients: [String: Client] = [:]
    private var filter = ""

    /// Priorities decide what an 80-column terminal drops first: partner keys and export rows, then the DMP.
    static let columns: [TableColumn] = [
        TableColumn("Client", minWidth: 14, priority: 3),
        TableColumn("CC", minWidth: 2, maxWidth: 2),
        TableColumn("DMP", minWidth: 6, maxWidth: 13),
        TableColumn("Partner", minWidth: 8, maxWidth: 18, priority: 0),
        .numeric("Records", minWidth: 7, priority: 3),
        .numeric("Cookies", minWidth: 7, priority: 2),
        .numeric("24h", minWidth: 5, priority: 2),
        .numeric("Match", minWidth: 6, priority: 3),
        TableColumn("Last export", minWidth: 11, maxWidth: 11, priority: 2),
        .numeric("Rows", minWidth: 5, priority: 0),
        TableColumn("Status", minWidth: 6, maxWidth: 9, priority: 3),
    ]

    /// - Parameter now: the clock for "last 24 hours"; tests pass a fixed one.
    public init(store: any Store, now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.now = now
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

    public var isBusy: Bool { pager?.isFetching ?? false }

    public func load() async throws {
        let moment = now()
        let since = Day(moment).adding(days: -7)
        let store = store
        let all = try await store.clients()
        // One task per client: a slow counts query for one client does not serialise the rest.
        let entries = try await withThrowingTaskGroup(of: ArrayTableSource.Entry.self) { group in
            for client in all {
                group.addTask {
                    let counts = try await store.counts(clientID: client.id, now: moment)
                    let latest = try await store.snapshots(clientID: client.id, since: since).last
                    return Self.entry(client: client, counts: counts, latest: latest)
                }
            }
            var entries: [ArrayTableSource.Entry] = []
            for try await entry in group { entries.append(entry) }
            return entries
        }
        clients = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        let previous = pager
        let pager = TablePager(
            columns: Self.columns, source: ArrayTableSource(entries: entries),
            sort: previous?.sort ?? TableSort(column: 0))
        pager.setFilter(filter)
        await pager.prefetch()
        self.pager = pager
    }

    nonisolated static func entry(client: Client, counts: ClientCounts, latest: MatchSnapshot?)
        -> ArrayTableSource.Entry
    {
        let export = counts.lastExport
        let partners = client.partners.map(\.key)
        let partnerText = partners.first.map { partners.count > 1 ? "\($0) +\(partners.count - 1)" : $0 } ?? "–"
        let status: TableCell =
            switch export?.outcome {
            case .succeeded: TableCell("ok", tone: .positive)
            case .failed: TableCell("failed", tone: .negative)
            case nil: TableCell("never", tone: .muted)
            }
        let cells: [TableCell] = [
            TableCell(client.name), TableCell(client.country), TableCell(client.dmp.displayName),
            TableCell(partnerText),
            TableCell(Figures.grouped(counts.activeRecords)), TableCell(Figures.grouped(counts.syncedCookies)),
            TableCell(Figures.grouped(counts.syncedCookiesLastDay)),
            latest.map { TableCell(Figures.percent($0.matchRate)) } ?? TableCell("–", tone: .muted),
            export.map { TableCell(Figures.shortMinute($0.finishedAt)) } ?? TableCell("–", tone: .muted),
            export.map { TableCell(Figures.grouped($0.rows)) } ?? TableCell("–", tone: .muted),
            status,
        ]
        let keys: [ArrayTableSource.SortKey] = [
            .text(client.name.lowercased()), .text(client.country), .text(client.dmp.displayName), .text(partnerText),
            .number(Double(counts.activeRecords)), .number(Double(counts.syncedCookies)),
            .number(Double(counts.syncedCookiesLastDay)), latest.map { .number($0.matchRate) } ?? .none,
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
        let (tableRect, statusRect) = rect.splitBottom(1)
        let table = pager.table(for: tableRect)
        table.render(into: &grid, in: tableRect, context: context)
        renderStatus(pager, into: &grid, in: statusRect, context: context)
        if pager.isEmpty {
            let text =
                filter.isEmpty
                ? "No clients yet: add one with `bakery client add` or try `bakery demo`."
                : "No client matches '\(filter)'."
            grid.write(text, in: rect.row(2).inset(byColumns: 2), style: context.style(.muted), glyphs: context.glyphs)
        }
        if let error = pager.error {
            grid.write(
                "could not read rows: \(error)", in: rect.row(2).inset(byColumns: 2), style: context.style(.error),
                glyphs: context.glyphs)
        }
    }

    /// `2 of 3 · sorted by Records ▼ · filter 'nord'`: where the selection is and what shapes the rows.
    private func renderStatus(_ pager: TablePager, into grid: inout Grid, in rect: Rect, context: RenderContext) {
        var parts = [pager.positionText]
        if let sort = pager.sort {
            let marker = sort.ascending ? context.glyphs.sortAscending : context.glyphs.sortDescending
            parts.append("sorted by \(Self.columns[sort.column].title) \(marker)")
        }
        if !filter.isEmpty { parts.append("filter '\(filter)'") }
        let text = parts.filter { !$0.isEmpty }.joined(separator: " · ")
        grid.write(
            text, in: rect.inset(byColumns: 1), style: context.style(.muted), alignment: .right, glyphs: context.glyphs)
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
            return .push(ClientView(store: store, client: client, now: now))
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
