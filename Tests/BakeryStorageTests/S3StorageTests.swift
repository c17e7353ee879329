import BakeryCore
import BakeryS3
import BakerySQLite
import BakeryStorage
import BakeryTesting
import Foundation
import Testing

/// The storage flows against a real S3 server on loopback: moto with IAM on, so signatures are checked. scripts/test
/// starts it and sets BAKERY_TEST_S3_*.
@Suite("S3 locations")
struct S3StorageTests {
    struct Server {
        var endpoint: String
        var accessKey: String
        var secretKey: String
        var region: String

        /// - Parameter open: the second moto scripts/test starts, with IAM off. moto 5.2's signature check rejects
        ///   every request whose key holds `=` (awscli's own `s3 cp` to `onboard/audience=…/` gets
        ///   SignatureDoesNotMatch from it), and every intake key holds `audience=`: the intake flows run there, and
        ///   everything else against the server that checks signatures.
        init(open: Bool = false) throws {
            let environment = ProcessInfo.processInfo.environment
            guard let checked = environment["BAKERY_TEST_S3_ENDPOINT"], let key = environment["BAKERY_TEST_S3_ACCESS_KEY"],
                let secret = environment["BAKERY_TEST_S3_SECRET_KEY"], let unchecked = environment["BAKERY_TEST_S3_OPEN_ENDPOINT"]
            else {
                throw Missing()
            }
            endpoint = open ? unchecked : checked
            accessKey = key
            secretKey = secret
            region = environment["BAKERY_TEST_S3_REGION"] ?? "us-east-1"
        }

        struct Missing: Error, CustomStringConvertible {
            var description: String {
                "BAKERY_TEST_S3_ENDPOINT, _ACCESS_KEY, _SECRET_KEY and _OPEN_ENDPOINT are not set: run scripts/test, "
                    + "which starts both moto servers"
            }
        }

        /// What the connector reads the keys from: named variables, as a location configured by an operator would.
        var environment: [String: String] { ["TEST_S3_ID": accessKey, "TEST_S3_SECRET": secretKey] }

        /// A new bucket and a location on it.
        func location(_ role: StorageLocation.Role, prefix: String = "bakery/") async throws -> StorageLocation {
            let bucket = "bakery-\(UUID().uuidString.lowercased().prefix(18))"
            let client = try S3Client(
                endpoint: URL(string: endpoint), region: region, addressing: .pathStyle,
                credentials: S3Credentials(accessKeyID: accessKey, secretAccessKey: secretKey))
            try await client.createBucket(bucket)
            return StorageLocation(
                clientID: "-", role: role, address: try StorageAddress(parsing: "s3://\(bucket)/\(prefix)"),
                endpoint: endpoint, region: region, pathStyle: true, accessKeyVariable: "TEST_S3_ID",
                secretKeyVariable: "TEST_S3_SECRET")
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-s3-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func store() throws -> SQLiteStore {
        let folder = try Self.folder()
        return try SQLiteStore(path: folder.appendingPathComponent("s3.sqlite").path, mode: .createIfMissing)
    }

    @Test func intakeAppliesFilesAndClearsTheInbox() async throws {
        let server = try Server(open: true)
        try await StorageFlows.intakeAppliesFilesAndClearsTheInbox(
            store: try Self.store(), intake: try await server.location(.intake),
            connector: StandardStorageConnector(environment: server.environment))
    }

    @Test func intakeAppliesEachObjectOnce() async throws {
        let server = try Server(open: true)
        try await StorageFlows.intakeAppliesEachObjectOnce(
            store: try Self.store(), intake: try await server.location(.intake),
            connector: StandardStorageConnector(environment: server.environment))
    }

    @Test func deliveryPutsTheDayWithItsMarkerLast() async throws {
        let server = try Server()
        try await StorageFlows.deliveryPutsTheDayWithItsMarkerLast(
            store: try Self.store(), delivery: try await server.location(.delivery, prefix: ""),
            connector: StandardStorageConnector(environment: server.environment),
            exportRoot: try Self.folder())
    }

    @Test func aLocationTestSaysWhatFailed() async throws {
        let server = try Server()
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
