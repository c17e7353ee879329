import BakeryCore
import BakerySQLite
import BakeryStorage
import BakeryTestPeers
import BakeryTesting
import Foundation
import Testing

/// The storage flows against a real OpenSSH server on loopback, host keys checked. scripts/test starts it and sets
/// BAKERY_TEST_SFTP_*.
@Suite("SFTP locations")
struct SFTPStorageTests {
    @Test func intakeAppliesFilesAndClearsTheInbox() async throws {
        try await StorageFlows.intakeAppliesFilesAndClearsTheInbox(
            store: try Scratch.store("sftp"), intake: try TestPeers.SFTP().location(.intake), connector: StandardStorageConnector())
    }

    @Test func intakeAppliesEachObjectOnce() async throws {
        try await StorageFlows.intakeAppliesEachObjectOnce(
            store: try Scratch.store("sftp"), intake: try TestPeers.SFTP().location(.intake), connector: StandardStorageConnector())
    }

    @Test func failedFilesAreShreddedWhenTheirTimeRunsOut() async throws {
        try await StorageFlows.failedFilesAreShreddedWhenTheirTimeRunsOut(
            store: try Scratch.store("sftp"), intake: try TestPeers.SFTP().location(.intake), connector: StandardStorageConnector())
    }

    @Test func deliveryPutsTheDayWithItsMarkerLast() async throws {
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: try Scratch.store("sftp"), delivery: try TestPeers.SFTP().location(.delivery), connector: StandardStorageConnector(),
            exportRoot: try Scratch.folder("sftp-exports"))
    }

    @Test func aChangedHostKeyIsRefusedAndTheTestSaysSo() async throws {
        let server = try TestPeers.SFTP()
        let good = try server.location(.delivery)
        #expect(await StandardStorageConnector().test(good).allSatisfy(\.passed))
        var changed = good
        changed.knownHosts = try #require(server.otherKnownHosts)
        #expect(await StandardStorageConnector().test(changed).last?.failure == .hostKey)
        var closed = good
        closed.address = try StorageAddress(parsing: "sftp://\(server.user)@127.0.0.1:9/")
        #expect(await StandardStorageConnector().test(closed).last?.failure == .connection)
    }
}
