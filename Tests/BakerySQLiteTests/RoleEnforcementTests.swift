import BakeryCore
import BakeryTesting
import Foundation
import GRDB
import Testing

@testable import BakerySQLite

/// Roles enforced by the core services, on a real store; and the viewer's store, opened read-only by SQLite.
@Suite("Roles in the core")
struct RoleEnforcementTests {
    static let viewer = Operator(name: "vera", role: .viewer)
    static let support = Operator(name: "sam", role: .support)
    static let ops = Operator(name: "otto", role: .ops)

    /// A store with client `acme` and one CRM file of three rows beside it.
    static func setUp() async throws -> (SQLiteStore, URL) {
        let folder = try TemporaryFolder.make()
        let store = try SQLiteStore(path: folder.appendingPathComponent("b.sqlite").path, mode: .createIfMissing)
        try await store.addClient(Fixtures.client("acme"))
        let file = folder.appendingPathComponent("crm.csv")
        try "email\r\na@example.nl\r\nb@example.nl\r\nc@example.nl\r\n".write(to: file, atomically: true, encoding: .utf8)
        return (store, file)
    }

    static func denials(_ store: any Store) async throws -> [AuditEntry] {
        try await store.auditEntries(AuditQuery(action: "role.denied"), page: PageRequest(limit: 20)).items
    }

    func upload(_ store: any Store, _ file: URL, by actor: Operator, dryRun: Bool = false) async throws
        -> OnboardingSummary
    {
        try await Onboarding(store: store).run(
            OnboardingRequest(clientID: "acme", file: file, mode: .add, source: .cli, actor: actor, dryRun: dryRun))
    }

    @Test func eachRoleMayDoWhatItsRowSays() {
        let table: [Role: Set<Permission>] = [
            .viewer: [], .support: [.preview, .lookup], .ops: [.preview, .lookup, .upload, .export],
            .admin: Set(Permission.allCases),
        ]
        for (role, allowed) in table {
            #expect(Set(role.permissions) == allowed, "\(role)")
            for permission in Permission.allCases {
                let actor = Operator(name: "x", role: role)
                #expect(actor.may(permission) == allowed.contains(permission))
                #expect((actor.refusal(permission) == nil) == allowed.contains(permission))
            }
        }
        #expect(Operator(name: "x", role: .support).refusal(.upload) == "needs the ops role (you are support)")
    }

    @Test func supportMayDryRunButNotUploadAndTheRefusalIsAudited() async throws {
        let (store, file) = try await Self.setUp()
        let dry = try await upload(store, file, by: Self.support, dryRun: true)
        #expect(dry.accepted == 3 && dry.recordsAfter == 3)
        await #expect(throws: BakeryError.notPermitted(role: .support, permission: .upload, action: "add crm.csv")) {
            try await upload(store, file, by: Self.support)
        }
        #expect(try await store.counts(clientID: "acme", now: Fixtures.now).activeRecords == 0)
        let denied = try await Self.denials(store)
        #expect(denied.count == 1)
        #expect(denied.first?.actor == "sam" && denied.first?.role == .support && denied.first?.outcome == .denied)
        #expect(denied.first?.clientID == "acme")
        #expect(denied.first?.detail == "add crm.csv: support may not apply uploads and imports (needs ops)")
        let applied = try await upload(store, file, by: Self.ops)
        #expect(applied.recordsAfter == 3)
    }

    @Test func exportsGraphImportsClientsAndTheDemoAreRefusedBelowTheirRole() async throws {
        let (store, file) = try await Self.setUp()
        let client = try #require(try await store.client(id: "acme"))
        let folder = file.deletingLastPathComponent()
        let export = DeltaExport(store: store, root: folder.appendingPathComponent("exports"))
        let day = Day(Fixtures.now)
        await #expect(throws: BakeryError.self) { try await export.preview(clientID: "acme", day: day, by: Self.viewer) }
        _ = try await export.preview(clientID: "acme", day: day, by: Self.support)
        await #expect(throws: BakeryError.self) { try await export.run(client: client, day: day, by: Self.support) }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("exports").path))
        #expect(try await store.exportRuns(clientID: "acme", limit: 5).isEmpty, "a refused run is not in the ledger")
        _ = try await export.run(client: client, day: day, by: Self.ops)
        await #expect(throws: BakeryError.self) {
            try await GraphImport(store: store).run(file: file, actor: Self.support, report: nil)
        }
        await #expect(throws: BakeryError.self) {
            try await Fixtures.client("beta").add(to: store, by: Self.ops)
        }
        #expect(try await store.client(id: "beta") == nil)
        await #expect(throws: BakeryError.self) {
            try await DemoDataset.build(DemoOptions(clients: 1, records: 10), into: store, by: Self.ops)
        }
        await #expect(throws: BakeryError.self) { try await SyncLookup(store: store, actor: Self.viewer).pairs(daID: "x") }
        _ = try await SyncLookup(store: store, actor: Self.support).pairs(daID: "x")
        let denied = try await Self.denials(store)
        #expect(denied.map(\.actor) == ["vera", "otto", "otto", "sam", "sam", "vera"], "\(denied.map(\.detail))")
        let runs = try await store.auditEntries(AuditQuery(action: "export.run"), page: PageRequest(limit: 5)).items
        #expect(runs.map(\.actor) == ["otto"], "the allowed run is audited, in the same transaction as its ledger row")
    }

    @Test func aViewersStoreIsReadOnlyInSQLiteItselfButStillAudits() async throws {
        let (store, file) = try await Self.setUp()
        let readOnly = try SQLiteStore(path: store.path, mode: .readOnly)
        #expect(readOnly.isReadOnly)
        #expect(try await readOnly.clients().map(\.id) == ["acme"])
        // Below Bakery's own check, SQLite itself refuses: the connections were opened read-only.
        await #expect(throws: DatabaseError.self) {
            try await readOnly.pool.write { db in try db.execute(sql: "DELETE FROM client") }
        }
        // Past the core's check, straight at the store: refused.
        await #expect(throws: BakeryError.self) { try await readOnly.addClient(Fixtures.client("beta")) }
        await #expect(throws: BakeryError.self) {
            try await readOnly.recordSyncHits([
                SyncHit(partner: "acme-dmp", cookieID: "c", daID: "d", site: nil, at: Fixtures.now)
            ])
        }
        await #expect(throws: BakeryError.self) {
            try await Onboarding(store: readOnly).run(
                OnboardingRequest(clientID: "acme", file: file, mode: .add, source: .console, actor: Self.ops))
        }
        #expect(try await store.counts(clientID: "acme", now: Fixtures.now) == ClientCounts())
        #expect(try await store.syncPairs(daID: "d").isEmpty)
        // The viewer's refusal reaches the log through the read-only store's audit connection.
        await #expect(throws: BakeryError.self) { try await upload(readOnly, file, by: Self.viewer, dryRun: true) }
        #expect(try await Self.denials(store).map(\.actor) == ["vera"])
    }

    @Test func aMissingDatabaseOrOneThatNeedsAMigrationIsNotOpenedReadOnly() async throws {
        let folder = try TemporaryFolder.make()
        let path = folder.appendingPathComponent("missing.sqlite").path
        #expect(throws: BakeryError.databaseMissing(path: path)) { try SQLiteStore(path: path, mode: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
        let older = folder.appendingPathComponent("older.sqlite").path
        let queue = try DatabaseQueue(path: older)
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try Schema.migrator.migrate(queue, upTo: "v4-record-id-bytes")
        try queue.close()
        do {
            _ = try SQLiteStore(path: older, mode: .readOnly)
            Issue.record("opened a database that needs a migration read-only")
        } catch let error as BakeryError {
            #expect(error.localizedDescription.contains("needs an upgrade of its schema"))
        }
        _ = try SQLiteStore(path: older, mode: .existing)
        _ = try SQLiteStore(path: older, mode: .readOnly)
    }
}

