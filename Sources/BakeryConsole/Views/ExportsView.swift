import BakeryCore
import Foundation

/// The export ledger of one client or all, newest first: day, outcome, rows, size, duration, who started it. A
/// preview of any day (counts and first rows, nothing written), its difference from the day before, a run now for
/// one client or all with a progress line, and a retry of a failed day.
@MainActor
public final class ExportsView: ConsoleView {
    public let kind = "exports"
    public let title = "exports"
    let environment: ConsoleEnvironment
    /// nil: every client's runs.
    let client: Client?
    private(set) var pager: KeysetPager<ExportRun>
    private(set) var clients: [String: Client] = [:]
    /// What the panel under the table shows.
    private(set) var detail = Detail.selected
    private let export: DeltaExport
    let preview: BackgroundLoad<DeltaExport.Preview>
    let diff: BackgroundLoad<ExportDiff>
    /// The export running now, and what it has done so far.
    private var job: Task<Void, Never>?
    private(set) var progress: Progress?
    /// Where the last frame drew the ledger, for mouse clicks.
    var tableRect = Rect(x: 0, y: 0, width: 0, height: 0)

    /// What the detail panel holds.
    enum Detail: Equatable {
        case selected
        case preview
        case diff
        case finished([String])
    }

    /// A run in progress: what, since when, how far.
    struct Progress {
        var label: String
        var started: ContinuousClock.Instant
        var rows = 0
        var jobsDone = 0
        var jobs: Int
    }

    public init(environment: ConsoleEnvironment, client: Client?) {
        self.environment = environment
        self.client = client
        export = DeltaExport(store: environment.store, root: environment.folders.exports, now: environment.now)
        preview = BackgroundLoad(environment, what: "preview an export")
        diff = BackgroundLoad(environment, what: "compare two exports")
        let query = ExportRunQuery(clientID: client?.id)
        let store = environment.store
        pager = KeysetPager(
            columns: Self.columns(allClients: client == nil),
            source: KeysetSource(page: { try await store.exportRuns(query, page: $0) }),
            row: Self.row(allClients: client == nil),
            changed: { [weak environment] in environment?.setNeedsDisplay() })
    }

    public var keyBindings: [KeyBinding] {
        var bindings = [
            KeyBinding(
                [.character("p")], .custom("preview"), shortName: "preview",
                description: "Preview the selected day's export: counts and first rows, nothing written",
                scope: .view(kind), requires: .preview),
            KeyBinding(
                [.character("d")], .custom("diff"), shortName: "diff",
                description: "Compare the selected day's export with the day before", scope: .view(kind),
                requires: .preview),
            KeyBinding(
                [.character("x")], .custom("run"), shortName: "run now",
                description: "Run an export now, for one client or all (asks which day)", scope: .view(kind),
                requires: .export),
            KeyBinding(
                [.character("R")], .custom("retry"), shortName: "retry",
                description: "Run the selected failed day again", scope: .view(kind), requires: .export),
            KeyBinding(
                [.enter], .open, shortName: "details", description: "Show the selected run's details",
                scope: .view(kind)),
        ]
        if job != nil {
            bindings.insert(
                KeyBinding(
                    [.character("c")], .custom("cancel"), shortName: "cancel run",
                    description: "Cancel the export that is running", scope: .view(kind)), at: 0)
        }
        return bindings
    }

    public var isBusy: Bool { pager.isFetching || preview.isRunning || diff.isRunning || job != nil }
    public var runningJob: String? { job == nil ? nil : "an export" }

    public func stop() {
        pager.stop()
        preview.reset()
        diff.reset()
    }

    public func load() async throws {
        clients = Dictionary(uniqueKeysWithValues: try await environment.store.clients().map { ($0.id, $0) })
        await pager.prefetch()
        if let error = pager.error { throw BakeryError.storeFailure(error) }
    }

    var yesterday: Day { Day(environment.now()).adding(days: -1) }

    // MARK: Rows

