import BakeryCore
import Foundation

/// The lineage of one sync pair as panel lines: cookie → DA id → the graph's hashed identifiers → the client's CRM
/// records → the day's export file, and the verdict in one sentence. Used beside the sync table and full screen.
struct LineagePanel {
    var lineage: SyncLineage?
    var state: BackgroundLoad<SyncLineage>.State
    var pair: SyncPair?
    var day: Day
    var scroll = 0

    func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let title = pair.map { "Lineage of \($0.cookieID)" } ?? "Lineage"
        TextPanel(title: title, lines: lines(glyphs: context.glyphs, spinner: context.spinner), scroll: scroll)
            .render(into: &grid, in: rect, context: context)
    }

    func lines(glyphs: Glyphs, spinner: String) -> [TextPanel.Line] {
        guard let pair else { return [TextPanel.Line("Select a pair to follow it.", .muted)] }
        guard let lineage, lineage.pair == pair else {
            if case .failed(let message) = state {
                return [TextPanel.Line("Could not trace it: \(message)", .error, wraps: true)]
            }
            return [TextPanel.Line("\(spinner) tracing \(pair.cookieID)…", .muted)]
        }
        return Self.lines(lineage, glyphs: glyphs)
    }

    static func lines(_ lineage: SyncLineage, glyphs: Glyphs) -> [TextPanel.Line] {
        typealias Line = TextPanel.Line
        typealias Segment = TextPanel.Segment
        let pair = lineage.pair
        let decided = lineage.verdict
        let good: Bool = if case .inFile = decided { true } else { false }
        var lines: [Line] = [
            Line([Segment(good ? glyphs.yes + " " : glyphs.no + " ", good ? .positive : .negative, bold: true),
                  Segment(lineage.explanation, good ? .positive : .negative, bold: true)], wraps: true),
            .blank,
            Line([Segment("Cookie  ", .muted), Segment(pair.cookieID), Segment("  \(pair.partner)", .muted)]),
            Line([Segment("DA id   ", .muted), Segment(pair.daID)]),
            Line([
                Segment("Seen    ", .muted),
                Segment("\(Figures.minute(pair.firstSeen)) → \(Figures.minute(pair.lastSeen)), \(Figures.grouped(pair.hits)) hits"),
            ]),
            Line([Segment("Days    ", .muted), Segment(activity(lineage, glyphs: glyphs))]),
            .blank,
            Line("Graph: \(lineage.identifiers.count) hashed identifier\(lineage.identifiers.count == 1 ? "" : "s")", .title),
        ]
        if lineage.identifiers.isEmpty { lines.append(Line("  none: the DA id was never seen with a hash", .muted)) }
        for edge in lineage.identifiers.prefix(8) {
            lines.append(Line([
                Segment("  " + edge.identifier.kind.rawValue.padded(12), .muted), Segment(short(edge.identifier.hash.hex)),
                Segment("  seen \(Figures.minute(edge.lastSeen).prefix(10))", .muted),
            ]))
        }
        if lineage.identifiers.count > 8 { lines.append(Line("  and \(lineage.identifiers.count - 8) more", .muted)) }
        lines.append(.blank)
        lines.append(Line("CRM records of the client: \(lineage.records.count)", .title))
        if lineage.records.isEmpty && !lineage.identifiers.isEmpty {
            lines.append(Line("  none holds these hashes", .muted))
        }
        for match in lineage.records.prefix(8) {
            let upload = match.upload.map { "#\($0.id ?? 0) \($0.fileName) (\($0.mode.rawValue) \(Figures.minute($0.startedAt).prefix(10)))" }
            lines.append(Line([
                Segment("  " + match.recordID.padded(14)), Segment(match.identifier.kind.rawValue.padded(12), .muted),
                Segment(match.active ? "active  " : "removed ", match.active ? .positive : .negative),
                Segment(upload ?? "not from an upload", .muted),
            ]))
        }
        if lineage.records.count > 8 { lines.append(Line("  and \(lineage.records.count - 8) more", .muted)) }
        lines.append(.blank)
        lines.append(Line("Export of \(lineage.day)", .title))
        lines.append(Line(exportLine(lineage), .text, wraps: true))
        return lines
    }

    /// `3 of the last 30 days: 11-28 (4), 11-27 (1) …`; marks whether the export day is among them.
    static func activity(_ lineage: SyncLineage, glyphs: Glyphs) -> String {
        let days = lineage.activity.keys.sorted(by: >)
        guard !days.isEmpty else { return "none in the last \(SyncLineage.activityDays) days" }
        let listed = days.prefix(4).map { "\(String($0.description.dropFirst(5))) (\(lineage.activity[$0]!))" }
        let seenOnDay = lineage.activity[lineage.day] != nil
        return "\(days.count) of the last \(SyncLineage.activityDays): " + listed.joined(separator: ", ")
            + (days.count > 4 ? " …" : "") + "  \(seenOnDay ? glyphs.yes : glyphs.no) \(lineage.day)"
    }

    static func exportLine(_ lineage: SyncLineage) -> String {
        guard let run = lineage.run else { return "  no run yet" }
        let ran = "  \(run.outcome == .succeeded ? "written" : "failed") \(Figures.minute(run.finishedAt)) by \(run.startedBy)"
        switch lineage.file {
        case .found(let ids): return ran + ", \(Figures.grouped(run.rows)) rows; the file holds the cookie with " + ids.joined(separator: ", ")
        case .absent: return ran + ", \(Figures.grouped(run.rows)) rows; the file does not hold the cookie"
        case .notChecked(let reason): return ran + (run.outcome == .succeeded ? "; not checked: \(reason)" : ": \(run.message ?? "")")
        }
    }

    /// `a7df77a9…4adba`: enough of a hash to tell it apart.
    static func short(_ hex: String) -> String { String(hex.prefix(8)) + "…" + String(hex.suffix(5)) }
}