/// Refusals that leave everything in place: the sync table's search, a file preview, a drop-zone file.
@Suite("Roles in the core: what a refusal leaves")
struct RefusalTests {
    @Test func aViewerBrowsesTheSyncTableButItsSearchAndAFilePreviewAreRefused() async throws {
        let (store, file) = try await RoleEnforcementTests.setUp()
        try await store.recordSyncHits([SyncHit(partner: "acme-dmp", cookieID: "c1", daID: "d1", site: nil, at: Fixtures.now)])
        let viewer = SyncLookup(store: store, actor: RoleEnforcementTests.viewer)
        let all = try await viewer.page(SyncPairQuery(clientID: "acme"), page: PageRequest(limit: 5))
        #expect(all.items.map(\.cookieID) == ["c1"])
        await #expect(throws: BakeryError.self) {
            try await viewer.page(SyncPairQuery(clientID: "acme", order: .cookieID, prefix: "c"), page: PageRequest(limit: 5))
        }
        let support = SyncLookup(store: store, actor: RoleEnforcementTests.support)
        #expect(try await support.page(SyncPairQuery(clientID: "acme", order: .cookieID, prefix: "c"), page: PageRequest(limit: 5)).items.count == 1)
        await #expect(throws: BakeryError.self) {
            try await Onboarding(store: store).preview(file, clientID: "acme", by: RoleEnforcementTests.viewer)
        }
        let preview = try await Onboarding(store: store).preview(file, clientID: "acme", by: RoleEnforcementTests.support)
        #expect(preview.samples.count == 3)
        let denied = try await RoleEnforcementTests.denials(store)
        #expect(denied.count == 2 && denied.allSatisfy { $0.actor == "vera" })
    }

    @Test func aDropZoneFileARoleMayNotApplyStaysInTheInbox() async throws {
        let (store, file) = try await RoleEnforcementTests.setUp()
        var client = try #require(try await store.client(id: "acme"))
        client.id = "zone"
        client.audience = "77"
        client.partners = [Partner(key: "zone-dmp")]
        try await store.addClient(client)
        let root = file.deletingLastPathComponent().appendingPathComponent("zone")
        let inbox = root.appendingPathComponent("onboard/audience=77/opt-in")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let arrival = inbox.appendingPathComponent("20261126_120000.csv")
        try FileManager.default.copyItem(at: file, to: arrival)
        let parsed = try DropZoneFile.parse(relativePath: "onboard/audience=77/opt-in/20261126_120000.csv").get()
        let refused = await DropZone(root: root, store: store, actor: RoleEnforcementTests.support).apply(parsed)
        #expect(refused.receipt.disposition == .kept && refused.summary == nil)
        #expect(FileManager.default.fileExists(atPath: arrival.path), "the file waits for someone who may apply it")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("failed").path))
        let applied = await DropZone(root: root, store: store, actor: RoleEnforcementTests.ops).apply(parsed)
        #expect(applied.receipt.disposition == .deleted && applied.summary?.accepted == 3)
    }
}
