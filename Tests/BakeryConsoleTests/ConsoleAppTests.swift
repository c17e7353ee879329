import BakeryCore
import Foundation
import Testing

@testable import BakeryConsole

/// Drives the console shell with keys and checks the rendered grid: no terminal involved.
@MainActor
@Suite struct ConsoleAppTests {
    nonisolated static let small = Size(width: 80, height: 24)
    nonisolated static let large = Size(width: 120, height: 40)

    func makeApp(store: FakeStore = .sample(), theme: Theme = .builtIn) async -> ConsoleApp {
        let app = ConsoleApp(
            environment: .testing(store, actor: FakeStore.operator), theme: theme, themes: ThemeCatalog(folder: ThemeTests.themesFolder), database: "bakery.sqlite")
        await app.settle()
        return app
    }

    func send(_ app: ConsoleApp, _ keys: Key...) async {
        for key in keys { app.send(key) }
        await app.settle()
    }

    func type(_ app: ConsoleApp, _ text: String) async {
        for character in text { app.send(.character(character)) }
        await app.settle()
    }

    @Test(arguments: [small, large])
    func clientsView(size: Size) async {
        let app = await makeApp()
        assertSnapshot(app.render(size: size).plainText, named: "clients-\(size.width)x\(size.height)")
    }

    @Test(arguments: [small, large])
    func clientView(size: Size) async {
        let app = await makeApp()
        await send(app, .enter)
        #expect(app.current.title == "acme")
        assertSnapshot(app.render(size: size).plainText, named: "client-acme-\(size.width)x\(size.height)")
    }

    @Test func aClientWithoutHistoryShowsWhatIsMissing() async {
        let app = await makeApp()
        await send(app, .character("G"), .enter)
        #expect(app.current.title == "zed")
        assertSnapshot(app.render(size: Self.small).plainText, named: "client-zed-80x24")
    }

    @Test func monochromeStyles() async throws {
        let theme = try ThemeCatalog(folder: ThemeTests.themesFolder).load(named: "monochrome")
        let app = await makeApp(theme: theme)
        let grid = app.render(size: Self.small)
        let rows = grid.styleMap.split(separator: "\n", omittingEmptySubsequences: false)
        // Header reversed, table header bold+underlined, selected first row reversed, the rest plain.
        assertSnapshot(
            rows.prefix(4).joined(separator: "\n") + "\n" + rows.drop { !$0.isEmpty }.joined(separator: "\n"),
            named: "clients-monochrome-styles")
    }

    @Test func navigationMovesTheSelectionAndOpensAndGoesBack() async {
        let app = await makeApp()
        await send(app, .character("j"), .character("j"))
        await send(app, .character("k"))
        await send(app, .enter)
        #expect(app.stack.map(\.title) == ["Clients", "nordic-bank"])
        #expect(app.render(size: Self.small).plainText.contains("Bakery › Clients › nordic-bank"))
        await send(app, .escape)
        #expect(app.stack.count == 1)
        await send(app, .character("G"), .enter)
        #expect(app.current.title == "zed")
        await send(app, .character("q"), .character("g"), .enter)
        #expect(app.current.title == "acme")
    }

    @Test func qOnTheFirstViewQuitsAndEscDoesNot() async {
        let app = await makeApp()
        await send(app, .escape)
        #expect(!app.isFinished)
        await send(app, .character("q"))
        #expect(app.isFinished)
    }

    @Test func ctrlCQuitsFromAnyMode() async {
        let app = await makeApp()
        await send(app, .character(":"), .character("t"))
        await send(app, .control("c"))
        #expect(app.isFinished)
    }

