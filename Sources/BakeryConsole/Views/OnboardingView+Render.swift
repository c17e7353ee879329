import BakeryCore
import Foundation

/// The Onboarding view's screens: the client list, the files and the inbox, the review, the progress, the result.
extension OnboardingView {
    // MARK: Drawing

    public func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let body = grid.heading(headingText, in: rect, context: context)
        switch step {
        case .client: renderClients(into: &grid, in: body, context: context)
        case .file: renderFiles(into: &grid, in: body, context: context)
        case .review: renderReview(into: &grid, in: body, context: context)
        case .running: renderRunning(into: &grid, in: body, context: context)
        case .done: renderDone(into: &grid, in: body, context: context)
        }
    }

    var tabTitles: [String] {
        let inboxCount = environment.folders.dropZone == nil ? "not set" : "\(inbox.count)"
        return ["Files  \(browser.relativePath)", "Drop zone inbox (\(inboxCount))"]
    }

    private var headingText: String {
        var parts = ["Onboarding"]
        if let client { parts.append("\(client.name) (\(client.country))") }
        if let picked { parts.append(picked.url.lastPathComponent) }
        if step == .review || step == .running || step == .done { parts.append("mode: \(mode.rawValue)") }
        return parts.joined(separator: "  ·  ")
    }

    private func renderClients(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let (note, list) = rect.splitTop(2)
        grid.write("Which client is the file for?", in: note.row(0).inset(byColumns: 1), style: context.style(.text),
            glyphs: context.glyphs)
        listRect = list
        let rows = clients.map {
            TableRow(key: $0.id, cells: [TableCell($0.id), TableCell($0.name), TableCell($0.country), TableCell($0.dmp.displayName)])
        }
        clientSelection.table(
            columns: [
                TableColumn("Client", minWidth: 8, maxWidth: 24, priority: 3), TableColumn("Name", minWidth: 10, priority: 2),
                TableColumn("CC", minWidth: 2, maxWidth: 2), TableColumn("DMP", minWidth: 6, maxWidth: 13),
            ], rows: rows, height: list.height
        ).render(into: &grid, in: list, context: context)
    }

    private func renderFiles(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let (tabs, rest) = rect.splitTop(2)
        tabsRect = tabs.row(0)
        TabBar(titles: tabTitles, selected: tab == .files ? 0 : 1).render(into: &grid, in: tabsRect, context: context)
        let (list, status) = rest.splitBottom(1)
        listRect = list
        switch tab {
        case .files:
            let rows = browser.rows()
            browser.selection.table(columns: FileBrowser.columns, rows: rows, height: list.height)
                .render(into: &grid, in: list, context: context)
            let text = browser.error ?? (rows.isEmpty ? "No folder or .csv, .csv.gz or .zip file here." : nil)
            if let text {
                grid.tableNote(text, in: list, context: context, role: browser.error == nil ? .muted : .error)
            }
            grid.statusLine(["uploads folder: \(browser.root.path)"], in: status, context: context)
        case .dropZone:
            let rows = inbox.map { waiting in
                TableRow(key: waiting.location + waiting.file.relativePath, cells: [
                    TableCell(URL(fileURLWithPath: waiting.file.relativePath).lastPathComponent),
                    TableCell(waiting.location == localInbox ? "drop zone" : waiting.location, tone: .muted),
                    TableCell(waiting.file.audience), TableCell(waiting.clientID ?? "unknown", tone: waiting.clientID == nil ? .negative : .normal),
                    TableCell(waiting.file.mode.rawValue), TableCell(Figures.bytes(waiting.bytes)),
                ])
            }
            inboxSelection.table(
                columns: [
                    TableColumn("File", minWidth: 12, priority: 3), TableColumn("From", minWidth: 9, maxWidth: 40, priority: 0),
                    TableColumn("Audience", minWidth: 8, maxWidth: 14, priority: 1),
                    TableColumn("Client", minWidth: 6, maxWidth: 16, priority: 2), TableColumn("Mode", minWidth: 7, maxWidth: 7),
                    .numeric("Size", minWidth: 7),
                ], rows: rows, height: list.height
            ).render(into: &grid, in: list, context: context)
            let text =
                environment.folders.dropZone == nil && inboxLocations == 0
                ? "No drop zone or intake location: add drop_zone = \"/path\" to the console settings file, or "
                    + "`bakery storage add CLIENT intake URL`."
                : rows.isEmpty ? "Nothing waiting in onboard/." : nil
            if let text {
                grid.tableNote(text, in: list, context: context)
            }
            if let problem = inboxProblems.first {
                grid.statusLine(["cannot read \(problem)"], in: status, context: context, role: .error)
            } else {
                grid.statusLine(
                    ["drop zone: \(environment.folders.dropZone?.path ?? "not set")", "intake locations: \(inboxLocations)"],
                    in: status, context: context)
            }
        }
    }

    private func renderReview(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let reportHeight = dryRun == nil && outcome == nil ? 4 : max(8, rect.height / 2)
        let (top, report) = rect.splitBottom(min(reportHeight, rect.height - 6))
        let columnsWidth = min(34, top.width * 2 / 5)
        let (columnsBox, samplesBox) = top.splitLeft(columnsWidth)
        switch preview.state {
        case .done(let file):
            TextPanel(title: "Columns", lines: Self.columnLines(file)).render(into: &grid, in: columnsBox, context: context)
            TextPanel(title: "First rows, hashed (values masked)", lines: Self.sampleLines(file))
                .render(into: &grid, in: samplesBox, context: context)
        case .failed(let message):
            TextPanel(title: "This file cannot be uploaded", lines: [TextPanel.Line(message, .error, wraps: true)])
                .render(into: &grid, in: top, context: context)
        case .idle, .running:
            TextPanel(title: "Columns", lines: [TextPanel.Line("\(context.spinner) reading the file…", .muted)])
                .render(into: &grid, in: top, context: context)
        }
        let lines: [TextPanel.Line]
        if let dryRun {
            lines = Self.summaryLines(dryRun, firstLine: "Dry run: nothing was stored")
        } else if case .failed(let message) = outcome {
            lines = [TextPanel.Line("The dry run failed: \(message)", .error, wraps: true)]
        } else if case .cancelled = outcome {
            lines = [TextPanel.Line("The dry run was cancelled.", .muted)]
        } else {
            lines = [TextPanel.Line(
                "d: dry run — the validation report and the match-rate impact, computed and rolled back. "
                    + "u: upload \(mode == .replace ? "(type the client id to confirm a replace)" : "(asks first)").",
                .muted, wraps: true)]
        }
        TextPanel(title: "Validation and impact", lines: lines).render(into: &grid, in: report, context: context)
    }

    private func renderRunning(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        guard let running else { return }
        let box = rect.centered(width: min(rect.width - 4, 76), height: 8)
        let elapsed = running.started.duration(to: ContinuousClock.now).seconds
        let fraction = running.progress.fraction
        let rate = elapsed > 0 ? Double(running.progress.rows) / elapsed : 0
        let eta = fraction > 0.01 ? elapsed * (1 - fraction) / fraction : .nan
        let what = running.dryRun ? "Dry run of" : "Uploading"
        var lines = [
            TextPanel.Line("\(what) \(picked?.url.lastPathComponent ?? "") for \(client?.id ?? "") (\(mode.rawValue))", .text, bold: true),
            .blank, .blank,
            TextPanel.Line(
                "\(Figures.grouped(running.progress.rows)) rows · \(Figures.rate(rate)) · \(Figures.duration(elapsed)) · "
                    + "ETA \(eta.isFinite ? Figures.duration(eta) : "–")"),
        ]
        lines.append(TextPanel.Line(
            running.cancelling ? "\(context.spinner) cancelling: rolling back…" : "c cancels: nothing of it is stored",
            .muted))
        TextPanel(title: running.dryRun ? "Dry run" : "Upload", lines: lines).render(into: &grid, in: box, context: context)
        ProgressBar(fraction: fraction).render(into: &grid, in: box.inset(by: 1).inset(byColumns: 1).row(2), context: context)
    }

    private func renderDone(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let lines: [TextPanel.Line]
        switch outcome {
        case .applied(let summary, let disposition):
            var body = Self.summaryLines(summary, firstLine: "Uploaded: upload #\(summary.uploadID ?? 0) is stored")
            if let disposition { body.append(TextPanel.Line("The drop-zone file: \(disposition).", .muted)) }
            if plainFileLeft {
                body.append(TextPanel.Line(
                    "\(picked?.url.lastPathComponent ?? "The file") still holds plain personal data: D deletes it.",
                    .negative, wraps: true))
            }
            lines = body
        case .failed(let message):
            lines = [TextPanel.Line("The upload failed; nothing was stored.", .negative, bold: true),
                     TextPanel.Line(message, .error, wraps: true)]
        case .cancelled:
            lines = [TextPanel.Line("The upload was cancelled; nothing was stored.", .text, bold: true),
                     TextPanel.Line("The client's records are exactly as they were.", .muted)]
        case nil:
            lines = []
        }
        TextPanel(title: "Result", lines: lines).render(into: &grid, in: rect, context: context)
    }

    // MARK: Lines

    static func columnLines(_ file: CRMFilePreview) -> [TextPanel.Line] {
        file.columns.map { column in
            TextPanel.Line([
                TextPanel.Segment(column.name.padded(16)),
                column.mapped.map { TextPanel.Segment($0 == .custom ? "→ record id" : "→ \($0.rawValue)", .positive) }
                    ?? TextPanel.Segment("ignored", .muted),
            ])
        } + [.blank, TextPanel.Line("\(Figures.bytes(file.bytes)) on disk", .muted)]
    }

    static func sampleLines(_ file: CRMFilePreview) -> [TextPanel.Line] {
        var lines: [TextPanel.Line] = []
        for sample in file.samples {
            switch sample.outcome {
            case .accepted(let recordID, let identifiers):
                lines.append(TextPanel.Line([
                    TextPanel.Segment("row \(sample.row)  ", .muted), TextPanel.Segment("record \(recordID.count == 64 ? LineagePanel.short(recordID) : recordID)"),
                ]))
                let masked = Dictionary(sample.masked, uniquingKeysWith: { first, _ in first })
                for identifier in identifiers {
                    let value = file.columns.first { $0.mapped?.kind == identifier.kind }.flatMap { masked[$0.name] } ?? ""
                    lines.append(TextPanel.Line([
                        TextPanel.Segment("  " + identifier.kind.rawValue.padded(9), .muted), TextPanel.Segment(value.padded(17)),
                        TextPanel.Segment("→ " + LineagePanel.short(identifier.hash.hex), .positive),
                    ]))
                }
            case .rejected(let reason, let column):
                lines.append(TextPanel.Line([
                    TextPanel.Segment("row \(sample.row)  ", .muted),
                    TextPanel.Segment("rejected: \(reason.rawValue)\(column.map { " (\($0))" } ?? "")", .negative),
                ]))
            }
        }
        return lines.isEmpty ? [TextPanel.Line("no data rows", .muted)] : lines
    }

    /// Accepted, rejected by reason with row numbers, duplicates, records and matches before and after.
    static func summaryLines(_ summary: OnboardingSummary, firstLine: String) -> [TextPanel.Line] {
        var lines = [
            TextPanel.Line(firstLine, .text, bold: true),
            TextPanel.Line(
                "\(Figures.grouped(summary.rows)) rows in \(Figures.duration(summary.seconds)): "
                    + "\(Figures.grouped(summary.accepted)) accepted, \(Figures.grouped(summary.rejectedTotal)) rejected, "
                    + "\(Figures.grouped(summary.duplicates)) duplicates"),
        ]
        for (reason, count) in summary.rejected.sorted(by: { ($1.value, $0.key.rawValue) < ($0.value, $1.key.rawValue) }) {
            let rows = summary.firstRejections.filter { $0.reason == reason }.prefix(6).map { "\($0.row)" }
            lines.append(TextPanel.Line([
                TextPanel.Segment("  \(reason.rawValue.padded(20))", .negative),
                TextPanel.Segment("\(Figures.grouped(count))  "), TextPanel.Segment("rows \(rows.joined(separator: ", "))\(count > rows.count ? " …" : "")", .muted),
            ]))
        }
        lines.append(TextPanel.Line(
            "records           \(Figures.grouped(summary.recordsBefore)) -> \(Figures.grouped(summary.recordsAfter)) "
                + "(\(Figures.change(summary.recordsAfter - summary.recordsBefore)))"))
        if let impact = summary.matchImpact {
            lines += impact.lines().map { TextPanel.Line($0, .text, bold: $0.hasPrefix("match rate")) }
        }
        if let report = summary.report, summary.rejectedTotal > 0 {
            lines.append(TextPanel.Line("rejected rows (masked): \(report.path)", .muted))
        }
        return lines
    }
}
