import BakeryCore
import Foundation

/// The Exports view's screen: the ledger, the panel (a run, a preview, a diff, the last run) and the status line.
extension ExportsView {
    // MARK: Drawing

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let name = client.map { "\($0.name)  ·  \($0.dmp.displayName)  ·  export history" } ?? "Export history, all clients"
        let rest = grid.heading(name, in: rect, context: context)
        let (body, status) = rest.splitBottom(1)
        // The panel gets what a run's details, a preview's first rows or a diff's examples need; the ledger the rest.
        let (table, panel) = body.splitBottom(min(14, max(7, body.height * 2 / 5)))
        tableRect = table
        pager.render(
            into: &grid, in: table, context: context,
            empty: "No export has run yet\(client.map { " for \($0.id)" } ?? ""); x runs one now.",
            failure: "could not read the ledger")
        TextPanel(title: panelTitle, lines: panelLines(context)).render(into: &grid, in: panel, context: context)
        renderStatus(into: &grid, in: status, context: context)
    }

    private var panelTitle: String {
        switch detail {
        case .selected: "Run"
        case .preview: "Preview (nothing written)"
        case .diff: "Against the day before"
        case .finished: "Last run"
        }
    }

    private func panelLines(_ context: RenderContext) -> [TextPanel.Line] {
        switch detail {
        case .selected: return pager.selectedItem.map(Self.lines(for:)) ?? [TextPanel.Line("No run selected.", .muted)]
        case .preview: return Self.lines(preview.state, spinner: context.spinner, Self.lines(for:))
        case .diff: return Self.lines(diff.state, spinner: context.spinner, Self.lines(for:))
        case .finished(let lines): return lines.map { TextPanel.Line($0, $0.contains("FAILED") ? .negative : .text) }
        }
    }

    static func lines<Value>(
        _ state: BackgroundLoad<Value>.State, spinner: String, _ body: (Value) -> [TextPanel.Line]
    ) -> [TextPanel.Line] {
        switch state {
        case .idle, .running: [TextPanel.Line("\(spinner) reading the day's pairs…", .muted)]
        case .failed(let message): [TextPanel.Line(message, .error, wraps: true)]
        case .done(let value): body(value)
        }
    }

    static func lines(for run: ExportRun) -> [TextPanel.Line] {
        let ok = run.outcome == .succeeded
        var lines = [
            TextPanel.Line([
                .init("\(run.clientID) · \(run.day) · "), .init(ok ? "succeeded" : "failed", ok ? .positive : .negative, bold: true),
                .init("  run #\(run.id ?? 0) by \(run.startedBy)", .muted),
            ]),
            TextPanel.Line(
                "\(Figures.grouped(run.rows)) rows · \(Figures.bytes(run.bytes)) · took \(Figures.duration(run.duration)) · "
                    + "finished \(Figures.minute(run.finishedAt))"),
        ]
        if let file = run.file { lines.append(TextPanel.Line([.init("file    ", .muted), .init(file)])) }
        if let sha = run.sha256 { lines.append(TextPanel.Line([.init("sha256  ", .muted), .init(sha)])) }
        if let message = run.message { lines.append(TextPanel.Line(message, .negative, wraps: true)) }
        if let delivery = run.delivery {
            let ok = delivery.status == .delivered
            lines.append(
                TextPanel.Line([
                    .init("sent    ", .muted), .init(ok ? "delivered" : "delivery failed", ok ? .positive : .negative, bold: true),
                    .init(" \(Figures.minute(delivery.at)) · attempt \(delivery.attempts) · \(delivery.uri)", .muted),
                ]))
            if let message = delivery.message { lines.append(TextPanel.Line(message, .negative, wraps: true)) }
        }
        return lines
    }

    static func lines(for preview: DeltaExport.Preview) -> [TextPanel.Line] {
        [
            TextPanel.Line("\(preview.client) \(preview.day): \(Figures.grouped(preview.rows)) rows, "
                + "\(Figures.grouped(preview.cookies)) cookies, \(Figures.grouped(preview.records)) records", .text, bold: true),
            TextPanel.Line(preview.sample.isEmpty ? "no pairs that day" : "first rows, cookie id → record id", .muted),
        ] + preview.sample.map { TextPanel.Line("  \($0.cookieID) → \($0.recordID)") }
    }

    static func lines(for diff: ExportDiff) -> [TextPanel.Line] {
        var lines = [
            TextPanel.Line(
                "\(diff.client) \(diff.day) against \(diff.previous): \(Figures.grouped(diff.cookies)) cookies "
                    + "(was \(Figures.grouped(diff.previousCookies)))", .text, bold: true),
            TextPanel.Line([
                .init("\(Figures.change(diff.added)) added", .positive), .init(" · "),
                .init("\(Figures.change(-diff.dropped)) dropped", .negative), .init(" · "),
                .init("\(Figures.grouped(diff.changed)) with other record ids"), .init(" · "),
                .init("\(Figures.grouped(diff.unchanged)) unchanged", .muted),
            ]),
        ]
        lines += diff.sampleAdded.map { TextPanel.Line("  + \($0.cookieID) → \($0.recordID)", .positive) }
        lines += diff.sampleDropped.map { TextPanel.Line("  - \($0.cookieID) (was \($0.recordID))", .negative) }
        lines += diff.sampleChanged.map {
            TextPanel.Line("  ~ \($0.cookieID): \($0.before.joined(separator: ", ")) → \($0.after.joined(separator: ", "))")
        }
        return lines
    }

    private func renderStatus(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        var parts: [String] = []
        if let progress {
            let seconds = progress.started.duration(to: .now).seconds
            let done = progress.jobs > 1 ? "\(progress.jobsDone) of \(progress.jobs) done" : "\(Figures.grouped(progress.rows)) rows"
            parts.append("\(context.spinner) exporting \(progress.label): \(done), \(Figures.duration(seconds))")
        }
        parts.append(pager.positionText)
        grid.statusLine(parts, in: rect, context: context, role: progress == nil ? .muted : .message)
    }
}
