import BakeryS3
import Crypto
import Foundation
import Testing

/// The moto server that scripts/lib/s3-server started, as its env file describes it.
struct MotoServer {
    let endpoint: URL
    let credentials: S3Credentials
    let region: String

    /// Reads `BAKERY_TEST_S3_*`; a missing variable fails the test, never skips it.
    static func fromEnvironment(sourceLocation: SourceLocation = #_sourceLocation) throws -> MotoServer {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String) throws -> String {
            try #require(
                environment[name].flatMap { $0.isEmpty ? nil : $0 },
                """
                \(name) is not set: these tests need the local S3 server. Run scripts/test, or \
                `scripts/lib/s3-server start DIR; set -a; . DIR/env; set +a` before swift test.
                """, sourceLocation: sourceLocation)
        }
        let endpoint = try #require(URL(string: try value("BAKERY_TEST_S3_ENDPOINT")), sourceLocation: sourceLocation)
        return MotoServer(
            endpoint: endpoint,
            credentials: S3Credentials(
                accessKeyID: try value("BAKERY_TEST_S3_ACCESS_KEY"), secretAccessKey: try value("BAKERY_TEST_S3_SECRET_KEY")),
            region: try value("BAKERY_TEST_S3_REGION"))
    }

    /// A client with fast retries; `adjust` changes the configuration further.
    func client(_ adjust: (inout S3Client.Configuration) -> Void = { _ in }) throws -> S3Client {
        var configuration = S3Client.Configuration(endpoint: endpoint, region: region, credentials: credentials)
        configuration.retry = .fast
        adjust(&configuration)
        return try S3Client(configuration: configuration)
    }

    /// A new bucket with a unique name, created through `client`.
    func newBucket(_ client: S3Client, _ label: String) async throws -> String {
        let bucket = "bakery-\(label)-\(UUID().uuidString.prefix(8).lowercased())"
        try await client.createBucket(bucket)
        return bucket
    }
}

extension RetryPolicy {
    /// Three attempts a few milliseconds apart: tests stay fast.
    static let fast = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))
}

/// A scratch directory removed when the value goes.
final class ScratchDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bakery-s3-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `size` pseudo-random bytes in 1 MiB pieces and returns the file and its SHA-256.
    func randomFile(_ name: String, size: Int) throws -> (URL, String) {
        let url = file(name)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var generator = SystemRandomNumberGenerator()
        var left = size
        while left > 0 {
            let count = min(left, 1 << 20)
            var bytes = [UInt8](repeating: 0, count: count)
            for i in stride(from: 0, to: count, by: 8) {
                withUnsafeBytes(of: generator.next() as UInt64) { word in
                    for j in 0..<min(8, count - i) { bytes[i + j] = word[j] }
                }
            }
            hasher.update(data: bytes)
            try handle.write(contentsOf: bytes)
            left -= count
        }
        return (url, hasher.finalize().hex)
    }
}

/// The SHA-256 of a file, read in pieces.
func sha256(of url: URL) throws -> String {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    var hasher = SHA256()
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
    return hasher.finalize().hex
}

extension Digest {
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// The S3Error `operation` throws, or nil (and a recorded issue) when it throws something else or nothing.
func s3Error(
    sourceLocation: SourceLocation = #_sourceLocation, _ operation: () async throws -> Void
) async -> S3Error? {
    do {
        try await operation()
        Issue.record("expected an S3Error, but the operation succeeded", sourceLocation: sourceLocation)
    } catch let error as S3Error {
        return error
    } catch {
        Issue.record("expected an S3Error, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
