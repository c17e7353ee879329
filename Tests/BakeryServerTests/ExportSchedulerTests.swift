import BakeryCore
import BakeryTesting
import Foundation
import Logging
import Testing

@testable import BakeryServer

@Suite("Export scheduler")
struct ExportSchedulerTests {
    static func scheduler(
        _ harness: ServerHarness, root: URL, at date: Date = Fixtures.now, role: Role = .ops,
        retention: RetentionPolicy? = nil
    ) -> ExportScheduler {
        ExportScheduler(
            store: harness.store, exportRoot: root, actor: Operator(name: "scheduler", role: role), metrics: harness.server.metrics, logger: Logger(label: "test"),
            retention: retention, now: { date })
    }

    @Test(arguments: [(3_600, 3_600.0), (7_200, 86_400.0), (10_800, 82_800.0), (0, 7_200.0)])
    func waitsUntilTheNextRunTime(secondsIntoDay: Int, expected: Double) async throws {
        let harness = try await ServerHarness()
        let midnight = Day(Fixtures.now).start
        let scheduler = Self.scheduler(harness, root: URL(fileURLWithPath: "/tmp"))
        #expect(scheduler.secondsUntilNextRun(after: midnight.addingTimeInterval(Double(secondsIntoDay))) == expected)
    }

    @Test func aRunSnapshotsEveryClientCatchesUpAndAFailedClientDoesNotStopTheOthers() async throws {
        let harness = try await ServerHarness()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-sched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // acme's folder is blocked by a file: its exports fail; pianoco's go through.
        try Data().write(to: root.appendingPathComponent("acme"))
        let yesterday = Day(Fixtures.now).adding(days: -1)
        // pianoco last delivered three days before yesterday: the run catches up three days.
        _ = try await harness.store.addExportRun(
            ExportRun(
                clientID: "pianoco", day: yesterday.adding(days: -3), startedBy: "scheduler", startedAt: Fixtures.now,
                finishedAt: Fixtures.now, rows: 0, file: nil, sha256: nil, bytes: 0, outcome: .succeeded))
        let runs = await Self.scheduler(harness, root: root).runOnce()
        #expect(runs.map(\.clientID) == ["pianoco", "pianoco", "pianoco"])
        #expect(runs.map(\.day) == [yesterday.adding(days: -2), yesterday.adding(days: -1), yesterday])
        for client in ["acme", "pianoco"] {
            #expect(
                try await harness.store.snapshots(clientID: client, since: Day(Fixtures.now)).count == 1, "\(client)")
        }
        let acme = try await harness.store.exportRuns(clientID: "acme", limit: 5)
        #expect(acme.count == 1 && acme[0].outcome == .failed && acme[0].startedBy == "scheduler")
        let metrics = harness.server.metrics.text()
        #expect(metrics.contains("bakery_export_runs_total{outcome=\"succeeded\"} 3"))
        #expect(metrics.contains("bakery_export_runs_total{outcome=\"failed\"} 1"))
        // Run again: nothing left to catch up for pianoco.
        #expect(await Self.scheduler(harness, root: root).runOnce().isEmpty)
    }

    @Test func theNightlyPurgeRemovesWhatIsPastItsDaysAndCountsItsOutcome() async throws {
        let harness = try await ServerHarness()
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-purge-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("acme")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let today = Day(Fixtures.now)
        let old = today.adding(days: -40), recent = today.adding(days: -2)
        for day in [old, recent] { try Data("x".utf8).write(to: folder.appendingPathComponent("acme_\(day).csv.gz")) }
        try await harness.store.recordSyncHits([
            SyncHit(partner: "acme-dmp", cookieID: "c-old", daID: ServerHarness.validDA, site: nil, at: old.start),
            SyncHit(partner: "acme-dmp", cookieID: "c-new", daID: ServerHarness.validDA, site: nil, at: recent.start),
        ])
        let policy = RetentionPolicy(syncDays: 30, graphDays: 30, removedRecordDays: 30, auditDays: 730, exportDays: 30)

        let refused = await Self.scheduler(harness, root: root, role: .support, retention: policy).purge()
        #expect(refused == nil, "a role that may not purge is refused")
        #expect(harness.server.metrics.text().contains("bakery_purge_runs_total{outcome=\"failed\"} 1"))

        let report = try #require(await Self.scheduler(harness, root: root, retention: policy).purge())
        #expect(report.clients == ["acme": RemovedRows(syncPairs: 1, syncActivity: 1)])
        #expect(report.exportFiles == ["acme": 1])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["acme_\(recent).csv.gz"])
        #expect(try await harness.store.syncPairs(partner: "acme-dmp", cookieID: "c-new").count == 1)
        let metrics = harness.server.metrics.text()
        #expect(metrics.contains("bakery_purge_runs_total{outcome=\"succeeded\"} 1"))
        #expect(metrics.contains("bakery_purged_rows_total 2"))
        let audit = try await harness.store.auditEntries(AuditQuery(action: "privacy.purge"), page: PageRequest(limit: 5)).items
        #expect(audit.map(\.actor) == ["scheduler"])
        #expect(await Self.scheduler(harness, root: root).purge() == nil, "without a policy nothing is purged")
    }
}
