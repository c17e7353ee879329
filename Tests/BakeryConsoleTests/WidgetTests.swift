import Testing

@testable import BakeryConsole

@Suite struct WidgetTests {
    let context = RenderContext(theme: .builtIn, glyphs: .unicode)

    @Test func textInputEditsLikeAShell() {
        var input = TextInput("sync acme")
        let handled = input.handle(.control("w"))
        #expect(handled)
        #expect(input.text == "sync ")
        for character in "nordic" { _ = input.handle(.character(character)) }
        _ = input.handle(.home)
        _ = input.handle(.delete)
        #expect(input.text == "ync nordic")
        _ = input.handle(.end)
        _ = input.handle(.left)
        _ = input.handle(.backspace)
        #expect(input.text == "ync nordc")
        #expect(input.cursor == 8)
        _ = input.handle(.control("u"))
        #expect(input.text == "c")
        #expect(input.cursor == 0)
        let enterHandled = input.handle(.enter)
        #expect(!enterHandled)
    }

    @Test func commandCompletionCompletesNamesThenArguments() {
        var prompt = CommandPrompt()
        _ = prompt.edit(.character("c"))
        let commands = ["clients", "client", "theme", "q"]
        let arguments: (String) -> [String] = { $0 == "client" ? ["acme", "nordic-bank"] : [] }
        prompt.complete(commands: commands, arguments: arguments)
        #expect(prompt.input.text == "client")
        #expect(prompt.candidates == ["client", "clients"])
        _ = prompt.edit(.character(" "))
        _ = prompt.edit(.character("n"))
        prompt.complete(commands: commands, arguments: arguments)
        #expect(prompt.input.text == "client nordic-bank ")
        #expect(prompt.words == ["client", "nordic-bank"])
    }

    @Test func columnsShrinkWidestFirstThenDropFromTheRight() {
        let columns = [
            TableColumn("Name", minWidth: 6), .numeric("Records", minWidth: 7), TableColumn("Note", minWidth: 10),
        ]
        #expect(ColumnLayout.widths(for: columns, contentWidths: [20, 9, 12], available: 60) == [35, 9, 12])
        // Figures keep their width; the text columns give way.
        #expect(ColumnLayout.widths(for: columns, contentWidths: [20, 9, 12], available: 30) == [7, 9, 10])
        #expect(ColumnLayout.widths(for: columns, contentWidths: [20, 9, 12], available: 20) == [9, 9, 0])
    }

    @Test func lowPriorityTextColumnsShrinkBeforeNames() {
        let columns = [
            TableColumn("Client", minWidth: 14, priority: 3), TableColumn("Partner", minWidth: 8, priority: 0),
            .numeric("Records", minWidth: 7, priority: 3),
        ]
        // 22 + 18 + 7 + gaps = 51 wanted, 45 available: the partner key gives up all 6 cells, the name none.
        #expect(ColumnLayout.widths(for: columns, contentWidths: [22, 18, 7], available: 45) == [22, 12, 7])
    }

    @Test func lowPriorityColumnsAreHiddenFirst() {
        let columns = [
            TableColumn("Name", minWidth: 6, priority: 3), TableColumn("Partner", minWidth: 8, priority: 0),
            .numeric("Records", minWidth: 7, priority: 2),
        ]
        #expect(ColumnLayout.widths(for: columns, contentWidths: [10, 12, 9], available: 20) == [9, 0, 9])
    }

    @Test func sparklineScalesToTheLargestValue() {
        #expect(Sparkline(values: [0, 1, 2, 3, 4, 5, 6, 7]).text(width: 8, glyphs: .unicode) == "▁▂▃▄▅▆▇█")
        #expect(Sparkline(values: [0, 7, 7]).text(width: 2, glyphs: .ascii) == "##")
        #expect(Sparkline(values: []).text(width: 5, glyphs: .unicode) == "")
    }

    @Test func confirmationDefaultsToNo() {
        var dialog = ConfirmationDialog(title: "Run export", message: "Export acme now?")
        #expect(dialog.handle(.enter) == .cancelled)
        #expect(dialog.handle(.right) == .pending)
        #expect(dialog.handle(.enter) == .confirmed)
        #expect(dialog.handle(.character("n")) == .cancelled)
    }

    @Test(arguments: [("unicode", Glyphs.unicode), ("ascii", Glyphs.ascii)])
    func widgetGallery(name: String, glyphs: Glyphs) {
        let context = RenderContext(theme: .builtIn, glyphs: glyphs)
        var grid = Grid(width: 80, height: 24)
        let table = Table(
            columns: [
                TableColumn("Client", minWidth: 8), .numeric("Records"),
                TableColumn("Status", minWidth: 6, maxWidth: 8),
            ],
            rows: [
                TableRow(key: "a", cells: ["Acme Retail", "120,000", TableCell("ok", tone: .positive)]),
                TableRow(key: "b", cells: ["北欧銀行 Nordic", "2,500,000", TableCell("failed", tone: .negative)]),
                nil,
            ],
            selectedIndex: 1, sort: TableSort(column: 1, ascending: false), total: 3)
        table.render(into: &grid, in: Rect(x: 0, y: 0, width: 40, height: 4), context: context)
        Sparkline(values: (0..<30).map { Double($0 % 9) }).render(
            into: &grid, in: Rect(x: 42, y: 0, width: 30, height: 1), context: context)
        BarChart(values: [1, 2, 3, 5, 8, 13, 21, 13, 8, 5], barWidth: 2).render(
            into: &grid, in: Rect(x: 42, y: 1, width: 20, height: 4), context: context)
        ProgressBar(fraction: 0.45, label: "12,345 rows  3,200/s  ETA 0:42").render(
            into: &grid, in: Rect(x: 0, y: 6, width: 80, height: 1), context: context)
        var input = TextInput("client ac")
        _ = input.handle(.left)
        input.render(into: &grid, in: Rect(x: 0, y: 8, width: 30, height: 1), prompt: ":", context: context)
        ListBox(items: ["2026-11-28  add  9,870 ok", "2026-11-20  replace  120,000 ok"], selectedIndex: 0)
            .render(into: &grid, in: Rect(x: 40, y: 8, width: 40, height: 2), context: context)
        ConfirmationDialog(
            title: "Run export",
            message: "Write today's delta export for Acme Retail (48,211 rows) and send it to the DMP?"
        )
        .render(into: &grid, in: Rect(x: 0, y: 10, width: 80, height: 12), context: context)
        HeaderBar(breadcrumbs: ["Clients", "acme"], database: "bakery.sqlite", role: "ops", isLoading: true)
            .render(into: &grid, in: Rect(x: 0, y: 22, width: 80, height: 1), context: context)
        FooterBar(hints: KeyMap.global, message: ConsoleMessage("theme: light"))
            .render(into: &grid, in: Rect(x: 0, y: 23, width: 80, height: 1), context: context)
        assertSnapshot(grid.plainText, named: "widgets-\(name)")
    }
}
