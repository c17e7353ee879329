import BakeryCore
import BakeryTesting
import Foundation
import Logging
import Testing

@testable import BakeryServer

@Suite("Storage scheduler")
struct StorageSchedulerTests {
    static func folder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-storage-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func theNightlyRunDeliversAndAFailedDeliveryIsRetriedOnceItsBackoffPassed() async throws {
        let harness = try await ServerHarness()
        let exports = try Self.folder("exports")
        let out = try Self.folder("out")
        let pianoco = try #require(try await harness.store.client(id: "pianoco"))
        // Delivery into a folder that is a file: every put fails until the file is replaced by a folder.
        let blocked = out.appendingPathComponent("blocked")
        try Data().write(to: blocked)
        _ = try await StorageLocation(
            clientID: pianoco.id, role: .delivery, address: try StorageAddress(parsing: "file://\(blocked.path)/")
        ).add(to: harness.store, by: Fixtures.actor)
        let actor = Operator(name: "scheduler", role: .ops)
        let nightly = ExportScheduler(
            store: harness.store, exportRoot: exports, actor: actor, metrics: harness.server.metrics,
            logger: Logger(label: "test"), storage: LocalStorageConnector(), now: { Fixtures.now })
        let runs = await nightly.runOnce()
        let run = try #require(runs.first { $0.clientID == pianoco.id })
        let ledger = try #require(try await harness.store.exportRuns(clientID: pianoco.id, limit: 1).first)
        #expect(ledger.id == run.id && ledger.delivery?.status == .failed, "\(String(describing: ledger.delivery))")
        #expect(ledger.delivery?.message?.contains(blocked.path) == true)

        // Not due yet: one poll interval after the failure.
        try FileManager.default.removeItem(at: blocked)
        let early = StorageScheduler(
            store: harness.store, connector: LocalStorageConnector(), actor: actor, interval: .seconds(60),
            logger: Logger(label: "test"), now: { Date() })
        #expect(await early.runOnce().redelivered.isEmpty, "backoff not passed")
        let later = StorageScheduler(
            store: harness.store, connector: LocalStorageConnector(), actor: actor, interval: .seconds(60),
            logger: Logger(label: "test"), now: { Date().addingTimeInterval(3 * 3600) })
        let redelivered = await later.runOnce().redelivered
        #expect(redelivered.map(\.id) == [run.id])
        #expect(try await harness.store.exportRuns(clientID: pianoco.id, limit: 1).first?.delivery?.status == .delivered)
        #expect(FileManager.default.fileExists(atPath: blocked.appendingPathComponent("exports/piano/\(pianoco.id)_\(run.day).done").path))
    }

    @Test func eachPollAppliesWhatArrivedAtTheIntakeLocations() async throws {
        let harness = try await ServerHarness()
        let intake = try Self.folder("in")
        var pianoco = try #require(try await harness.store.client(id: "pianoco"))
        pianoco.audience = "P1"
        try await harness.store.removeClient(id: "pianoco")
        try await harness.store.addClient(pianoco)
        _ = try await StorageLocation(
            clientID: pianoco.id, role: .intake, address: try StorageAddress(parsing: "file://\(intake.path)/")
        ).add(to: harness.store, by: Fixtures.actor)
        let scheduler = StorageScheduler(
            store: harness.store, connector: LocalStorageConnector(), actor: Operator(name: "scheduler", role: .ops),
            logger: Logger(label: "test"))
        await scheduler.look()
        let key = "onboard/audience=P1/opt-in/20261130_010000.csv"
        try await StorageFlows.drop(StorageFlows.plainFile, as: key, into: LocalFolder(root: intake))
        #expect(await scheduler.runOnce().receipts.isEmpty, "seen once: it may still be growing")
        let receipts = await scheduler.runOnce().receipts
        #expect(receipts.map(\.status) == [.applied] && receipts.first?.disposition == .deleted)
        #expect(try await harness.store.counts(clientID: pianoco.id, now: Date()).activeRecords == 3)
    }
}
