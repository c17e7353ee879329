import BakeryCore
import BakeryS3
import Foundation

/// The storage servers `scripts/test` starts on loopback, as the tests reach them: where they are, and a fresh
/// location (a new bucket, a new folder) on each. A test that needs one and finds it missing fails, naming the script
/// that starts it; it never skips.
public enum TestPeers {
    /// The two motos of `scripts/lib/s3-server`: one checks signatures, one does not.
    public struct S3: Sendable {
        public var endpoint: String
        public var accessKey: String
        public var secretKey: String
        public var region: String

        /// - Parameter open: the moto with IAM off. moto 5.2's signature check rejects every request whose key holds
        ///   `=` (awscli's own `s3 cp` to `onboard/audience=…/` gets SignatureDoesNotMatch from it), and every intake
        ///   key holds `audience=`: intake runs there, everything else against the server that checks signatures.
        public init(open: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
            guard let checked = environment["BAKERY_TEST_S3_ENDPOINT"], let key = environment["BAKERY_TEST_S3_ACCESS_KEY"],
                let secret = environment["BAKERY_TEST_S3_SECRET_KEY"],
                let unchecked = environment["BAKERY_TEST_S3_OPEN_ENDPOINT"]
            else { throw Missing(names: "BAKERY_TEST_S3_*", starter: "scripts/lib/s3-server start DIR") }
            endpoint = open ? unchecked : checked
            accessKey = key
            secretKey = secret
            region = environment["BAKERY_TEST_S3_REGION"] ?? "us-east-1"
        }

        /// The variables a location made here reads its keys from, as an operator would name them.
        public var environment: [String: String] { ["TEST_S3_ID": accessKey, "TEST_S3_SECRET": secretKey] }

        /// A new bucket and a location on it, reached through `endpoint` (default: this server's).
        public func location(
            _ role: StorageLocation.Role, prefix: String = "bakery/", endpoint: String? = nil
        ) async throws -> StorageLocation {
            let bucket = "bakery-\(UUID().uuidString.lowercased().prefix(18))"
            let client = try S3Client(
                endpoint: URL(string: self.endpoint), region: region, addressing: .pathStyle,
                credentials: S3Credentials(accessKeyID: accessKey, secretAccessKey: secretKey))
            try await client.createBucket(bucket)
            return StorageLocation(
                clientID: "-", role: role, address: try StorageAddress(parsing: "s3://\(bucket)/\(prefix)"),
                endpoint: endpoint ?? self.endpoint, region: region, pathStyle: true, accessKeyVariable: "TEST_S3_ID",
                secretKeyVariable: "TEST_S3_SECRET")
        }

        /// This server's port, for a proxy in front of it.
        public var port: Int { URLComponents(string: endpoint)?.port ?? 80 }
    }

    /// The OpenSSH server of `scripts/lib/sftp-server`, host keys checked.
    public struct SFTP: Sendable {
        public var host: String
        public var port: String
        public var user: String
        public var key: String
        public var knownHosts: String
        public var otherKnownHosts: String?
        public var root: String

        public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
            guard let host = environment["BAKERY_TEST_SFTP_HOST"], let port = environment["BAKERY_TEST_SFTP_PORT"],
                let user = environment["BAKERY_TEST_SFTP_USER"], let key = environment["BAKERY_TEST_SFTP_KEY"],
                let knownHosts = environment["BAKERY_TEST_SFTP_KNOWN_HOSTS"],
                let root = environment["BAKERY_TEST_SFTP_ROOT"]
            else { throw Missing(names: "BAKERY_TEST_SFTP_*", starter: "scripts/lib/sftp-server start DIR") }
            (self.host, self.port, self.user, self.key, self.knownHosts, self.root) = (host, port, user, key, knownHosts, root)
            otherKnownHosts = environment["BAKERY_TEST_SFTP_OTHER_KNOWN_HOSTS"]
        }

        /// A new folder on the server and a location on it, reached through `port` (default: the server's; a proxy's
        /// port gets a known-hosts file of its own naming the server's key for it).
        public func location(_ role: StorageLocation.Role, port: Int? = nil) throws -> StorageLocation {
            let folder = "\(root.hasSuffix("/") ? root : root + "/")t-\(UUID().uuidString.prefix(8))/"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let through = port.map(String.init) ?? self.port
            var hosts = knownHosts
            if through != self.port {
                let lines = try String(contentsOfFile: knownHosts, encoding: .utf8).split(separator: "\n")
                let mine = lines.filter { $0.hasPrefix("[\(host)]:\(self.port) ") }
                    .map { $0.replacingOccurrences(of: "[\(host)]:\(self.port) ", with: "[\(host)]:\(through) ") }
                hosts = FileManager.default.temporaryDirectory
                    .appendingPathComponent("bakery-known-hosts-\(UUID().uuidString)").path
                try (mine.joined(separator: "\n") + "\n").write(toFile: hosts, atomically: true, encoding: .utf8)
            }
            return StorageLocation(
                clientID: "-", role: role, address: try StorageAddress(parsing: "sftp://\(user)@\(host):\(through)\(folder)"),
                keyFile: key, knownHosts: hosts)
        }
    }

    struct Missing: Error, CustomStringConvertible {
        var names: String
        var starter: String
        var description: String { "\(names) are not set: run scripts/test, or \(starter) and source DIR/env" }
    }
}
