import BakeryCore
import BakerySQLite
import BakeryTesting
import Foundation
import Testing

/// The storage flows on local folders (`file:///…` locations); the same flows run against S3 and SFTP servers in
/// BakeryStorageTests.
@Suite("Local storage locations")
struct LocalStorageTests {
    static func setUp() throws -> (SQLiteStore, URL) {
        let folder = try TemporaryFolder.make()
        return (try SQLiteStore(path: folder.appendingPathComponent("s.sqlite").path, mode: .createIfMissing), folder)
    }

    static func location(_ role: StorageLocation.Role, _ folder: URL) throws -> StorageLocation {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return StorageLocation(clientID: "-", role: role, address: try StorageAddress(parsing: "file://\(folder.path)/"))
    }

    @Test func intakeAppliesFilesAndClearsTheInbox() async throws {
        let (store, folder) = try Self.setUp()
        try await StorageFlows.intakeAppliesFilesAndClearsTheInbox(
            store: store, intake: try Self.location(.intake, folder.appendingPathComponent("in")),
            connector: LocalStorageConnector())
    }

    @Test func intakeAppliesEachObjectOnce() async throws {
        let (store, folder) = try Self.setUp()
        try await StorageFlows.intakeAppliesEachObjectOnce(
            store: store, intake: try Self.location(.intake, folder.appendingPathComponent("in")),
            connector: LocalStorageConnector())
    }

    @Test func failedFilesAreShreddedWhenTheirTimeRunsOut() async throws {
        let (store, folder) = try Self.setUp()
        try await StorageFlows.failedFilesAreShreddedWhenTheirTimeRunsOut(
            store: store, intake: try Self.location(.intake, folder.appendingPathComponent("in")),
            connector: LocalStorageConnector())
    }

    @Test func deliveryPutsTheDayWithItsMarkerLast() async throws {
        let (store, folder) = try Self.setUp()
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: store, delivery: try Self.location(.delivery, folder.appendingPathComponent("out")),
            connector: LocalStorageConnector(), exportRoot: folder.appendingPathComponent("exports"))
    }

    @Test func aDeliveryWhoseLocalFileChangedIsRefusedAndMarkedFailed() async throws {
        let (store, folder) = try Self.setUp()
        let out = folder.appendingPathComponent("out")
        let client = try await StorageFlows.client(
            "tamper", audience: "T", in: store, locations: [try Self.location(.delivery, out)])
        let run = try await DeltaExport(store: store, root: folder.appendingPathComponent("exports"))
            .run(client: client, day: Day(iso: "2026-11-29")!, by: Fixtures.actor)
        try Data("not the exported bytes".utf8).write(to: try #require(run.localFile))
        await #expect(throws: StorageFailure.self) {
            try await ExportDelivery(store: store, connector: LocalStorageConnector(), attempts: 1)
                .deliver(run, client: client, by: Fixtures.actor)
        }
        let ledger = try #require(try await store.exportRuns(clientID: "tamper", limit: 1).first?.delivery)
        #expect(ledger.status == .failed && ledger.message?.contains("does not match the ledger") == true)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("exports").path), "nothing was put")
    }

    @Test func aViewerMayNotAddALocationAndTheRefusalIsAudited() async throws {
        let (store, folder) = try Self.setUp()
        try await store.addClient(Fixtures.client("acme"))
        var location = try Self.location(.intake, folder)
        location.clientID = "acme"
        await #expect(throws: BakeryError.self) {
            _ = try await location.add(to: store, by: Operator(name: "vera", role: .viewer))
        }
        #expect(try await store.storageLocations(clientID: "acme").isEmpty)
        let denied = try await store.auditEntries(AuditQuery(action: "role.denied"), page: PageRequest(limit: 5)).items
        #expect(denied.count == 1 && denied[0].actor == "vera")
    }
}