    @Test func filterNarrowsRowsLiveAndEscClearsIt() async {
        let app = await makeApp()
        await send(app, .character("/"))
        await type(app, "nord")
        let filtered = app.render(size: Self.small).plainText
        #expect(filtered.contains("Nordic Bank"))
        #expect(!filtered.contains("Acme Retail"))
        #expect(filtered.split(separator: "\n").last == "/nord")
        await send(app, .enter)
        #expect(app.message == ConsoleMessage("filter: nord"))
        await send(app, .enter)
        #expect(app.current.title == "nordic-bank")
        await send(app, .escape, .character("/"), .escape)
        #expect(app.render(size: Self.small).plainText.contains("Acme Retail"))
    }

    @Test func aFilterThatMatchesNothingSaysSo() async {
        let app = await makeApp()
        await send(app, .character("/"))
        await type(app, "xyz")
        #expect(app.render(size: Self.small).plainText.contains("No client matches 'xyz'."))
    }

    @Test func sortCyclesColumnsAndReverses() async {
        let app = await makeApp()
        // s: CC, then DMP, then Partner, then Records.
        await send(app, .character("s"), .character("s"), .character("s"), .character("s"), .character("S"))
        let text = app.render(size: Self.small).plainText
        #expect(text.contains("Records ▼"))
        let order = ["Nordic Bank", "Acme Retail", "Zed Telecom"].compactMap { text.range(of: $0)?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
    }

    @Test func hiddenColumnsScrollIntoViewOn80Columns() async {
        let app = await makeApp()
        #expect(app.render(size: Self.small).plainText.split(separator: "\n")[1].hasSuffix("›"))
        // Scrolled, columns follow in order: the DMP and partner columns hidden for their priority come into view.
        await send(app, .character("l"))
        let scrolled = app.render(size: Self.small).plainText
        #expect(scrolled.contains("Tealium  acme-tealium"))
        #expect(scrolled.split(separator: "\n")[1].hasPrefix("‹Client"))
        await send(app, .character("l"), .character("l"), .character("l"), .character("l"), .character("l"))
        #expect(app.render(size: Self.small).plainText.contains("48,211"))
        await send(
            app, .character("h"), .character("h"), .character("h"), .character("h"), .character("h"), .character("h"))
        #expect(!app.render(size: Self.small).plainText.contains("Tealium"))
    }

    @Test func helpIsGeneratedFromTheKeyMap() async {
        let app = await makeApp()
        await send(app, .character("?"))
        let text = app.render(size: Self.large).plainText
        for binding in app.current.keyBindings + KeyMap.global {
            #expect(text.contains(binding.description), "\(binding.description)")
        }
        #expect(text.contains(":theme NAME"))
        assertSnapshot(text, named: "help-clients-120x40")
        await send(app, .escape)
        #expect(!app.render(size: Self.large).plainText.contains("Keys —"))
    }

    @Test func commandLineCompletesAndRuns() async {
        let app = await makeApp()
        await send(app, .character(":"))
        await type(app, "cl")
        await send(app, .tab)
        #expect(
            app.render(size: Self.small).plainText.split(separator: "\n").suffix(2).joined(separator: "\n")
                == " client  clients\n:client")
        await type(app, " no")
        await send(app, .tab, .enter)
        #expect(app.current.title == "nordic-bank")
        await send(app, .character(":"))
        await type(app, "clients")
        await send(app, .enter)
        #expect(app.stack.count == 1)
        await send(app, .character(":"))
        await type(app, "frobnicate")
        await send(app, .enter)
        #expect(
            app.message
                == ConsoleMessage("unknown command ':frobnicate'; press : then Tab to list commands", isError: true))
        await send(app, .character(":"))
        await type(app, "quit")
        await send(app, .enter)
        #expect(app.isFinished)
    }

    @Test func themeSwitchesLiveAndReportsBadNames() async {
        let app = await makeApp()
        await send(app, .character(":"))
        await type(app, "theme li")
        await send(app, .tab, .enter)
        #expect(app.theme.name == "light")
        #expect(app.message == ConsoleMessage("theme: light"))
        #expect(app.render(size: Self.small)[1, 0].style == app.theme.style(.header))
        await send(app, .character(":"))
        await type(app, "theme nope")
        await send(app, .enter)
        #expect(app.theme.name == "light")
        #expect(app.message?.isError == true)
        #expect(
            app.message?.text.hasSuffix(
                "nope.toml: does not exist; known themes: colorblind, default, high-contrast, light, monochrome")
                == true)
    }

    @Test func aSmallTerminalSaysHowLargeItMustBe() async {
        let app = await makeApp()
        let text = app.render(size: Size(width: 60, height: 20)).plainText
        #expect(text.contains("at least 80×24;") && text.contains("60×20."))
        assertSnapshot(text, named: "too-small-60x20")
    }

    @Test func loadingIsVisibleAndTheScreenStaysResponsive() async {
        let store = FakeStore.sample()
        await store.hold()
        let app = ConsoleApp(
            environment: .testing(store, actor: Operator(name: "anna", role: .viewer)), theme: .builtIn, themes: nil, database: "bakery.sqlite")
        try? await Task.sleep(for: .milliseconds(20))
        let loading = app.render(size: Self.small).plainText
        #expect(loading.contains("loading clients…"))
        #expect(loading.contains("loading…  db: bakery.sqlite"))
        // Keys still work while the store is busy.
        app.send(.character("?"))
        #expect(app.render(size: Self.small).plainText.contains("Keys —"))
        app.send(.escape)
        await store.release()
        await app.settle()
        #expect(app.render(size: Self.small).plainText.contains("Acme Retail"))
    }

    @Test func clientsShowStoredFiguresFirstAndLiveCountsWhenTheyArrive() async {
        let store = FakeStore.sample()
        await store.holdCounts()
        let app = ConsoleApp(
            environment: .testing(store, actor: FakeStore.operator), theme: .builtIn, themes: nil, database: "bakery.sqlite")
        // The first frame with data only needs the snapshots: acme's 120,000 records and 800,000 cookies of its
        // latest snapshot, nothing yet for clients without one, and the view is usable while the counts run.
        for _ in 0..<500 where app.loadState(of: app.current) != .loaded {
            try? await Task.sleep(for: .milliseconds(1))
        }
        let early = app.render(size: Self.large)
        let acme = early.plainText.split(separator: "\n").first { $0.contains("Acme Retail") } ?? ""
        #expect(acme.contains("120,000") && acme.contains("800,000"), "\(acme)")
        #expect(early.plainText.contains("counting live figures"))
        #expect(app.isBusy)
        app.send(.character("j"))
        await store.releaseCounts()
        await app.settle()
        let late = app.render(size: Self.large).plainText
        let liveAcme = late.split(separator: "\n").first { $0.contains("Acme Retail") } ?? ""
        #expect(liveAcme.contains("812,345") && liveAcme.contains("40,210"), "\(liveAcme)")
        #expect(!late.contains("counting live figures"))
        // The selection stayed on the row the operator moved to.
        #expect(late.contains("2 of 3"))
    }

    @Test func aClientShowsItsHistoryFirstAndLiveCountsWhenTheyArrive() async {
        let store = FakeStore.sample()
        let app = await makeApp(store: store)
        await store.holdCounts()
        app.send(.enter)
        for _ in 0..<500 where app.loadState(of: app.current) != .loaded {
            try? await Task.sleep(for: .milliseconds(1))
        }
        let early = app.render(size: Self.small).plainText
        // The snapshot's per-kind figures and the trend are there; live counts are pending.
        #expect(early.contains("Records: … active, match rate 47.3%"))
        #expect(early.contains("110,000") && early.contains("Match rate, last 30 days"))
        #expect(early.contains("seen last 24 h             …"))
        #expect(app.isBusy)
        await store.releaseCounts()
        await app.settle()
        let late = app.render(size: Self.small).plainText
        #expect(late.contains("Records: 120,000 active") && late.contains("40,210"))
    }

    @Test func aLargeTerminalPreviewsTheSelectedClientsTrend() async {
        let app = await makeApp()
        #expect(app.render(size: Self.large).plainText.contains("Acme Retail · match rate, last 30 days: low 25.0%"))
        await send(app, .character("j"))
        let text = app.render(size: Self.large).plainText
        #expect(text.contains("Nordic Bank · match rate, last 30 days"))
        #expect(text.contains("No daily match snapshots stored for this client yet."))
        // 80 columns have no room for it.
        #expect(!app.render(size: Self.small).plainText.contains("match rate, last 30 days"))
    }

    @Test func loadFailuresGoToTheLogNotOnlyTheScreen() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-\(UUID()).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try #require(ConsoleLog(path: path, stamped: false))
        let app = ConsoleApp(
            root: FailingView(), environment: .testing(FakeStore.sample(), actor: FakeStore.operator, log: log), theme: .builtIn, themes: nil,
            database: "bakery.sqlite")
        await app.settle()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "could not load Broken: the store is gone\n")
    }

    @Test func aFailingLoadIsReportedInTheBodyAndTheFooter() async {
        let app = ConsoleApp(
            root: FailingView(), environment: .testing(FakeStore.sample(), actor: FakeStore.operator), theme: .builtIn, themes: nil,
            database: "bakery.sqlite")
        await app.settle()
        let text = app.render(size: Self.small).plainText
        #expect(text.contains("Could not load broken: the store is gone"))
        #expect(text.contains("could not load Broken: the store is gone"))
    }

    @Test func theRunLoopDrawsHandlesResizeAndRestoresTheTerminal() async throws {
        let driver = ScriptedDriver(events: [
            .key(.character("j")), .resize(Size(width: 120, height: 40)), .key(.character("q")),
        ])
        let app = await makeApp()
        try await app.run(driver: driver)
        #expect(driver.started && driver.stopped)
        #expect(driver.frames.last?.size == Size(width: 120, height: 40))
        #expect(app.isFinished)
    }

    @Test func aTerminalWithoutColoursGetsMonochromeAndASCII() async throws {
        let driver = ScriptedDriver(events: [.key(.character("q"))], colorCount: 0, supportsUnicode: false)
        let app = await makeApp()
        try await app.run(driver: driver)
        #expect(app.theme.name == "monochrome")
        #expect(driver.frames.first?.plainText.contains(" Bakery > Clients") == true)
        app.send(.character(":"))
        for character in "theme light" { app.send(.character(character)) }
        app.send(.enter)
        #expect(app.theme.name == "monochrome")
        #expect(
            app.message
                == ConsoleMessage("this terminal shows no colours; staying on the monochrome theme", isError: true))
    }
}

/// A view whose load always fails.
@MainActor
final class FailingView: ConsoleView {
    let title = "Broken"
    let kind = "broken"
    struct Gone: Error, CustomStringConvertible { var description: String { "the store is gone" } }
    func load() async throws { throw Gone() }
    func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        LoadPlaceholder.render(into: &grid, in: rect, context: context, what: "broken")
    }
    func handle(_ action: KeyAction) -> ViewAction { .none }
}

/// A terminal that replays events and keeps every frame drawn.
@MainActor
final class ScriptedDriver: TerminalDriver {
    var events: [InputEvent]
    var size = Size(width: 80, height: 24)
    let colorCount: Int
    let supportsUnicode: Bool
    var frames: [Grid] = []
    var started = false
    var stopped = false

    init(events: [InputEvent], colorCount: Int = 256, supportsUnicode: Bool = true) {
        self.events = events
        self.colorCount = colorCount
        self.supportsUnicode = supportsUnicode
    }

    func start() throws { started = true }
    func stop() { stopped = true }
    func draw(_ grid: Grid) { frames.append(grid) }
    func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard !events.isEmpty else { return nil }
        let event = events.removeFirst()
        if case .resize(let newSize) = event { size = newSize }
        return event
    }
}