    static func columns(allClients: Bool) -> [TableColumn] {
        var columns = [
            TableColumn("Day", minWidth: 10, maxWidth: 10, priority: 3),
            TableColumn("Status", minWidth: 6, maxWidth: 9, priority: 3),
            TableColumn("Sent", minWidth: 4, maxWidth: 9, priority: 2),
            .numeric("Rows", minWidth: 6, priority: 3),
            .numeric("Size", minWidth: 6, priority: 1),
            .numeric("Took", minWidth: 5, priority: 1),
            TableColumn("By", minWidth: 6, maxWidth: 12, priority: 2),
            TableColumn("Finished", minWidth: 11, maxWidth: 11, priority: 2),
            TableColumn("SHA-256", minWidth: 12, maxWidth: 12, priority: 0),
            TableColumn("File", minWidth: 10, maxWidth: 40, priority: 0),
        ]
        if allClients { columns.insert(TableColumn("Client", minWidth: 8, maxWidth: 20, priority: 3), at: 0) }
        return columns
    }

    static func row(allClients: Bool) -> (ExportRun) -> TableRow {
        { run in
            let ok = run.outcome == .succeeded
            var cells = [
                TableCell(run.day.description), TableCell(ok ? "ok" : "failed", tone: ok ? .positive : .negative),
                Self.deliveryCell(run.delivery),
                TableCell(Figures.grouped(run.rows)), TableCell(ok ? Figures.bytes(run.bytes) : "–", tone: ok ? .normal : .muted),
                TableCell(Figures.duration(run.duration)), TableCell(run.startedBy),
                TableCell(Figures.shortMinute(run.finishedAt)),
                TableCell(run.sha256.map { String($0.prefix(12)) } ?? "–", tone: .muted),
                TableCell(run.localFile.map(\.lastPathComponent) ?? (run.message ?? "–"), tone: .muted),
            ]
            if allClients { cells.insert(TableCell(run.clientID), at: 0) }
            return TableRow(key: "\(run.id ?? 0)", cells: cells)
        }
    }

    /// Whether the run reached the client's delivery location: `sent`, `FAILED`, or `–` when it has none.
    static func deliveryCell(_ delivery: ExportRun.Delivery?) -> TableCell {
        switch delivery?.status {
        case .delivered: TableCell("sent", tone: .positive)
        case .failed: TableCell("FAILED", tone: .negative)
        case nil: TableCell("–", tone: .muted)
        }
    }

    // MARK: Actions

    public func handle(_ action: KeyAction) -> ViewAction {
        if pager.navigate(action) { return .none }
        switch action {
        case .open: detail = .selected
        case .custom("preview"): return startPreview()
        case .custom("diff"): return startDiff()
        case .custom("run"): return askToRun()
        case .custom("retry"): return askToRetry()
        case .custom("cancel"): return askToCancel()
        default: break
        }
        return .none
    }

    public func click(at point: Point) -> ViewAction {
        guard pager.click(at: point, table: tableRect) else { return .none }
        detail = .selected
        return .none
    }

    /// The client and day the selected run is about; this view's client and yesterday when the ledger is empty.
    private var target: (Client, Day)? {
        if let run = pager.selectedItem, let owner = clients[run.clientID] { return (owner, run.day) }
        return client.map { ($0, yesterday) }
    }

    private func startPreview() -> ViewAction {
        examine(.preview, into: preview) { export, client, day, actor in
            try await export.preview(clientID: client.id, day: day, by: actor)
        }
    }

    private func startDiff() -> ViewAction {
        examine(.diff, into: diff) { export, client, day, actor in
            try await export.diff(clientID: client.id, day: day, by: actor)
        }
    }

    /// Runs a read about the selected day (a preview, a diff) into `load` and shows it in the panel.
    private func examine<Value: Sendable>(
        _ shown: Detail, into load: BackgroundLoad<Value>,
        _ work: @escaping @Sendable (DeltaExport, Client, Day, Operator) async throws -> Value
    ) -> ViewAction {
        guard let (client, day) = target else { return .message(ConsoleMessage("select a run first", isError: true)) }
        detail = shown
        let (export, actor) = (export, environment.actor)
        load.start { try await work(export, client, day, actor) }
        return .none
    }

