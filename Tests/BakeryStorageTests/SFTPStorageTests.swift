import BakeryCore
import BakerySQLite
import BakeryStorage
import BakeryTesting
import Foundation
import Testing

/// The storage flows against a real OpenSSH server on loopback, host keys checked. scripts/test starts it and sets
/// BAKERY_TEST_SFTP_*.
@Suite("SFTP locations")
struct SFTPStorageTests {
    struct Server {
        var host: String
        var port: String
        var user: String
        var key: String
        var knownHosts: String
        var otherKnownHosts: String?
        var root: String

        init() throws {
            let environment = ProcessInfo.processInfo.environment
            guard let host = environment["BAKERY_TEST_SFTP_HOST"], let port = environment["BAKERY_TEST_SFTP_PORT"],
                let user = environment["BAKERY_TEST_SFTP_USER"], let key = environment["BAKERY_TEST_SFTP_KEY"],
                let knownHosts = environment["BAKERY_TEST_SFTP_KNOWN_HOSTS"], let root = environment["BAKERY_TEST_SFTP_ROOT"]
            else { throw Missing() }
            (self.host, self.port, self.user, self.key, self.knownHosts, self.root) = (host, port, user, key, knownHosts, root)
            otherKnownHosts = environment["BAKERY_TEST_SFTP_OTHER_KNOWN_HOSTS"]
        }

        struct Missing: Error, CustomStringConvertible {
            var description: String {
                "BAKERY_TEST_SFTP_* are not set: run scripts/test, or scripts/lib/sftp-server start DIR and source DIR/env"
            }
        }

        /// A new folder on the server and a location on it.
        func location(_ role: StorageLocation.Role) throws -> StorageLocation {
            let folder = "\(root.hasSuffix("/") ? root : root + "/")t-\(UUID().uuidString.prefix(8))/"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return StorageLocation(
                clientID: "-", role: role, address: try StorageAddress(parsing: "sftp://\(user)@\(host):\(port)\(folder)"),
                keyFile: key, knownHosts: knownHosts)
        }
    }

    static func store() throws -> SQLiteStore {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-sftp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return try SQLiteStore(path: url.appendingPathComponent("s.sqlite").path, mode: .createIfMissing)
    }

    @Test func intakeAppliesFilesAndClearsTheInbox() async throws {
        try await StorageFlows.intakeAppliesFilesAndClearsTheInbox(
            store: try Self.store(), intake: try Server().location(.intake), connector: StandardStorageConnector())
    }

    @Test func intakeAppliesEachObjectOnce() async throws {
        try await StorageFlows.intakeAppliesEachObjectOnce(
            store: try Self.store(), intake: try Server().location(.intake), connector: StandardStorageConnector())
    }

    @Test func deliveryPutsTheDayWithItsMarkerLast() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-sftp-exports-\(UUID().uuidString)")
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: try Self.store(), delivery: try Server().location(.delivery), connector: StandardStorageConnector(),
            exportRoot: url)
    }

    @Test func aChangedHostKeyIsRefusedAndTheTestSaysSo() async throws {
        let server = try Server()
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
