import BakeryCore
import Foundation

/// One client: records and match rate per identifier kind, synced and matched cookies, the 30-day match-rate
/// trend, and the recent uploads and exports. The figures are those of `bakery stats`: the latest nightly snapshot
/// first (muted), then the live counts and match figures as they arrive.
@MainActor
public final class ClientView: ConsoleView {
    public let kind = "client"
    public var title: String { client.id }
    private let environment: ConsoleEnvironment
    let client: Client
    private var figures: Loaded?
    /// The live counts, after the first frame; a failure reads "n/a" (the error is in the log), not "…" for ever.
    private let live: BackgroundLoad<ClientCounts>
    /// The live match figures (slower than the counts on a large client).
    private let match: BackgroundLoad<MatchFigures>

    /// What the view shows. `counts` (live, and slow on a large client) arrives after the rest.
    struct Loaded: Sendable {
        var counts: ClientCounts?
        var snapshots: [MatchSnapshot]
        var uploads: [Upload]
        var exports: [ExportRun]
    }

    public init(environment: ConsoleEnvironment, client: Client) {
        self.environment = environment
        self.client = client
        live = BackgroundLoad(environment, what: "count the live figures of \(client.id)")
        match = BackgroundLoad(environment, what: "match the records of \(client.id)")
    }

    /// True while the live figures are still being made.
    public var isBusy: Bool { live.isRunning || match.isRunning }

    public func stop() {
        live.reset()
        match.reset()
    }

    /// The live figures, once both halves are in: what `bakery stats` prints.
    var statistics: ClientStatistics? {
        guard let counts = figures?.counts, let match = match.value else { return nil }
        return ClientStatistics(client: client, counts: counts, match: match)
    }

    private var liveFailed: Bool { live.failure != nil }

    /// Shows the stored history, uploads and exports at once (index range reads), then the live counts, which on
    /// the largest client of the 1M-record demo take most of a second.
    public func load() async throws {
        live.reset()
        match.reset()
        let store = environment.store
        let moment = environment.now()
        async let snapshots = store.snapshots(clientID: client.id, since: Day(moment).adding(days: -29))
        async let uploads = store.uploads(clientID: client.id, limit: 20)
        async let exports = store.exportRuns(clientID: client.id, limit: 20)
        figures = try await Loaded(counts: nil, snapshots: snapshots, uploads: uploads, exports: exports)
        let id = client.id
        live.start({ try await store.counts(clientID: id, now: moment) }, then: { [weak self] in self?.figures?.counts = $0 })
        match.start { try await store.matchFigures(clientID: id) }
    }

    public var keyBindings: [KeyBinding] {
        [
            KeyBinding(
                [.character("s")], .custom("sync"), shortName: "sync table",
                description: "This client's cookie-sync pairs, with lineage", scope: .view(kind)),
            KeyBinding(
                [.character("e")], .custom("exports"), shortName: "exports",
                description: "This client's export history: preview, diff, run now", scope: .view(kind)),
            KeyBinding(
                [.character("u")], .custom("upload"), shortName: "upload", description: "Onboard a CRM file for this client",
                scope: .view(kind), requires: .preview),
            KeyBinding(
                [.character("a")], .custom("audit"), shortName: "audit", description: "This client's audit log",
                scope: .view(kind)),
        ]
    }

