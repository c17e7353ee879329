@testable import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation
import Testing

/// The delta export on a small hand-built fixture whose expected rows are written out here.
@Suite("Delta export")
struct DeltaExportTests {
    static let day = Day(iso: "2026-11-25")!
    static let e2 = Fixtures.hash("e2")

    /// acme (Tealium, CSV): r1 has its own id CUST-1; r2 is named by its hash; r3 was removed.
    /// Browser d1 is linked to e1 and e2, d2 to e2, d3 to r3's e3; d9 is unknown to the graph.
    static func fixture() async throws -> (SQLiteStore, URL) {
        let folder = try TemporaryFolder.make()
        let store = try SQLiteStore(path: folder.appendingPathComponent("x.sqlite").path, mode: .createIfMissing)
        try await store.addClient(Fixtures.client("acme", partners: ["acme-dmp"], dmp: .tealium))
        try await store.addClient(Fixtures.client("perm", partners: ["perm-dmp"], dmp: .permutive))
        try await store.insertRecords([
            CRMRecord(clientID: "acme", recordID: "CUST-1", identifiers: [Identifier(.email, Fixtures.hash("e1"))]),
            CRMRecord(clientID: "acme", recordID: e2.hex, identifiers: [Identifier(.email, e2)]),
            CRMRecord(clientID: "acme", recordID: "CUST-3", identifiers: [Identifier(.email, Fixtures.hash("e3"))], active: false),
            CRMRecord(clientID: "perm", recordID: "P-1", identifiers: [Identifier(.email, Fixtures.hash("e1"))]),
        ])
        let seen = day.start
        try await store.upsertGraphEdges([
            GraphEdge(node: .daID("d1"), identifier: Identifier(.email, Fixtures.hash("e1")), lastSeen: seen),
            GraphEdge(node: .daID("d1"), identifier: Identifier(.email, e2), lastSeen: seen),
            GraphEdge(node: .daID("d2"), identifier: Identifier(.email, e2), lastSeen: seen),
            GraphEdge(node: .daID("d3"), identifier: Identifier(.email, Fixtures.hash("e3")), lastSeen: seen),
        ])
        let noon = seen.addingTimeInterval(12 * 3600)
        try await store.recordSyncHits([
            SyncHit(partner: "acme-dmp", cookieID: "ck-b", daID: "d1", site: nil, at: noon),
            SyncHit(partner: "acme-dmp", cookieID: "ck-a", daID: "d2", site: nil, at: noon, hits: 3),
            SyncHit(partner: "acme-dmp", cookieID: "ck-c", daID: "d3", site: nil, at: noon),
            SyncHit(partner: "acme-dmp", cookieID: "ck-d", daID: "d9", site: nil, at: noon),
            // Seen the day before only: not in this day's file.
            SyncHit(partner: "acme-dmp", cookieID: "ck-e", daID: "d1", site: nil, at: noon.addingTimeInterval(-86_400)),
            SyncHit(partner: "perm-dmp", cookieID: "pk \"1\"", daID: "d1", site: nil, at: noon),
        ])
        return (store, folder.appendingPathComponent("exports"))
    }