    private func askToRun() -> ViewAction {
        guard job == nil else { return .message(ConsoleMessage("an export is already running", isError: true)) }
        let known = clients.keys.sorted()
        let today = Day(environment.now())
        let form = FormDialog(
            title: "Run an export now",
            message: "Which client (or all) and which UTC day. The file goes to \(environment.folders.exports.path) "
                + "and is what the DMP collects.",
            fields: [
                .init("client", value: client?.id ?? "all", suggestions: known + ["all"]),
                .init("day", value: yesterday.description),
            ]
        ) { values in
            if values[0] != "all", !known.contains(values[0]) { return "no client '\(values[0])'" }
            guard let day = Day(iso: values[1]) else { return "the day is YYYY-MM-DD, e.g. 2026-11-28" }
            return day > today ? "\(day) is still to come" : nil
        }
        return .form(form) { [weak self] values in
            guard let self, let day = Day(iso: values[1]) else { return .none }
            let chosen = values[0] == "all" ? self.clients.values.sorted { $0.id < $1.id } : [self.clients[values[0]]!]
            return self.confirmRun(chosen, day: day, verb: "Export")
        }
    }

    private func askToRetry() -> ViewAction {
        guard let run = pager.selectedItem else { return .message(ConsoleMessage("select a failed run", isError: true)) }
        guard run.outcome == .failed else {
            return .message(ConsoleMessage("the \(run.day) export of \(run.clientID) succeeded; x runs it again"))
        }
        guard let owner = clients[run.clientID] else {
            return .message(ConsoleMessage("client \(run.clientID) is gone", isError: true))
        }
        return confirmRun([owner], day: run.day, verb: "Retry")
    }

    private func confirmRun(_ chosen: [Client], day: Day, verb: String) -> ViewAction {
        let who = chosen.count == 1 ? chosen[0].id : "all \(chosen.count) clients"
        let dialog = ConfirmationDialog(
            title: "\(verb) the \(day) export",
            message: "Write the delta file of \(who) for \(day)? A run replaces that day's file and is written to the "
                + "audit log.",
            confirmLabel: verb)
        return .confirm(dialog) { [weak self] in
            self?.run(chosen, day: day)
            return .none
        }
    }

    private func askToCancel() -> ViewAction {
        .confirm(ConfirmationDialog(
            title: "Cancel the export", message: "Stop the export that is running? Its day keeps its last file.",
            confirmLabel: "Stop it")) { [weak self] in
            self?.job?.cancel()
            return .message(ConsoleMessage("cancelling the export…"))
        }
    }

    /// Runs the exports in the background and keeps the progress line and, at the end, the ledger up to date.
    private func run(_ chosen: [Client], day: Day) {
        let (export, actor) = (export, environment.actor)
        progress = Progress(
            label: chosen.count == 1 ? "\(chosen[0].id) \(day)" : "\(chosen.count) clients, \(day)", started: .now,
            jobs: chosen.count)
        detail = .selected
        job = Task { [weak self] in
            let jobs = chosen.map { DeltaExport.Job(client: $0, day: day) }
            let outcomes: [DeltaExport.Outcome]
            if jobs.count == 1 {
                do {
                    let run = try await export.run(client: jobs[0].client, day: day, by: actor) { rows in
                        Task { @MainActor in self?.progress?.rows = rows }
                    }
                    outcomes = [.written(run)]
                } catch {
                    let message = error is CancellationError ? "cancelled" : (error as? BakeryError)?.localizedDescription ?? "\(error)"
                    outcomes = [.failed(client: jobs[0].client.id, day: day, message: message)]
                }
            } else {
                outcomes = await export.perform(jobs, preview: false, by: actor) { done in
                    Task { @MainActor in self?.progress?.jobsDone = done }
                }
            }
            self?.finish(outcomes)
        }
        environment.setNeedsDisplay()
    }

    private func finish(_ outcomes: [DeltaExport.Outcome]) {
        job = nil
        progress = nil
        let lines = outcomes.map { outcome -> String in
            switch outcome {
            case .written(let run):
                "\(run.clientID) \(run.day): \(Figures.grouped(run.rows)) rows, \(Figures.bytes(run.bytes)) in \(Figures.duration(run.duration))"
            case .failed(let client, let day, let message): "\(client) \(day): FAILED — \(message)"
            case .previewed: ""
            }
        }
        detail = .finished(lines)
        let failed = outcomes.filter { if case .failed = $0 { true } else { false } }.count
        environment.post(
            ConsoleMessage(
                failed == 0 ? "export done: \(lines.count) written" : "export: \(failed) of \(lines.count) failed",
                isError: failed > 0))
        pager.reload()
        environment.setNeedsDisplay()
    }
}