    public func handle(_ action: KeyAction) -> ViewAction {
        switch action {
        case .custom("sync"): .push(SyncTableView(environment: environment, client: client))
        case .custom("exports"): .push(ExportsView(environment: environment, client: client))
        case .custom("upload"): .push(OnboardingView(environment: environment, client: client))
        case .custom("audit"): .push(AuditView(environment: environment, query: AuditQuery(clientID: client.id)))
        default: .none
        }
    }

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let partners = client.partners.map(\.key).joined(separator: ", ")
        let heading =
            "\(client.name)  ·  \(client.country)  ·  \(client.dmp.displayName)  ·  partners: \(partners.isEmpty ? "none" : partners)"
        grid.write(heading, in: rect.row(0).inset(byColumns: 1), style: context.style(.title), glyphs: context.glyphs)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        guard let figures else {
            LoadPlaceholder.render(into: &grid, in: body, context: context, what: client.id)
            return
        }
        // The boxes at the top fit the identifier kinds this client has (and the six cookie lines); the lists at
        // the bottom fit what there is to list (at least a quarter of the height); the trend chart takes the rest.
        let kinds = Self.shownKinds(figures)
        let kindsHeight = max(kinds.count + 3, 8)
        let (top, rest) = body.splitTop(kindsHeight)
        let leftWidth = top.width * 3 / 5
        let records = Rect(x: top.x, y: top.y, width: leftWidth, height: top.height)
        let cookies = Rect(x: top.x + leftWidth, y: top.y, width: top.width - leftWidth, height: top.height)
        let listRows = max(max(figures.uploads.count, figures.exports.count, 1) + 2, rest.height / 4)
        // Without any history the chart box only holds one line saying so.
        let trendRows = figures.snapshots.isEmpty ? 3 : max(5, rest.height - listRows)
        let (trend, lists) = rest.splitTop(trendRows)
        let half = lists.width / 2
        renderRecords(figures, into: &grid, in: records, context: context)
        renderCookies(figures, into: &grid, in: cookies, context: context)
        MatchTrendBox(snapshots: figures.snapshots).render(into: &grid, in: trend, context: context)
        renderUploads(
            figures.uploads, into: &grid, in: Rect(x: lists.x, y: lists.y, width: half, height: lists.height),
            context: context)
        renderExports(
            figures.exports, into: &grid,
            in: Rect(x: lists.x + half, y: lists.y, width: lists.width - half, height: lists.height), context: context)
    }

    private func renderRecords(_ figures: Loaded, into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let latest = figures.snapshots.last
        let live = statistics
        let rate = live.map { Figures.percent($0.matchRate) } ?? latest.map { Figures.percent($0.matchRate) } ?? "–"
        let active = figures.counts.map { Figures.grouped($0.activeRecords) } ?? (liveFailed ? "n/a" : "…")
        let title = "Records: \(active) active, match rate \(rate)\(live == nil && latest != nil ? " (last night)" : "")"
        grid.drawBox(
            rect, style: context.style(.border), glyphs: context.glyphs, title: title, titleStyle: context.style(.title)
        )
        let rows = Self.shownKinds(figures).map { kind in
            // Until the live figures arrive, the snapshot's, muted.
            let stored = latest?.byKind[kind]
            let muted = stored.map {
                (TableCell(Figures.grouped($0.matched), tone: .muted), TableCell(Figures.percent($0.rate), tone: .muted))
            }
            let current = live.map { statistics in
                let figures = statistics.byKind[kind] ?? KindFigures(records: 0, matched: 0)
                return (TableCell(Figures.grouped(figures.matched)), TableCell(Figures.percent(figures.rate)))
            }
            let (matched, rate) = current ?? muted ?? (TableCell("–", tone: .muted), TableCell("–", tone: .muted))
            let records =
                figures.counts.map { TableCell(Figures.grouped($0.recordsByKind[kind] ?? 0)) }
                ?? stored.map { TableCell(Figures.grouped($0.records), tone: .muted) } ?? TableCell("…", tone: .muted)
            return TableRow(key: kind.rawValue, cells: [TableCell(kind.label), records, matched, rate])
        }
        let table = Table(
            columns: [
                TableColumn("Identifier", minWidth: 11, maxWidth: 12), .numeric("Records"), .numeric("Matched"),
                .numeric("Rate"),
            ],
            rows: rows, total: rows.count)
        table.render(into: &grid, in: rect.inset(by: 1), context: context)
        if rows.isEmpty {
            grid.write(
                "No active records yet.", in: rect.inset(by: 1).row(1).inset(byColumns: 1),
                style: context.style(.muted), glyphs: context.glyphs)
        }
    }

    /// The identifier kinds this client has active records or matches of: a Dutch client has no personal ids,
    /// and a row of zeros for them is noise.
    static func shownKinds(_ figures: Loaded) -> [IdentifierKind] {
        let latest = figures.snapshots.last
        return IdentifierKind.allCases.filter { kind in
            (figures.counts?.recordsByKind[kind] ?? 0) > 0 || (latest?.byKind[kind]?.records ?? 0) > 0
        }
    }

    private func renderCookies(_ figures: Loaded, into grid: inout Grid, in rect: Rect, context: RenderContext) {
        grid.drawBox(
            rect, style: context.style(.border), glyphs: context.glyphs, title: "Cookies",
            titleStyle: context.style(.title))
        let inner = rect.inset(by: 1).inset(byColumns: 1)
        let latest = figures.snapshots.last
        func live(_ text: (ClientCounts) -> String) -> String { figures.counts.map(text) ?? (liveFailed ? "n/a" : "…") }
        let statistics = statistics
        let matched =
            statistics.map { Figures.grouped($0.match.matchedCookies) } ?? latest.map { Figures.grouped($0.matchedCookies) }
        let share =
            statistics.map { Figures.percent($0.matchedCookieShare) }
            ?? latest.map {
                $0.syncedCookies == 0 ? "–" : Figures.percent(Double($0.matchedCookies) / Double($0.syncedCookies))
            }
        let lines: [(String, String)] = [
            ("synced", live { Figures.grouped($0.syncedCookies) }),
            ("seen last 24 h", live { Figures.grouped($0.syncedCookiesLastDay) }),
            ("matched", matched ?? "–"),
            ("share matched", share ?? "–"),
            ("removed records", live { Figures.grouped($0.removedRecords) }),
            ("uploads / exports", live { "\(Figures.grouped($0.uploads)) / \(Figures.grouped($0.exportRuns))" }),
        ]
        for (index, line) in lines.prefix(inner.height).enumerated() {
            let row = inner.row(index)
            grid.write(line.0, in: row, style: context.style(.text), glyphs: context.glyphs)
            let value = TextLayout.truncate(line.1, to: row.width / 2, ellipsis: context.glyphs.ellipsis)
            grid.write(value, x: row.maxX - DisplayWidth.of(value), y: row.y, style: context.style(.text).adding(.bold))
        }
    }

    private func renderUploads(_ uploads: [Upload], into grid: inout Grid, in rect: Rect, context: RenderContext) {
        grid.drawBox(
            rect, style: context.style(.border), glyphs: context.glyphs, title: "Recent uploads",
            titleStyle: context.style(.title))
        let items = uploads.map { upload in
            [
                Figures.minute(upload.startedAt), upload.mode.rawValue.padding(7),
                "\(Figures.grouped(upload.accepted)) ok", "\(Figures.grouped(upload.rejected)) rejected",
                upload.status.rawValue,
            ].joined(separator: "  ")
        }
        ListBox(items: items).render(into: &grid, in: rect.inset(by: 1), context: context, emptyText: " none yet")
    }

    private func renderExports(_ exports: [ExportRun], into grid: inout Grid, in rect: Rect, context: RenderContext) {
        grid.drawBox(
            rect, style: context.style(.border), glyphs: context.glyphs, title: "Recent exports",
            titleStyle: context.style(.title))
        let inner = rect.inset(by: 1)
        guard !exports.isEmpty else {
            grid.write(" none yet", in: inner.row(0), style: context.style(.muted), glyphs: context.glyphs)
            return
        }
        let shown = exports.prefix(inner.height)
        // Row counts line up on the widest shown, not a fixed width, so who started the run still fits on 80 columns.
        let rowsWidth = shown.map { Figures.grouped($0.rows).count }.max() ?? 0
        for (index, run) in shown.enumerated() {
            let ok = run.outcome == .succeeded
            let text =
                " \(run.day)  \(Figures.grouped(run.rows).leftPadded(to: rowsWidth)) rows  \(ok ? "ok    " : "failed")  \(run.startedBy)"
            grid.write(text, in: inner.row(index), style: context.style(ok ? .text : .negative), glyphs: context.glyphs)
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
