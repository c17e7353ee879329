import BakeryCore
import BakerySQLite
import Foundation
import Testing

@testable import BakeryConsole

/// The operator views on the fixed SQLite dataset of ``ConsoleFixture``: snapshots at both sizes and the flows,
/// driven by keys through the whole console, with the store checked afterwards.
@MainActor
@Suite struct OperatorViewsTests {
    nonisolated static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    func app(_ fixture: ConsoleFixture, as actor: Operator = ConsoleFixture.admin) async -> ConsoleApp {
        let app = ConsoleApp(
            environment: fixture.environment(actor), theme: .builtIn, themes: nil, database: "bakery.sqlite")
        await app.settle()
        return app
    }

    /// Sends each key and waits for what it started.
    func send(_ app: ConsoleApp, _ keys: Key...) async {
        for key in keys {
            app.send(key)
            await app.settle()
        }
    }

    func type(_ app: ConsoleApp, _ text: String) async {
        for character in text { app.send(.character(character)) }
        await app.settle()
    }

    func command(_ app: ConsoleApp, _ text: String) async {
        app.send(.character(":"))
        await type(app, text)
        await send(app, .enter)
    }

    /// The screen once whatever the first frame started (a lineage, a count) has landed.
    func screen(_ app: ConsoleApp, _ size: Size) async -> String {
        _ = app.render(size: size)
        await app.settle()
        return ConsoleFixture.masked(app.render(size: size).plainText)
    }

    /// The entries the query finds, waiting up to two seconds for one the console wrote (a refusal is written by
    /// a task of its own).
    func entries(_ fixture: ConsoleFixture, _ query: AuditQuery) async throws -> [AuditEntry] {
        for _ in 0..<200 {
            let found = try await fixture.store.auditEntries(query, page: PageRequest(limit: 5)).items
            if found.contains(where: { $0.detail.contains("(console)") || $0.action == "upload.delete_file" }) {
                return found
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return []
    }

    // MARK: Sync table

    @Test(arguments: sizes)
    func syncTable(size: Size) async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "sync acme")
        #expect(app.current is SyncTableView)
        assertSnapshot(await screen(app, size), named: "sync-acme-\(size.width)x\(size.height)")
    }

