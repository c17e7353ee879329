import BakeryCore
import Foundation

/// One client's cookie-sync pairs, paged from the store by keyset however large the table, sorted by last seen or
/// cookie id, searched by cookie id or DA id prefix, with a lineage panel that follows the selected cookie to its DA
/// id, the graph's hashed identifiers, the client's CRM records and yesterday's export file.
@MainActor
public final class SyncTableView: ConsoleView {
    public let kind = "sync"
    public let title = "sync"
    public let acceptsFilter = true
    let environment: ConsoleEnvironment
    let client: Client
    private(set) var pager: KeysetPager<SyncPair>
    private(set) var query: SyncPairQuery
    private var search = ""
    /// The lineage of the selected pair, loaded whenever the selection settles on another pair.
    let lineage: BackgroundLoad<SyncLineage>
    private var lineageOf: SyncPair?
    private var tableRect = Rect(x: 0, y: 0, width: 0, height: 0)
    /// An erasure the operator confirmed, until it has committed.
    private var erasing: Task<Void, Never>?

    public init(environment: ConsoleEnvironment, client: Client) {
        self.environment = environment
        self.client = client
        query = SyncPairQuery(clientID: client.id)
        lineage = BackgroundLoad(environment, what: "trace the lineage of a cookie of \(client.id)")
        pager = KeysetPager(
            columns: Self.columns(for: client), source: Self.source(environment, query),
            sort: Self.sort(of: query.order), row: Self.row(client),
            changed: { [weak environment] in environment?.setNeedsDisplay() })
    }

    /// The day whose file the lineage checks: yesterday, the newest nightly file.
    var exportDay: Day { Day(environment.now()).adding(days: -1) }

    public var keyBindings: [KeyBinding] {
        [
            KeyBinding(
                [.enter], .open, shortName: "lineage", description: "Open the selected cookie's lineage in full",
                scope: .view(kind)),
            KeyBinding(
                [.character("s")], .sortNext, shortName: "sort",
                description: "Sort by last seen (newest first) or cookie id", scope: .view(kind)),
            KeyBinding(
                [.character("/")], .filter, shortName: "search",
                description: "Search by cookie id prefix; da:PREFIX searches DA ids", scope: .view(kind),
                requires: .lookup),
            KeyBinding(
                [.character("E")], .custom("erase"), shortName: "erase",
                description: "Erase the selected pair's DA id at every client: a data-subject request (asks first, audited)",
                scope: .view(kind), requires: .administer),
        ]
    }

    public var filterPrompt: String { "/ cookie id, or da:DA id prefix: " }

    public var isBusy: Bool { pager.isFetching || lineage.isRunning || erasing != nil }
    public var runningJob: String? { erasing == nil ? nil : "an erasure" }
    public var isFetchingRows: Bool { pager.isFetchingRows }

    public func stop() {
        pager.stop()
        lineage.reset()
    }

    public func load() async throws {
        await pager.prefetch()
        if let error = pager.error { throw BakeryError.storeFailure(error) }
    }

    // MARK: Query

    /// Pages through the core's `SyncLookup`, which refuses a prefix search to a role without lookups.
    static func source(_ environment: ConsoleEnvironment, _ query: SyncPairQuery) -> KeysetSource<SyncPair> {
        let lookup = SyncLookup(store: environment.store, actor: environment.actor)
        let store = environment.store
        return KeysetSource(
            page: { try await lookup.page(query, page: $0) }, count: { try await store.countSyncPairs(query) })
    }

    static func sort(of order: SyncPairQuery.Order) -> TableSort {
        switch order {
        case .lastSeen: TableSort(column: 4, ascending: false)
        case .cookieID: TableSort(column: 0)
        case .daID: TableSort(column: 1)
        }
    }

    private func requery(_ query: SyncPairQuery) {
        self.query = query
        pager.replaceSource(Self.source(environment, query), sort: Self.sort(of: query.order))
    }

    public func applyFilter(_ text: String) {
        search = text
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("da:") {
            // No DA-id order without a prefix: the DA-id index holds every client's pairs.
            let prefix = String(trimmed.dropFirst(3))
            guard !prefix.isEmpty else { return }
            requery(SyncPairQuery(clientID: client.id, order: .daID, prefix: prefix))
        } else if !trimmed.isEmpty {
            requery(SyncPairQuery(clientID: client.id, order: .cookieID, prefix: trimmed))
        } else {
            requery(SyncPairQuery(clientID: client.id, order: query.order == .daID ? .lastSeen : query.order))
        }
    }

    // MARK: Rows

    static func columns(for client: Client) -> [TableColumn] {
        var columns = [
            TableColumn("Cookie ID", minWidth: 12, maxWidth: 40, priority: 3, readableWidth: 18),
            TableColumn("DA ID", minWidth: 10, maxWidth: 36, priority: 2),
            TableColumn("Site", minWidth: 6, maxWidth: 22, priority: 1),
            TableColumn("First seen", minWidth: 16, maxWidth: 16, priority: 0),
            TableColumn("Last seen", minWidth: 16, maxWidth: 16, priority: 3),
            .numeric("Hits", minWidth: 5, priority: 2),
        ]
        if client.partners.count > 1 { columns.append(TableColumn("Partner", minWidth: 8, maxWidth: 18, priority: 0)) }
        return columns
    }

