import Testing

@testable import BakeryConsole

/// A source of a million numbered rows that records every query, to prove the table only asks for windows.
actor CountingSource: TableDataSource {
    let count: Int
    let knowsTotal: Bool
    private(set) var queries: [TableQuery] = []

    init(count: Int, knowsTotal: Bool) {
        self.count = count
        self.knowsTotal = knowsTotal
    }

    func rows(for query: TableQuery) async throws -> TablePage {
        queries.append(query)
        let end = min(count, query.offset + query.limit)
        let rows = (query.offset..<max(query.offset, end)).map {
            TableRow(key: "k\($0)", cells: [TableCell("row \($0)")])
        }
        return TablePage(rows: rows, total: knowsTotal ? count : nil)
    }
}

@MainActor
@Suite struct TablePagerTests {
    nonisolated static let rect = Rect(x: 0, y: 0, width: 40, height: 11)

    /// Rows `a`…`e` in the given order.
    static func letters(_ order: String) -> ArrayTableSource {
        ArrayTableSource(
            entries: order.map { letter in
                ArrayTableSource.Entry(
                    row: TableRow(key: String(letter), cells: [TableCell(String(letter))]), sortKeys: [.none])
            })
    }

    @Test func replacingTheSourceKeepsTheSelectedRowWhereverItMoves() async {
        let pager = TablePager(columns: [TableColumn("Letter")], source: Self.letters("abcde"))
        _ = pager.table(for: Self.rect)
        await pager.settle()
        pager.move(by: 1)
        #expect(pager.selectedRow?.key == "b")
        pager.replaceSource(Self.letters("edcba"))
        // Until the new rows land the old ones stay on screen, not placeholders.
        #expect(pager.table(for: Self.rect).rows.first??.key == "a")
        await pager.settle()
        #expect(pager.table(for: Self.rect).rows.first??.key == "e")
        #expect(pager.selectedRow?.key == "b" && pager.selectedIndex == 3)
    }

    @Test func movingWhileReplacedRowsAreOnTheirWayWins() async {
        let pager = TablePager(columns: [TableColumn("Letter")], source: Self.letters("abcde"))
        _ = pager.table(for: Self.rect)
        await pager.settle()
        pager.replaceSource(Self.letters("abcde"))
        pager.moveToBottom()
        await pager.settle()
        #expect(pager.selectedIndex == 4 && pager.positionText == "5 of 5")
    }

    @Test func aMillionRowsArePagedInWindows() async {
        let source = CountingSource(count: 1_000_000, knowsTotal: true)
        let pager = TablePager(columns: [TableColumn("Row")], source: source)
        _ = pager.table(for: Self.rect)
        await pager.settle()
        pager.moveToBottom()
        let table = pager.table(for: Self.rect)
        // The last page shows placeholders until its window arrives; nothing in between was fetched.
        #expect(table.rows.count == 10 && table.rows.allSatisfy { $0 == nil })
        #expect(pager.selectedIndex == 999_999)
        await pager.settle()
        #expect(pager.table(for: Self.rect).rows.last??.cells.first?.text == "row 999999")
        #expect(pager.positionText == "1,000,000 of 1,000,000")
        let queries = await source.queries
        #expect(queries.allSatisfy { $0.limit <= 30 })
        #expect(queries.count == 2)
    }

    @Test func unknownTotalsPageForwardWithKeysetAnchors() async {
        let source = CountingSource(count: 45, knowsTotal: false)
        let pager = TablePager(columns: [TableColumn("Row")], source: source)
        _ = pager.table(for: Self.rect)
        await pager.settle()
        // Without a total, G walks a page at a time until a short window reveals the end.
        for _ in 0..<6 {
            pager.moveToBottom()
            _ = pager.table(for: Self.rect)
            await pager.settle()
        }
        #expect(pager.selectedIndex == 44)
        #expect(pager.table(for: Self.rect).rows.last??.cells.first?.text == "row 44")
        let queries = await source.queries
        #expect(queries.count > 1)
        for query in queries where query.offset > 0 { #expect(query.after == "k\(query.offset - 1)") }
    }

    @Test func changingTheSortResetsToTheTopAndRefetches() async {
        let source = CountingSource(count: 100, knowsTotal: true)
        let pager = TablePager(columns: [TableColumn("Row")], source: source)
        _ = pager.table(for: Self.rect)
        await pager.settle()
        pager.move(by: 5)
        pager.sort(by: 0)
        #expect(pager.selectedIndex == 0)
        _ = pager.table(for: Self.rect)
        await pager.settle()
        let last = await source.queries.last
        #expect(last?.sort == TableSort(column: 0, ascending: true))
    }

    @Test func columnsScrollSidewaysOnlyWhileSomeAreHidden() async {
        let columns = (0..<6).map { TableColumn("Column \($0)", minWidth: 10, maxWidth: 10) }
        let source = CountingSource(count: 3, knowsTotal: true)
        let pager = TablePager(columns: columns, source: source)
        _ = pager.table(for: Self.rect)
        await pager.settle()
        pager.scrollColumns(by: 1)
        pager.scrollColumns(by: 1)
        pager.scrollColumns(by: 1)
        pager.scrollColumns(by: 1)
        #expect(pager.columnOffset == 3)
        var grid = Grid(width: 40, height: 3)
        pager.table(for: Rect(x: 0, y: 0, width: 40, height: 3)).render(
            into: &grid, in: grid.bounds, context: RenderContext(theme: .builtIn, glyphs: .unicode))
        #expect(grid.plainText.split(separator: "\n").first == "‹Column 0    Column 4    Column 5")
        pager.scrollColumns(by: -5)
        #expect(pager.columnOffset == 0)
    }

    @Test func growingTheViewportDoesNotMistakeAFullWindowForTheEnd() async {
        let source = CountingSource(count: 1000, knowsTotal: false)
        let pager = TablePager(columns: [TableColumn("Row")], source: source)
        _ = pager.table(for: Self.rect)
        await pager.settle()
        let tall = Rect(x: 0, y: 0, width: 40, height: 41)
        _ = pager.table(for: tall)
        pager.move(by: 100)
        _ = pager.table(for: tall)
        await pager.settle()
        #expect(pager.selectedIndex == 100)
        #expect(pager.selectedRow?.key == "k100")
    }
}
