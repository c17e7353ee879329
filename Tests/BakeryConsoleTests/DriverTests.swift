import Testing

@testable import BakeryConsole

@MainActor
@Suite struct DriverTests {
    @Test(arguments: [
        (UInt32(3), Key.control("c")), (9, .tab), (10, .enter), (13, .enter), (27, .escape), (127, .backspace),
        (8, .backspace), (21, .control("u")), (23, .control("w")), (0x71, .character("q")), (0x65E5, .character("日")),
    ])
    func characterCodesDecodeToKeys(code: UInt32, key: Key) {
        #expect(NcursesDriver.characterKey(code) == key)
    }

    @Test func aNonUTF8TerminalGetsASCIIForWhatViewsWriteDirectly() {
        #expect(NcursesDriver.asciiFallback(Cell("…")) == "~")
        #expect(NcursesDriver.asciiFallback(Cell("–")) == "-")
        #expect(NcursesDriver.asciiFallback(Cell("日", width: 2)) == "?")
        #expect(NcursesDriver.asciiFallback(Cell("a")) == "a")
        #expect(
            "Skärgård Fjällbacka Järvi".map { NcursesDriver.asciiFallback(Cell(String($0))) }.joined()
                == "Skargard Fjallbacka Jarvi")
    }
}

/// A view with an outward action behind a confirmation, as an export view would have.
@MainActor
final class ExportingView: ConsoleView {
    let title = "Exports"
    let kind = "exports"
    var runs = 0
    var keyBindings: [KeyBinding] {
        [
            KeyBinding(
                [.character("x")], .custom("run-export"), shortName: "run", description: "Run the export now",
                scope: .view(kind))
        ]
    }
    func render(into grid: inout Grid, in rect: Rect, context: RenderContext) {
        grid.write("runs: \(runs)", in: rect.row(0), style: context.style(.text), glyphs: context.glyphs)
    }
    func handle(_ action: KeyAction) -> ViewAction {
        guard action == .custom("run-export") else { return .none }
        return .confirm(
            ConfirmationDialog(title: "Run export", message: "Export acme for 2026-11-28?", confirmLabel: "Run")
        ) {
            self.runs += 1
            return .message(ConsoleMessage("export started"))
        }
    }
}

@MainActor
@Suite struct ConfirmationFlowTests {
    @Test func anOutwardActionRunsOnlyAfterConfirmation() async {
        let view = ExportingView()
        let app = ConsoleApp(
            root: view, environment: .testing(FakeStore.sample(), actor: FakeStore.operator), theme: .builtIn, themes: nil,
            database: "bakery.sqlite")
        await app.settle()
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("x run"))
        app.send(.character("x"))
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("Export acme for 2026-11-28?"))
        app.send(.enter)
        #expect(view.runs == 0)
        #expect(app.message == ConsoleMessage("cancelled"))
        app.send(.character("x"))
        app.send(.character("y"))
        #expect(view.runs == 1)
        #expect(app.message == ConsoleMessage("export started"))
    }

    @Test func aViewWithoutAFilterSaysSo() async {
        let app = ConsoleApp(
            root: ExportingView(), environment: .testing(FakeStore.sample(), actor: FakeStore.operator), theme: .builtIn, themes: nil,
            database: "bakery.sqlite")
        app.send(.character("/"))
        #expect(app.message == ConsoleMessage("Exports has nothing to filter"))
    }
}