    static func row(_ client: Client) -> (SyncPair) -> TableRow {
        let partners = client.partners.count > 1
        return { pair in
            var cells = [
                TableCell(pair.cookieID), TableCell(pair.daID), TableCell(pair.site ?? "–", tone: pair.site == nil ? .muted : .normal),
                TableCell(Figures.minute(pair.firstSeen), tone: .muted), TableCell(Figures.minute(pair.lastSeen)),
                TableCell(Figures.grouped(pair.hits)),
            ]
            if partners { cells.append(TableCell(pair.partner)) }
            return TableRow(key: "\(pair.partner)\u{1F}\(pair.cookieID)\u{1F}\(pair.daID)", cells: cells)
        }
    }

    // MARK: Keys

    public func handle(_ action: KeyAction) -> ViewAction {
        if pager.navigate(action) { return .none }
        switch action {
        case .sortNext:
            guard query.effectivePrefix == nil else {
                return .message(ConsoleMessage("a search lists matches in id order; Esc on / clears it first"))
            }
            requery(SyncPairQuery(clientID: client.id, order: query.order == .lastSeen ? .cookieID : .lastSeen))
        case .open:
            guard let pair = pager.selectedItem else { return .none }
            return .push(LineageView(environment: environment, client: client, pair: pair, day: exportDay))
        case .custom("erase"):
            return askToErase()
        default: break
        }
        return .none
    }

    /// Erasure of the selected pair's DA id, after a confirmation that says what goes and what cannot be reached.
    private func askToErase() -> ViewAction {
        guard let pair = pager.selectedItem else { return .message(ConsoleMessage("select a pair first", isError: true)) }
        let dialog = ConfirmationDialog(
            title: "Erase a data subject",
            message: "Erase DA id \(pair.daID) at every client: its sync pairs with their activity and its graph "
                + "edges? Later exports omit it; files already delivered keep it. This cannot be undone and is written "
                + "to the audit log.",
            confirmLabel: "Erase")
        return .confirm(dialog) { [weak self] in
            self?.erase(pair.daID)
            return .message(ConsoleMessage("erasing…"))
        }
    }

    private func erase(_ daID: String) {
        let request = ErasureRequest(subject: .daID(daID), actor: environment.actor, at: environment.now())
        let erasure = Erasure(store: environment.store)
        erasing = Task { [weak self] in
            let message: ConsoleMessage
            do {
                let report = try await erasure.run(request)
                let total = report.clients.values.total
                message = ConsoleMessage(
                    "erased the DA id: \(Figures.grouped(total.syncPairs)) sync pairs at \(report.clients.count) "
                        + "clients, \(Figures.grouped(report.graphEdges)) graph edges")
            } catch {
                message = ConsoleMessage(
                    "erase failed: \((error as? BakeryError)?.localizedDescription ?? "\(error)")", isError: true)
            }
            guard let self else { return }
            self.erasing = nil
            self.lineageOf = nil
            self.lineage.reset()
            self.pager.reload()
            self.environment.post(message)
            self.environment.setNeedsDisplay()
        }
    }

    public func click(at point: Point) -> ViewAction {
        pager.click(at: point, table: tableRect)
        return .none
    }

    // MARK: Drawing

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let rest = grid.heading("\(client.name)  ·  \(client.dmp.displayName)  ·  cookie-sync pairs", in: rect, context: context)
        let (body, status) = rest.splitBottom(1)
        let split = Self.split(body)
        tableRect = split.table
        let empty =
            query.effectivePrefix.map { "No pair's \(query.order == .daID ? "DA id" : "cookie id") starts with '\($0)'." }
            ?? "No cookie has synced for \(client.id) yet."
        pager.render(into: &grid, in: split.table, context: context, empty: empty, failure: "could not read pairs")
        if pager.takeSelectionChange() { followSelection() }
        LineagePanel(lineage: lineage.value, state: lineage.state, pair: pager.selectedItem, day: exportDay)
            .render(into: &grid, in: split.panel, context: context)
        renderStatus(into: &grid, in: status, context: context)
    }

    /// Wide terminals put the lineage beside the table; narrow ones below it.
    static func split(_ body: Rect) -> (table: Rect, panel: Rect) {
        if body.width >= 120 {
            let (table, panel) = body.splitLeft(body.width - 50)
            return (table, panel)
        }
        let (table, panel) = body.splitTop(max(5, body.height * 9 / 20))
        return (table, panel)
    }

    private func followSelection() {
        guard let pair = pager.selectedItem else {
            lineage.reset()
            lineageOf = nil
            return
        }
        guard pair != lineageOf else { return }
        lineageOf = pair
        // A short pause first: paging through rows starts (and cancels) no read per row passed, and the read the
        // operator waits for never shares the cores with a lineage nobody will look at.
        lineage.trace(pair, of: client, day: exportDay, in: environment, after: .milliseconds(120))
    }

    private func renderStatus(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        var parts = [pager.positionText]
        switch query.order {
        case .lastSeen: parts.append("newest first")
        case .cookieID: parts.append("by cookie id")
        case .daID: parts.append("by DA id")
        }
        if let prefix = query.effectivePrefix {
            parts.append("\(query.order == .daID ? "DA id" : "cookie id") starts with '\(prefix)'")
        }
        if pager.isFetching { parts.append(context.spinner) }
        grid.statusLine(parts, in: rect, context: context)
    }
}