/// The lineage of one pair on a screen of its own (Enter in the sync table), scrollable.
@MainActor
final class LineageView: ConsoleView {
    let kind = "lineage"
    let title = "lineage"
    private let environment: ConsoleEnvironment
    private let client: Client
    private let pair: SyncPair
    private let day: Day
    private let lineage: BackgroundLoad<SyncLineage>
    private var scroll = 0

    init(environment: ConsoleEnvironment, client: Client, pair: SyncPair, day: Day) {
        self.environment = environment
        self.client = client
        self.pair = pair
        self.day = day
        lineage = BackgroundLoad(environment, what: "trace the lineage of a cookie of \(client.id)")
    }

    var isBusy: Bool { lineage.isRunning }
    func stop() { lineage.reset() }

    func load() async throws {
        lineage.trace(pair, of: client, day: day, in: environment)
        await lineage.settle()
    }

    func handle(_ action: KeyAction) -> ViewAction {
        switch action {
        case .down: scroll += 1
        case .up: scroll = max(0, scroll - 1)
        case .pageDown: scroll += 10
        case .pageUp: scroll = max(0, scroll - 10)
        case .top: scroll = 0
        default: break
        }
        return .none
    }

    func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        LineagePanel(lineage: lineage.value, state: lineage.state, pair: pair, day: day, scroll: scroll)
            .render(into: &grid, in: rect, context: context)
    }
}

extension BackgroundLoad where Value == SyncLineage {
    /// Traces `pair` of `client` for `day`'s file (``SyncLineage/load(store:client:pair:day:now:)``), `delay` first.
    func trace(_ pair: SyncPair, of client: Client, day: Day, in environment: ConsoleEnvironment, after delay: Duration = .zero) {
        let (store, now) = (environment.store, environment.now())
        start {
            if delay > .zero { try await Task.sleep(for: delay) }
            return try await SyncLineage.load(store: store, client: client, pair: pair, day: day, now: now)
        }
    }
}

extension String {
    /// Padded with spaces to at least `width` characters (for short labels that line up).
    func padded(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
