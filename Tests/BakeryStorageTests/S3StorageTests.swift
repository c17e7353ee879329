import BakeryCore
import BakeryS3
import BakerySQLite
import BakeryStorage
import BakeryTestPeers
import BakeryTesting
import Foundation
import Testing

/// The storage flows against a real S3 server on loopback: moto with IAM on, so signatures are checked. scripts/test
/// starts it and sets BAKERY_TEST_S3_*.
@Suite("S3 locations")
struct S3StorageTests {
    @Test func intakeAppliesFilesAndClearsTheInbox() async throws {
        let server = try TestPeers.S3(open: true)
        try await StorageFlows.intakeAppliesFilesAndClearsTheInbox(
            store: try Scratch.store("s3"), intake: try await server.location(.intake),
            connector: StandardStorageConnector(environment: server.environment))
    }

    @Test func intakeAppliesEachObjectOnce() async throws {
        let server = try TestPeers.S3(open: true)
        try await StorageFlows.intakeAppliesEachObjectOnce(
            store: try Scratch.store("s3"), intake: try await server.location(.intake),
            connector: StandardStorageConnector(environment: server.environment))
    }

    @Test func failedFilesAreShreddedWhenTheirTimeRunsOut() async throws {
        let server = try TestPeers.S3(open: true)
        try await StorageFlows.failedFilesAreShreddedWhenTheirTimeRunsOut(
            store: try Scratch.store("s3"), intake: try await server.location(.intake),
            connector: StandardStorageConnector(environment: server.environment))
    }

    @Test func deliveryPutsTheDayWithItsMarkerLast() async throws {
        let server = try TestPeers.S3()
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: try Scratch.store("s3"), delivery: try await server.location(.delivery, prefix: ""),
            connector: StandardStorageConnector(environment: server.environment),
            exportRoot: try Scratch.folder("s3-exports"))
    }

    @Test func aLocationTestSaysWhatFailed() async throws {
        let server = try TestPeers.S3()
        // No prefix: moto's signature check also rejects a `/` in a query value such as a list prefix.
        let good = try await server.location(.delivery, prefix: "")
        let connector = StandardStorageConnector(environment: server.environment)
        let checks = await connector.test(good)
        #expect(checks.map(\.step) == ["list", "write"] && checks.allSatisfy(\.passed), "\(checks)")
        let wrongSecret = StandardStorageConnector(environment: ["TEST_S3_ID": server.accessKey, "TEST_S3_SECRET": "wrong"])
        #expect(await wrongSecret.test(good).last?.failure == .credentials, "moto checks the signature")
        var missing = good
        missing.address = try StorageAddress(parsing: "s3://no-such-bucket-bakery/")
        #expect(await connector.test(missing).last?.failure == .missingLocation)
        var closed = good
        closed.endpoint = "http://127.0.0.1:9"
        #expect(await connector.test(closed).last?.failure == .connection)
        let unset = StandardStorageConnector(environment: [:])
        #expect(await unset.test(good).last?.failure == .configuration)
    }
}
