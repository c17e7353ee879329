import BakeryCore
import BakeryS3
import Foundation

/// An S3 prefix as a file source and destination. Objects appear whole when their PUT completes, so nothing waits
/// for a file to settle; a move is a copy and a delete.
struct S3Location: FileSource, FileDestination {
    let client: S3Client
    let bucket: String
    /// The key prefix below the bucket: empty or ending in `/`.
    let prefix: String

    init(_ location: StorageLocation, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let secrets = try S3Secrets.resolve(for: location, environment: environment)
        let endpoint = try location.endpoint.map { text -> URL in
            guard let url = URL(string: text) else {
                throw StorageFailure(.configuration, "\(location.address): the endpoint '\(text)' is not a URL")
            }
            return url
        }
        do {
            client = try S3Client(
                endpoint: endpoint, region: location.region ?? StorageAddress.defaultRegion,
                addressing: location.pathStyle ? .pathStyle : (endpoint == nil ? .virtualHosted : nil),
                credentials: S3Credentials(
                    accessKeyID: secrets.accessKeyID, secretAccessKey: secrets.secretAccessKey,
                    sessionToken: secrets.sessionToken))
        } catch {
            throw StorageFailure(.configuration, "\(location.address): \(error)")
        }
        bucket = location.address.host
        prefix = location.address.path
    }

    var uri: String { "s3://\(bucket)/\(prefix)" }
    var appearsWhole: Bool { true }

    func list(under folder: String) async throws -> [StoredFile] {
        try await mapped {
            try await client.list(bucket: bucket, prefix: prefix + folder).compactMap { object in
                let key = String(object.key.dropFirst(prefix.count))
                guard object.key.hasPrefix(prefix), !key.hasSuffix("/"),
                    !key.split(separator: "/").contains(where: { $0.hasPrefix(".") })
                else { return nil }
                return StoredFile(key: key, size: Int(object.size), modified: object.lastModified, etag: object.etag)
            }.sorted { $0.key < $1.key }
        }
    }

    func fetch(_ key: String, into folder: URL) async throws -> FetchedFile {
        let copy = folder.appendingPathComponent(URL(fileURLWithPath: key).lastPathComponent)
        try await mapped { _ = try await client.download(bucket: bucket, key: prefix + key, to: copy) }
        return FetchedFile(url: copy, isCopy: true)
    }

    func put(_ local: URL, as key: String) async throws {
        try await mapped { _ = try await client.upload(local, bucket: bucket, key: prefix + key) }
    }

    func move(_ key: String, to newKey: String) async throws {
        try await mapped {
            _ = try await client.copy(bucket: bucket, from: prefix + key, to: prefix + newKey)
            try await client.delete(bucket: bucket, key: prefix + key)
        }
    }

    func remove(_ key: String) async throws {
        try await mapped { try await client.delete(bucket: bucket, key: prefix + key) }
    }

    func read(_ key: String, limit: Int) async throws -> Data? {
        try await mapped { try await client.read(bucket: bucket, key: prefix + key, limit: limit) }
    }

    /// The prefix lists (so the bucket exists and the keys are right), and a probe object can be put and removed.
    func check() async -> [StorageCheck] {
        var checks: [StorageCheck] = []
        func step(_ name: String, _ ok: String, _ body: () async throws -> Void) async -> Bool {
            do {
                try await body()
                checks.append(StorageCheck(name, message: ok))
                return true
            } catch {
                let failure = (error as? StorageFailure) ?? StorageFailure(.server, "\(error)")
                checks.append(StorageCheck(name, failure: failure.kind, message: failure.message))
                return false
            }
        }
        // A listing, not a HEAD: a HEAD's 403 carries no error code, a GET's says whether the key or the
        // signature was wrong.
        var count = 0
        guard await step("list", "listed \(uri)", { count = try await list(under: "").count }) else { return checks }
        checks[checks.count - 1].message = "\(count) objects below \(uri)"
        _ = await step("write", "put and removed a probe object") {
            try await mapped {
                let key = prefix + ".bakery-probe-\(UUID().uuidString)"
                _ = try await client.put(Data("bakery storage test\n".utf8), bucket: bucket, key: key)
                try await client.delete(bucket: bucket, key: key)
            }
        }
        return checks
    }

    /// Runs `body`, giving an S3 error as the storage failure an operator acts on.
    private func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as S3Error {
            throw StorageFailure(Self.kind(of: error), "\(uri): \(error)")
        }
    }

    static func kind(of error: S3Error) -> StorageFailure.Kind {
        switch error {
        case .dnsResolutionFailed: .dns
        case .connectionRefused, .connectionReset, .timedOut, .connectionFailed: .connection
        case .tlsFailed: .tls
        case .signatureDoesNotMatch, .invalidCredentials: .credentials
        case .accessDenied: .permission
        case .noSuchBucket: .missingLocation
        case .noSuchKey: .missingFile
        case .invalidArgument, .localFile, .objectTooLarge: .configuration
        case .server, .malformedResponse: .server
        }
    }
}