    @Test func theSyncTableJumpsToTheEndSortsAndSearchesALargeTable() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "sync acme")
        let size = Size(width: 120, height: 40)
        #expect(await screen(app, size).contains("1 of 1,500 · newest first"))
        await send(app, .character("G"))
        var text = await screen(app, size)
        #expect(text.contains("1,500 of 1,500"), "\(text)")
        // Newest first: the last rows are the pairs last seen on 2026-11-25, the earliest k first among them.
        let view = try #require(app.current as? SyncTableView)
        #expect(view.pager.selectedItem?.cookieID == ConsoleFixture.cookie(3))
        await send(app, .character("g"), .pageDown, .pageDown)
        #expect(view.pager.selectedItem != nil)
        await send(app, .character("s"))
        text = await screen(app, size)
        #expect(text.contains("by cookie id") && text.contains("Cookie ID ▲"))
        #expect(view.pager.selectedItem?.cookieID == "ck-00001")
        await send(app, .character("/"))
        await type(app, "ck-0140")
        await send(app, .enter)
        text = await screen(app, size)
        #expect(text.contains("1 of 10") && text.contains("cookie id starts with 'ck-0140'"), "\(text)")
        #expect(view.pager.items.map(\.cookieID) == (1400...1409).map(ConsoleFixture.cookie))
        await send(app, .character("/"), .control("u"))
        await type(app, "da:da-005")
        await send(app, .enter)
        #expect(view.pager.items.map(\.daID) == (50...59).map(ConsoleFixture.daID))
        await send(app, .character("/"), .control("u"))
        await type(app, "zz-nothing")
        text = await screen(app, size)
        #expect(text.contains("No pair's cookie id starts with 'zz-nothing'."))
        await send(app, .escape)
        #expect(view.query == SyncPairQuery(clientID: "acme", order: .cookieID))
    }

    @Test func pagingThroughThousandsOfRowsKeepsAWindowOfAFewScreens() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "sync acme")
        let size = Size(width: 80, height: 24)
        let view = try #require(app.current as? SyncTableView)
        // The pager's reads only: the lineage of every row passed would be waited for otherwise.
        for _ in 0..<200 {
            app.send(.pageDown)
            _ = app.render(size: size)
            await view.pager.settle()
        }
        #expect(view.pager.items.count <= 200, "the window stays small: \(view.pager.items.count)")
        #expect(await screen(app, size).contains("of 1,500"))
        let far = try #require(view.pager.firstIndex)
        #expect(far + view.pager.selected > 1_000, "paged deep into the table")
        for _ in 0..<200 {
            app.send(.pageUp)
            _ = app.render(size: size)
            await view.pager.settle()
        }
        #expect(view.pager.firstIndex == 0 && view.pager.selected == 0 && view.pager.reachesStart)
    }

    @Test func theLineageFollowsAMatchedCookieIntoYesterdaysFile() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "sync acme")
        await send(app, .character("/"))
        await type(app, "ck-00001")
        await send(app, .enter)
        let text = await screen(app, Size(width: 120, height: 40))
        let view = try #require(app.current as? SyncTableView)
        #expect(view.lineage.value?.verdict == .inFile(["R-0001"]))
        #expect(view.lineage.value?.explanation == "In the 2026-11-28 file, paired with record R-0001.")
        #expect(text.contains("✓ In the 2026-11-28 file") && text.contains("the file holds the cookie with R-0001"))
        await send(app, .enter)
        #expect(app.current is LineageView)
        let full = await screen(app, Size(width: 80, height: 24))
        #expect(full.contains("R-0001") && full.contains("active") && full.contains("#1 crm-2026-11-01.csv (add 2026-11-01)"))
        assertSnapshot(full, named: "lineage-matched-80x24")
    }

    @Test(arguments: [
        (3, "not seen that day (last seen 2026-11-25"),
        (55, "its DA id has no hashed identifier in the identity graph."),
        (46, "none of the DA id's 1 hashed identifiers is in the client's CRM records."),
        (35, "its matching records were removed by upload #2 optout-2026-11-20.csv (remove, 2026-11-20 10:00)."),
    ])
    func theLineageSaysWhyACookieIsNotInYesterdaysFile(pair: Int, reason: String) async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "sync acme")
        await send(app, .character("/"))
        await type(app, ConsoleFixture.cookie(pair))
        await send(app, .enter)
        let text = await screen(app, Size(width: 120, height: 40))
        #expect(text.contains("Not in the 2026-11-28 file"), "\(text)")
        let view = try #require(app.current as? SyncTableView)
        #expect(view.lineage.value?.explanation.contains(reason) == true, "\(view.lineage.value?.explanation ?? "none")")
    }

    @Test func aCookieSeenAndMatchedButMissingFromTheWrittenFileIsExplained() async throws {
        let fixture = try await ConsoleFixture.make()
        // Pair 3 was last seen on 2026-11-25; a sync of yesterday arrives after yesterday's file was written.
        try await fixture.store.recordSyncHits([
            SyncHit(
                partner: "acme-tealium", cookieID: ConsoleFixture.cookie(3), daID: ConsoleFixture.daID(3), site: nil,
                at: ConsoleFixture.yesterday.start.addingTimeInterval(3_600))
        ])
        let app = await app(fixture)
        await command(app, "sync acme")
        await send(app, .character("/"))
        await type(app, ConsoleFixture.cookie(3))
        await send(app, .enter)
        _ = await screen(app, Size(width: 120, height: 40))
        let view = try #require(app.current as? SyncTableView)
        let lineage = try #require(view.lineage.value)
        #expect(lineage.file == .absent)
        // The fixture's records were stored after its exports ran: the match is the newer link.
        #expect(lineage.verdict == .matchedAfterExport)
        #expect(lineage.explanation.contains("running the day's export again includes it"))
    }

    @Test func anAdminErasesTheSelectedDAIDAtEveryClientAfterConfirming() async throws {
        let fixture = try await ConsoleFixture.make()
        let daID = "0123456789abcdef0123456789abcdef"
        try await fixture.store.recordSyncHits([
            SyncHit(partner: "acme-tealium", cookieID: "ck-erase", daID: daID, site: nil, at: ConsoleFixture.yesterday.start),
            SyncHit(partner: "PO_1a2b3c4d", cookieID: "po-erase", daID: daID, site: nil, at: ConsoleFixture.yesterday.start),
        ])
        let app = await app(fixture)
        await command(app, "sync acme")
        await send(app, .character("/"))
        await type(app, "ck-erase")
        await send(app, .enter, .character("E"))
        let dialog = await screen(app, Size(width: 80, height: 24))
        #expect(dialog.contains("Erase a data subject") && dialog.contains(daID) && dialog.contains("delivered"), "\(dialog)")
        await send(app, .character("n"))
        #expect(try await fixture.store.syncPairs(daID: daID).count == 2, "cancelled: nothing erased")
        await send(app, .character("E"), .character("y"))
        #expect(try await fixture.store.syncPairs(daID: daID).isEmpty)
        #expect(app.message == ConsoleMessage("erased the DA id: 2 sync pairs at 2 clients, 0 graph edges"))
        let after = await screen(app, Size(width: 80, height: 24))
        #expect(after.contains("No pair's cookie id starts with 'ck-erase'"), "the table no longer shows it: \(after)")
        let audit = try await fixture.store.auditEntries(AuditQuery(action: "privacy.erase"), page: PageRequest(limit: 5)).items
        #expect(audit.count == 1 && audit[0].actor == "anna" && !audit[0].detail.contains(daID))
    }

    @Test func opsSeeEraseDisabledAndTheCoreRefusesAndAuditsIt() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture, as: Operator(name: "sam", role: .ops))
        await command(app, "sync acme")
        await send(app, .character("E"))
        #expect(app.message == ConsoleMessage("erase: needs the admin role (you are ops)", isError: true))
        let denied = try await entries(fixture, AuditQuery(action: "role.denied", actor: "sam"))
        #expect(denied.count == 1)
        #expect(try await fixture.store.auditEntries(AuditQuery(action: "privacy.erase"), page: PageRequest(limit: 5)).items.isEmpty)
    }

    @Test func aViewerSeesTheTableButTheSearchIsRefusedByTheCoreAndAudited() async throws {
        let fixture = try await ConsoleFixture.make()
        let vera = Operator(name: "vera", role: .viewer)
        let app = await app(fixture, as: vera)
        await command(app, "sync acme")
        let text = await screen(app, Size(width: 80, height: 24))
        #expect(text.contains("/ search⊘"), "the key is shown disabled: \(text.split(separator: "\n").last ?? "")")
        await send(app, .character("/"))
        #expect(app.message == ConsoleMessage("search: needs the support role (you are viewer)", isError: true))
        if case .filter = app.mode { Issue.record("the search opened for a viewer") }
        let denials = try await entries(fixture, AuditQuery(actor: "vera"))
        #expect(denials.first?.action == "role.denied" && denials.first?.detail.contains("(console)") == true)
        await send(app, .character("?"))
        #expect(app.render(size: Size(width: 120, height: 40)).plainText.contains("[needs support] Search"))
    }

    // MARK: Exports

    @Test(arguments: sizes)
    func exportsView(size: Size) async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "exports acme")
        assertSnapshot(await screen(app, size), named: "exports-acme-\(size.width)x\(size.height)")
    }

    @Test func exportPreviewAndDiffWriteNothingAndAgreeWithTheStore() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "exports acme")
        let before = try FileManager.default.contentsOfDirectory(atPath: fixture.exports.appendingPathComponent("acme").path)
        await send(app, .character("p"))
        var text = await screen(app, Size(width: 120, height: 40))
        let preview = try await DeltaExport(store: fixture.store, root: fixture.exports)
            .preview(clientID: "acme", day: ConsoleFixture.yesterday, by: ConsoleFixture.admin)
        #expect(text.contains("acme 2026-11-28: \(Figures.grouped(preview.rows)) rows, \(preview.cookies) cookies"), "\(text)")
        #expect(text.contains("ck-00001 → R-0001"))
        await send(app, .character("d"))
        text = await screen(app, Size(width: 120, height: 40))
        #expect(text.contains("acme 2026-11-28 against 2026-11-27"), "\(text)")
        let diff = try await DeltaExport(store: fixture.store, root: fixture.exports)
            .diff(clientID: "acme", day: ConsoleFixture.yesterday, by: ConsoleFixture.admin)
        #expect(diff.added > 0 && diff.dropped > 0)
        #expect(text.contains("+\(diff.added) added") && text.contains("-\(diff.dropped) dropped"))
        let after = try FileManager.default.contentsOfDirectory(atPath: fixture.exports.appendingPathComponent("acme").path)
        #expect(after.sorted() == before.sorted(), "previews write nothing")
    }

    @Test func runningAnExportFromTheConsoleWritesTheFileTheLedgerAndTheAudit() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "exports acme")
        await send(app, .character("x"))
        guard case .form = app.mode else { Issue.record("no form"); return }
        await send(app, .enter)
        await send(app, .control("u"))
        await type(app, "2026-11-2x")
        await send(app, .enter)
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("the day is YYYY-MM-DD"))
        await send(app, .control("u"))
        await type(app, "2026-11-26")
        await send(app, .enter)
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("Write the delta file of acme for 2026-11-26?"))
        await send(app, .character("y"))
        let view = try #require(app.current as? ExportsView)
        for _ in 0..<500 where view.isBusy { try await Task.sleep(for: .milliseconds(5)) }
        await app.settle()
        #expect(app.message == ConsoleMessage("export done: 1 written"))
        let runs = try await fixture.store.exportRuns(ExportRunQuery(clientID: "acme", day: Day(iso: "2026-11-26")), page: PageRequest(limit: 5))
        #expect(runs.items.count == 1 && runs.items[0].startedBy == "anna" && runs.items[0].outcome == .succeeded)
        let file = try #require(runs.items.first?.localFile)
        #expect(runs.items[0].file?.hasPrefix("file:///") == true, "the ledger records the file as a URI")
        #expect(FileManager.default.fileExists(atPath: file.path))
        let audit = try await fixture.store.auditEntries(AuditQuery(action: "export", actor: "anna"), page: PageRequest(limit: 5))
        #expect(audit.items.count == 1 && audit.items[0].detail.hasPrefix("2026-11-26"))
        #expect(await screen(app, Size(width: 120, height: 40)).contains("acme 2026-11-26:"))
    }

    @Test func aSupportUserMayPreviewButTheRunKeyIsRefused() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture, as: Operator(name: "sam", role: .support))
        await command(app, "exports acme")
        await send(app, .character("x"))
        #expect(app.message == ConsoleMessage("run now: needs the ops role (you are support)", isError: true))
        await send(app, .character("p"))
        #expect(await screen(app, Size(width: 80, height: 24)).contains("Preview (nothing written)"))
        let denied = try await entries(fixture, AuditQuery(action: "role.denied", actor: "sam"))
        #expect(denied.count == 1)
    }

    // MARK: Audit

    @Test(arguments: sizes)
    func auditView(size: Size) async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "audit")
        assertSnapshot(await screen(app, size), named: "audit-\(size.width)x\(size.height)")
    }

    @Test func theAuditFiltersByClientActionAndActor() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "audit")
        let view = try #require(app.current as? AuditView)
        await send(app, .character("/"))
        await type(app, "action:export actor:scheduler")
        await send(app, .enter)
        #expect(view.pager.items.map(\.action) == ["export.run", "export.run"])
        await send(app, .character("/"), .control("u"))
        await type(app, "client:acme role")
        #expect(view.pager.items.map(\.actor) == ["vera"])
        await send(app, .escape)
        #expect(view.pager.items.count == 5)
    }

    // MARK: Mouse

    @Test func aClickSelectsARowAndTheWheelScrolls() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await app(fixture)
        await command(app, "sync acme")
        let size = Size(width: 80, height: 24)
        _ = await screen(app, size)
        let view = try #require(app.current as? SyncTableView)
        // Header row, title row, table header: the first data row is on screen row 3.
        app.send(MouseEvent(.click, at: Point(x: 5, y: 6)), size: size)
        #expect(view.pager.selected == 3)
        app.send(MouseEvent(.wheelDown, at: Point(x: 5, y: 6)), size: size)
        #expect(view.pager.selected == 6)
        app.send(MouseEvent(.click, at: Point(x: 3, y: 0)), size: size)
        #expect(app.stack.count == 2, "Bakery is not a breadcrumb")
        app.send(MouseEvent(.click, at: Point(x: 10, y: 0)), size: size)
        #expect(app.stack.count == 1, "the Clients breadcrumb goes back")
    }
}