    static func gunzip(_ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", url.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theFileHoldsExactlyTheExpectedRowsAndPreviewAgrees() async throws {
        let (store, root) = try await Self.fixture()
        let export = DeltaExport(store: store, root: root, now: { Fixtures.now })
        let client = try #require(try await store.client(id: "acme"))
        let run = try await export.run(client: client, day: Self.day, by: Fixtures.actor)
        let expected = """
            cookie_id,record_id
            ck-a,\(Self.e2.hex)
            ck-b,CUST-1
            ck-b,\(Self.e2.hex)

            """
        #expect(try Self.gunzip(try #require(run.localFile)) == expected)
        #expect(run.rows == 3 && run.outcome == .succeeded)
        let preview = try await export.preview(clientID: "acme", day: Self.day, by: Fixtures.actor)
        #expect(preview.rows == run.rows && preview.cookies == 2 && preview.records == 2)
        #expect(preview.sample.first == ExportPair(cookieID: "ck-a", recordID: Self.e2.hex))

        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("acme").path).sorted()
        #expect(files == ["acme_2026-11-25.csv.gz", "acme_2026-11-25.done", "acme_2026-11-25.manifest.json"])
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("acme/acme_2026-11-25.manifest.json"))) as? [String: Any]
        #expect(manifest?["rows"] as? Int == 3 && manifest?["sha256"] as? String == run.sha256)
        #expect(manifest?["schema_version"] as? Int == 1 && manifest?["day"] as? String == "2026-11-25")
        #expect((manifest?["window"] as? [String: String])?["from"] == "2026-11-25T00:00:00Z")
        #expect(manifest?["bytes"] as? Int == run.bytes)

        // The same data gives the same file; the ledger keeps both runs.
        let again = try await export.run(client: client, day: Self.day, by: Fixtures.actor)
        #expect(again.sha256 == run.sha256)
        #expect(try await store.exportRuns(clientID: "acme", limit: 10).count == 2)
    }

    @Test func aChangeInCRMDataChangesTheRows() async throws {
        let (store, root) = try await Self.fixture()
        let export = DeltaExport(store: store, root: root, now: { Fixtures.now })
        let before = try await export.preview(clientID: "acme", day: Self.day, by: Fixtures.actor)
        try await store.insertRecords([
            CRMRecord(clientID: "acme", recordID: "CUST-9", identifiers: [Identifier(.email, Fixtures.hash("e3"))])
        ])
        let after = try await export.preview(clientID: "acme", day: Self.day, by: Fixtures.actor)
        #expect(after.rows == before.rows + 1 && after.cookies == 3)
    }

    @Test func permutiveGetsNDJSONWithEscapedValues() async throws {
        let (store, root) = try await Self.fixture()
        let run = try await DeltaExport(store: store, root: root).run(
            client: try #require(try await store.client(id: "perm")), day: Self.day, by: Fixtures.actor)
        #expect(run.file?.hasSuffix("perm_2026-11-25.ndjson.gz") == true)
        #expect(try Self.gunzip(run.localFile!) == "{\"cookie_id\":\"pk \\\"1\\\"\",\"record_id\":\"P-1\"}\n")
    }

    @Test func aKilledRunLeavesNoVisibleFileAndARerunSucceeds() async throws {
        let (store, root) = try await Self.fixture()
        let folder = root.appendingPathComponent("acme")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // What a run killed mid-write leaves: a hidden partial file and no marker.
        try Data("half a gzip".utf8).write(to: folder.appendingPathComponent(".acme_2026-11-25.csv.gz.partial"))
        let run = try await DeltaExport(store: store, root: root).run(
            client: try #require(try await store.client(id: "acme")), day: Self.day, by: Fixtures.actor)
        #expect(run.outcome == .succeeded)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        #expect(!files.contains { $0.hasSuffix(".partial") })
        #expect(files.contains("acme_2026-11-25.done"))
    }

    @Test func aFailedRunIsInTheLedgerAndThrows() async throws {
        let (store, root) = try await Self.fixture()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // The client's folder cannot be created: a file is in the way.
        try Data().write(to: root.appendingPathComponent("acme"))
        let export = DeltaExport(store: store, root: root)
        await #expect(throws: (any Error).self) {
            try await export.run(client: try #require(try await store.client(id: "acme")), day: Self.day, by: Fixtures.actor)
        }
        let runs = try await store.exportRuns(clientID: "acme", limit: 5)
        #expect(runs.count == 1 && runs[0].outcome == .failed && runs[0].startedBy == "ops" && runs[0].message != nil)
    }

    @Test func catchUpCoversTheDaysAfterTheLastSuccessBoundedByRetention() async throws {
        let (store, root) = try await Self.fixture()
        let export = DeltaExport(store: store, root: root)
        #expect(try await export.catchUpDays(clientID: "acme", through: Self.day) == [Self.day])
        let client = try #require(try await store.client(id: "acme"))
        try await export.run(client: client, day: Self.day.adding(days: -3), by: Fixtures.actor)
        #expect(
            try await export.catchUpDays(clientID: "acme", through: Self.day)
                == [Self.day.adding(days: -2), Self.day.adding(days: -1), Self.day])
        #expect(try await export.catchUpDays(clientID: "acme", through: Self.day.adding(days: 100), retention: 5).count == 5)
        #expect(try await export.catchUpDays(clientID: "acme", through: Self.day.adding(days: -3)).isEmpty)
    }

    @Test func aBatchRunsTwoAtATimeKeepsTheOrderAndAFailureStopsNothing() async throws {
        let (store, root) = try await Self.fixture()
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data().write(to: root.appendingPathComponent("acme"))  // acme's exports fail
        let acme = try #require(try await store.client(id: "acme"))
        let perm = try #require(try await store.client(id: "perm"))
        let export = DeltaExport(store: store, root: root)
        let jobs = [
            DeltaExport.Job(client: acme, day: Self.day), DeltaExport.Job(client: perm, day: Self.day),
            DeltaExport.Job(client: perm, day: Self.day.adding(days: -1)),
        ]
        let outcomes = await export.perform(jobs, preview: false, by: Fixtures.actor, concurrency: 2)
        #expect(outcomes.count == 3)
        guard case .failed(let client, _, _) = outcomes[0] else { Issue.record("acme should fail"); return }
        #expect(client == "acme")
        guard case .written(let first) = outcomes[1], case .written(let second) = outcomes[2] else {
            Issue.record("perm's runs should succeed: \(outcomes)")
            return
        }
        #expect(first.day == Self.day && second.day == Self.day.adding(days: -1))
        #expect(first.rows == 1 && second.rows == 0)
        let previews = await export.perform(jobs, preview: true, by: Fixtures.actor)
        guard case .previewed(let preview) = previews[0] else { Issue.record("a preview writes nothing, so acme works"); return }
        #expect(preview.rows == 3)
    }

    @Test func oneDayPassWritesEveryClientsFileAsItsOwnRunDoesAndEmptyOnesToo() async throws {
        let (store, root) = try await Self.fixture()
        try await store.addClient(Fixtures.client("quiet", partners: ["quiet-dmp"]))
        let clients = try await store.clients()
        let export = DeltaExport(store: store, root: root, now: { Fixtures.now })
        var alone: [String: String] = [:]
        for client in clients {
            alone[client.id] = try await export.run(client: client, day: Self.day, by: Fixtures.actor).sha256
        }
        let jobs = clients.reversed().map { DeltaExport.Job(client: $0, day: Self.day) }
        #expect(DeltaExport.passes(jobs, concurrency: 1).count == 1)
        let outcomes = await export.perform(jobs, preview: false, by: Fixtures.actor, concurrency: 1)
        let runs = outcomes.compactMap { if case .written(let run) = $0 { run } else { nil } }
        #expect(runs.map(\.clientID) == ["quiet", "perm", "acme"], "outcomes keep the order of the jobs")
        for run in runs { #expect(run.sha256 == alone[run.clientID], "\(run.clientID)") }
        #expect(runs.map(\.rows) == [0, 1, 3])
        let quiet = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("quiet").path)
        #expect(quiet.contains("quiet_2026-11-25.done") && !quiet.contains { $0.hasSuffix(".partial") })
        #expect(try Self.gunzip(root.appendingPathComponent("quiet/\(try #require(quiet.first { $0.hasSuffix(".gz") }))")).split(separator: "\n").count == 1, "the header alone")
    }

    @Test func aBatchIsOnePassPerDaySplitUntilBothCoresHaveOne() throws {
        let clients = ["c", "a", "b", "d"].map { Fixtures.client($0) }
        let today = clients.map { DeltaExport.Job(client: $0, day: Self.day) }
        #expect(DeltaExport.passes(today, concurrency: 1) == [[1, 2, 0, 3]])
        #expect(DeltaExport.passes(today, concurrency: 2) == [[1, 2], [0, 3]])
        let twoDays = today + [DeltaExport.Job(client: clients[0], day: Self.day.adding(days: -1))]
        #expect(DeltaExport.passes(twoDays, concurrency: 2) == [[4], [1, 2, 0, 3]])
    }
}
