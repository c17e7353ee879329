import BakeryCore

/// A box with a client's daily match rate as a bar chart, low / high / now in its title, and the first and last
/// day under the bars. Used by the Client view and by the Clients view's preview of the selected client.
struct MatchTrendBox {
    var snapshots: [MatchSnapshot]
    /// Put before "match rate" in the title: a client's name where the box is not already about one client.
    var subject: String?

    init(snapshots: [MatchSnapshot], subject: String? = nil) {
        self.snapshots = snapshots
        self.subject = subject
    }

    func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        let rates = snapshots.map(\.matchRate)
        let summary =
            rates.isEmpty
            ? ""
            : ": low \(Figures.percent(rates.min()!)), high \(Figures.percent(rates.max()!)), now \(Figures.percent(rates.last!))"
        let title = subject.map { "\($0) · match rate, last 30 days" } ?? "Match rate, last 30 days"
        grid.drawBox(
            rect, style: context.style(.border), glyphs: context.glyphs, title: title + summary,
            titleStyle: context.style(.title))
        let inner = rect.inset(by: 1).inset(byColumns: 1)
        guard !rates.isEmpty else {
            grid.write(
                "No daily match snapshots stored for this client yet.", in: inner.row(0),
                style: context.style(.muted), glyphs: context.glyphs)
            return
        }
        let (chart, axis) = inner.splitBottom(1)
        // Bars widen with the terminal (up to 8 cells) so the 30 days span the box rather than its left half.
        let barWidth = max(1, min(8, chart.width / max(1, rates.count)))
        BarChart(values: rates, barWidth: barWidth).render(into: &grid, in: chart, context: context)
        if let first = snapshots.first, let last = snapshots.last {
            grid.write(first.day.description, x: axis.x, y: axis.y, style: context.style(.muted), clip: axis)
            let end = last.day.description
            let shownWidth = min(rates.count, chart.width / barWidth) * barWidth
            grid.write(
                end, x: max(axis.x, axis.x + shownWidth - DisplayWidth.of(end)), y: axis.y,
                style: context.style(.muted), clip: axis)
        }
    }
}
