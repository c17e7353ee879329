import BakeryCore
import BakerySQLite
import Foundation
import Testing

@testable import BakeryConsole

/// The Onboarding view through the whole console on the fixture: pick, review, dry run, upload, cancel, replace,
/// the drop zone's inbox, and what the store and the audit log hold afterwards.
@MainActor
@Suite struct OnboardingViewTests {
    nonisolated static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]
    let flows = OperatorViewsTests()

    func active(_ fixture: ConsoleFixture) async throws -> Int {
        try await fixture.store.counts(clientID: "acme", now: ConsoleFixture.now).activeRecords
    }

    /// Opens `:onboard acme` and picks `crm-new.csv`.
    func review(_ fixture: ConsoleFixture, as actor: Operator = ConsoleFixture.admin) async throws -> (ConsoleApp, OnboardingView) {
        let app = await flows.app(fixture, as: actor)
        await flows.command(app, "onboard acme")
        let view = try #require(app.current as? OnboardingView)
        #expect(view.step == .file)
        await flows.send(app, .character("j"), .enter)
        #expect(view.step == .review)
        return (app, view)
    }

    /// Waits for the dry run or upload the view is running.
    func finish(_ app: ConsoleApp, _ view: OnboardingView) async throws {
        for _ in 0..<2_000 where view.step == .running { try await Task.sleep(for: .milliseconds(2)) }
        await app.settle()
    }

    @Test(arguments: sizes)
    func pickingAFileAndReviewingIt(size: Size) async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await flows.app(fixture)
        await flows.command(app, "onboard acme")
        assertSnapshot(await flows.screen(app, size), named: "onboard-files-\(size.width)x\(size.height)")
        await flows.send(app, .character("j"), .enter)
        assertSnapshot(await flows.screen(app, size), named: "onboard-review-\(size.width)x\(size.height)")
    }

    @Test func aDryRunShowsTheReportAndTheImpactAndStoresNothing() async throws {
        let fixture = try await ConsoleFixture.make()
        let (app, view) = try await review(fixture)
        await flows.send(app, .character("d"))
        try await finish(app, view)
        let summary = try #require(view.dryRun)
        #expect(summary.accepted == 4 && summary.rejectedTotal == 2)
        #expect(summary.firstRejections.map(\.row) == [3, 4])
        #expect(summary.recordsBefore == 30 && summary.recordsAfter == 33)
        #expect(summary.matchImpact == MatchImpact(recordsBefore: 30, recordsAfter: 33, matchedBefore: 30, matchedAfter: 32))
        let text = await flows.screen(app, Size(width: 120, height: 40))
        #expect(text.contains("invalid_email") && text.contains("rows 3"))
        #expect(text.contains("match rate        100.0% -> 97.0% (-3.0 pp)"), "\(text)")
        assertSnapshot(text, named: "onboard-dry-run-120x40")
        #expect(try await active(fixture) == 30, "nothing stored")
        let entries = try await fixture.store.auditEntries(AuditQuery(action: "upload"), page: PageRequest(limit: 5)).items
        #expect(entries.map(\.action) == ["upload.dry_run"] && entries[0].actor == "anna")
    }

    @Test func anUploadAppliesTheFileAndOffersToDeleteThePlainFile() async throws {
        let fixture = try await ConsoleFixture.make()
        let (app, view) = try await review(fixture)
        await flows.send(app, .character("u"))
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("Add the records of crm-new.csv to acme?"))
        await flows.send(app, .character("y"))
        try await finish(app, view)
        #expect(view.step == .done)
        #expect(try await active(fixture) == 33)
        let text = await flows.screen(app, Size(width: 80, height: 24))
        assertSnapshot(text, named: "onboard-done-80x24")
        #expect(text.contains("D deletes it"))
        let uploads = try await fixture.store.uploads(clientID: "acme", limit: 1)
        #expect(uploads.first?.source == .console && uploads.first?.fileName == "crm-new.csv")
        let audit = try await fixture.store.auditEntries(AuditQuery(action: "upload.apply"), page: PageRequest(limit: 5))
        #expect(audit.items.count == 1 && audit.items[0].detail.contains("records 30 -> 33"), "\(audit.items)")
        await flows.send(app, .character("D"), .character("y"))
        let file = fixture.uploads.appendingPathComponent("crm-new.csv").path
        for _ in 0..<200 where FileManager.default.fileExists(atPath: file) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!FileManager.default.fileExists(atPath: file))
        let deleted = try await flows.entries(fixture, AuditQuery(action: "upload.delete_file"))
        #expect(deleted.count == 1 && deleted[0].actor == "anna")
    }

    @Test func aReplaceNeedsTheClientIdTypedAndAWrongOneIsRefused() async throws {
        let fixture = try await ConsoleFixture.make()
        let (app, view) = try await review(fixture)
        await flows.send(app, .character("m"), .character("m"))
        #expect(view.mode == .replace)
        await flows.send(app, .character("u"))
        await flows.type(app, "acm")
        await flows.send(app, .enter)
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("type acme exactly"))
        #expect(view.step == .review)
        await flows.type(app, "e")
        await flows.send(app, .enter)
        try await finish(app, view)
        #expect(try await active(fixture) == 4, "the file is the whole record set now")
    }

    @Test func aCancelledUploadLeavesTheRecordsAsTheyWereWhileKeysKeepWorking() async throws {
        let fixture = try await ConsoleFixture.make()
        var text = "email\r\n"
        for index in 0..<400_000 { text += "someone\(index)@example.org\r\n" }
        try text.write(to: fixture.uploads.appendingPathComponent("big.csv"), atomically: true, encoding: .utf8)
        let app = await flows.app(fixture)
        await flows.command(app, "onboard acme")
        let view = try #require(app.current as? OnboardingView)
        // archive/, big.csv, crm-new.csv
        await flows.send(app, .character("j"), .enter, .character("u"))
        app.send(.character("y"))
        #expect(view.step == .running)
        // The console answers while the upload runs: help opens and closes, the screen draws its progress.
        app.send(.character("?"))
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("Keys —"))
        app.send(.escape)
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("c cancels"))
        // Leaving would hide the upload: refused while it runs.
        for key in [Key.character(":")] + "clients".map(Key.character) + [.enter] { app.send(key) }
        #expect(app.current === view)
        #expect(app.message == ConsoleMessage("an upload is running in onboard: wait for it, or cancel it there first", isError: true))
        app.send(.character("c"))
        #expect(app.render(size: Size(width: 80, height: 24)).plainText.contains("Cancel the upload"))
        app.send(.character("y"))
        try await finish(app, view)
        guard case .cancelled = view.outcome else { Issue.record("not cancelled: \(String(describing: view.outcome))"); return }
        #expect(try await active(fixture) == 30)
        let audit = try await fixture.store.auditEntries(AuditQuery(action: "upload.apply"), page: PageRequest(limit: 5))
        #expect(audit.items.first?.outcome == .failed && audit.items.first?.detail.contains("cancelled") == true, "\(audit.items)")
    }

    @Test func aDropZoneFileIsAppliedAndMovedLikeTheWatcherWould() async throws {
        let fixture = try await ConsoleFixture.make()
        let app = await flows.app(fixture)
        await flows.command(app, "onboard")
        let view = try #require(app.current as? OnboardingView)
        #expect(view.step == .client)
        await flows.send(app, .enter)
        // The tabs are on the third screen row: a click on the second picks the drop zone.
        let size = Size(width: 80, height: 24)
        let tabs = await flows.screen(app, size).split(separator: "\n")[2]
        let column = try #require(tabs.range(of: "Drop zone")).lowerBound.utf16Offset(in: tabs)
        app.send(MouseEvent(.click, at: Point(x: column, y: 2)), size: size)
        #expect(view.tab == .dropZone && view.inbox.count == 1 && view.inbox[0].clientID == "acme")
        await flows.send(app, .enter)
        #expect(view.client?.id == "acme" && view.mode == .add && view.picked?.dropZone != nil)
        await flows.send(app, .character("u"), .character("y"))
        try await finish(app, view)
        #expect(try await active(fixture) == 33)
        let inbox = fixture.dropZone.appendingPathComponent("onboard/audience=4711/opt-in/20261129_060000.csv")
        #expect(!FileManager.default.fileExists(atPath: inbox.path), "a plain file is deleted once hashed")
        #expect(await flows.screen(app, Size(width: 80, height: 24)).contains("The drop-zone file: the file was deleted."))
    }

    @Test func aViewerMayLookAtAFileButNotDryRunIt() async throws {
        let fixture = try await ConsoleFixture.make()
        let (app, view) = try await review(fixture, as: Operator(name: "vera", role: .viewer))
        await flows.send(app, .character("d"))
        #expect(view.step == .review && view.dryRun == nil)
        #expect(app.message == ConsoleMessage("dry run: needs the support role (you are viewer)", isError: true))
        await flows.send(app, .character("u"))
        #expect(app.message == ConsoleMessage("upload: needs the ops role (you are viewer)", isError: true))
    }

    @Test func aFileThatCannotBeUploadedSaysWhyInTheReview() async throws {
        let fixture = try await ConsoleFixture.make()
        try "name,city\r\nAnna,Utrecht\r\n".write(
            to: fixture.uploads.appendingPathComponent("a-no-ids.csv"), atomically: true, encoding: .utf8)
        let app = await flows.app(fixture)
        await flows.command(app, "onboard acme")
        await flows.send(app, .character("j"), .enter)
        let text = await flows.screen(app, Size(width: 80, height: 24))
        #expect(text.contains("This file cannot be uploaded") && text.contains("a-no-ids.csv"), "\(text)")
    }
}
