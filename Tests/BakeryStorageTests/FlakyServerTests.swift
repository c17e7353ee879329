import BakeryCore
import BakeryS3
import BakerySQLite
import BakeryStorage
import BakeryTestPeers
import BakeryTesting
import Foundation
import Testing

/// Whole pickups and deliveries against the real servers while they fail for a while (a ``FlakyProxy`` in front of
/// them: HTTP 500 and 503, dropped connections), and against a wrong secret or a missing bucket: retried and
/// completed where the failure passes, a clear error and nothing changed where it does not.
@Suite("Storage servers that fail for a while")
struct FlakyServerTests {
    @Test func anS3PickupMeetingErrorsAndDroppedConnectionsIsRetriedAndCompletes() async throws {
        let server = try TestPeers.S3(open: true)
        let proxy = try FlakyProxy(to: server.port, mode: .http, schedule: FlakyProxy.everyOther(until: 16))
        defer { proxy.stop() }
        let intake = try await server.location(.intake, endpoint: "http://127.0.0.1:\(proxy.port)")
        try await StorageFlows.intakeAppliesFilesAndClearsTheInbox(
            store: try Scratch.store("flaky"), intake: intake, connector: StandardStorageConnector(environment: server.environment))
        #expect(proxy.faults == [.status(503), .drop, .status(500), .drop, .status(503), .drop, .status(500), .drop])
        #expect(proxy.accepted > 16, "the flow went on past the faults: \(proxy.accepted) requests")
    }

    @Test func anS3DeliveryMeetingErrorsAndDroppedConnectionsIsRetriedAndCompletes() async throws {
        let server = try TestPeers.S3()
        let proxy = try FlakyProxy(to: server.port, mode: .http, schedule: FlakyProxy.everyOther(until: 10))
        defer { proxy.stop() }
        let delivery = try await server.location(.delivery, prefix: "", endpoint: "http://127.0.0.1:\(proxy.port)")
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: try Scratch.store("flaky"), delivery: delivery, connector: StandardStorageConnector(environment: server.environment),
            exportRoot: try Scratch.folder("flaky-exports"))
        #expect(proxy.faults.count == 5, "\(proxy.faults)")
        #expect(proxy.accepted > 10)
    }

    @Test func anSFTPDeliveryWhoseConnectionsDropIsRetriedAndCompletes() async throws {
        let server = try TestPeers.SFTP()
        let proxy = try FlakyProxy(to: Int(server.port)!, mode: .tcp, schedule: FlakyProxy.everyOther(until: 4))
        defer { proxy.stop() }
        // Each drop fails one attempt of the delivery (each step is one session): two drops, a third attempt.
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: try Scratch.store("flaky"), delivery: try server.location(.delivery, port: proxy.port),
            connector: StandardStorageConnector(), exportRoot: try Scratch.folder("flaky-exports"), attempts: 4)
        #expect(proxy.faults == [.drop, .drop])
    }

    @Test func anSFTPPickupWhoseConnectionsDropCompletesAtALaterPoll() async throws {
        let server = try TestPeers.SFTP()
        let proxy = try FlakyProxy(to: Int(server.port)!, mode: .tcp, schedule: FlakyProxy.everyOther(until: 8))
        defer { proxy.stop() }
        let store = try Scratch.store("flaky")
        let intake = try server.location(.intake, port: proxy.port)
        let client = try await StorageFlows.client("flaky", audience: "A-flaky", in: store, locations: [intake])
        let source = try StandardStorageConnector().source(for: intake)
        let key = "onboard/audience=A-flaky/opt-in/20261130_010000.csv"
        // The client's upload lands on the server's disk directly: the drops are for Bakery's pickup.
        let file = URL(fileURLWithPath: intake.address.path).appendingPathComponent(key)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(StorageFlows.plainFile.utf8).write(to: file)
        let poller = IntakePoller(store: store, connector: StandardStorageConnector(), actor: Fixtures.actor)
        _ = try await StorageFlows.pollUntilDone(poller, polls: 12)
        #expect(proxy.faults.count == 4, "every drop met: \(proxy.faults)")
        #expect(try await store.uploads(clientID: client.id, limit: 10).count == 1, "applied once")
        #expect(try await store.counts(clientID: client.id, now: Date()).activeRecords == 3)
        #expect(!FileManager.default.fileExists(atPath: file.path), "the plain file is gone")
        let left = try await source.list(under: "")
        #expect(left.contains { $0.key.hasPrefix("processed/") && $0.key.hasSuffix(".receipt.json") }, "\(left.map(\.key))")
    }

    @Test func aDeliveryWithAWrongSecretOrToAMissingBucketFailsClearlyAndPutsNothing() async throws {
        let server = try TestPeers.S3()
        let store = try Scratch.store("flaky")
        let delivery = try await server.location(.delivery, prefix: "")
        let client = try await StorageFlows.client("refused", audience: "A-refused", in: store, locations: [delivery])
        let day = Day(iso: "2026-11-29")!
        let run = try await DeltaExport(store: store, root: try Scratch.folder("flaky-exports")).run(client: client, day: day, by: Fixtures.actor)
        let wrong = StandardStorageConnector(environment: ["TEST_S3_ID": server.accessKey, "TEST_S3_SECRET": "wrong"])
        let refusal = await #expect(throws: StorageFailure.self) {
            try await ExportDelivery(store: store, connector: wrong, attempts: 3, backoff: .milliseconds(10))
                .deliver(run, client: client, by: Fixtures.actor)
        }
        #expect(refusal?.description.contains("SignatureDoesNotMatch") == true, "\(String(describing: refusal))")
        let refused = try #require(try await store.exportRuns(clientID: client.id, limit: 1).first?.delivery)
        #expect(refused.status == .failed && refused.attempts == 1, "in the ledger, not retried: \(refused)")
        #expect(refused.message?.contains("secret access key is wrong") == true, "\(refused)")
        let destination = try StandardStorageConnector(environment: server.environment).destination(for: delivery)
        let prefix = ExportProfile.deliveryPrefix(for: client.dmp)
        #expect(try await destination.read(prefix + "refused_2026-11-29.csv.gz", limit: 1 << 20) == nil, "nothing put")

        var missing = try #require(try await store.storageLocations(clientID: client.id).first)
        try await missing.remove(from: store, by: Fixtures.actor)
        missing.id = nil
        let bucket = "no-such-bucket-bakery-\(UUID().uuidString.prefix(8).lowercased())"
        missing.address = try StorageAddress(parsing: "s3://\(bucket)/")
        _ = try await missing.add(to: store, by: Fixtures.actor)
        await #expect(throws: StorageFailure.self) {
            try await ExportDelivery(
                store: store, connector: StandardStorageConnector(environment: server.environment), attempts: 3,
                backoff: .milliseconds(10)
            ).deliver(try #require(try await store.exportRuns(clientID: client.id, limit: 1).first), client: client, by: Fixtures.actor)
        }
        let absent = try #require(try await store.exportRuns(clientID: client.id, limit: 1).first?.delivery)
        #expect(absent.status == .failed && absent.attempts == 2, "not retried: \(absent)")
        #expect(absent.message?.contains(bucket) == true && absent.message?.contains("NoSuchBucket") == true, "\(absent)")
    }
}
