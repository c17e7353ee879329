import BakeryS3
import Foundation
import Testing

/// The S3 protocol against moto with signature checks on (scripts/lib/s3-server).
///
/// moto (5.2.1) checks a signature against the URL as werkzeug rebuilds it from the decoded path and query, so
/// it disagrees with AWS (and with boto3, which it refuses just the same) for any key or query value holding a
/// character other than `A-Z a-z 0-9 - . _ ~ /` and space, and for `/` in query values such as a prefix. The keys
/// and prefixes here keep to those; the encoding of the others is checked against AWS's own vectors.
@Suite("S3Client against moto")
struct S3ClientMotoTests {
    @Test func listsEveryPageWithPrefix() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client { $0.listPageSize = 2 }
        let bucket = try await moto.newBucket(client, "list")
        let keys = ["a/1.txt", "a/2.txt", "a/3.txt", "a/sub/4.txt", "a/5.txt", "b/6.txt"]
        for (index, key) in keys.enumerated() {
            try await client.put(Data(repeating: UInt8(index), count: index + 1), bucket: bucket, key: key)
        }
        let all = try await client.list(bucket: bucket)
        #expect(all.map(\.key) == keys.sorted())
        let underA = try await client.list(bucket: bucket, prefix: "a")
        #expect(underA.map(\.key) == keys.filter { $0.hasPrefix("a") }.sorted())
        #expect(try await client.list(bucket: bucket, prefix: "b").map(\.key) == ["b/6.txt"])
        let first = try #require(all.first { $0.key == "a/1.txt" })
        #expect(first.size == 1)
        #expect(first.etag.count == 32 && !first.etag.contains("\""))
        #expect(first.lastModified.map { abs($0.timeIntervalSinceNow) < 600 } == true)
        #expect(try await client.list(bucket: bucket, prefix: "nothing").isEmpty)
    }

    @Test func uploadsAndDownloadsSmallFileWithMetadata() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client()
        let bucket = try await moto.newBucket(client, "small")
        let scratch = try ScratchDirectory()
        let (file, hash) = try scratch.randomFile("small.bin", size: 300_000)
        let key = "exports/2026 Q1/clients_acme-nl.~1.bin"
        let uploaded = try await client.upload(
            file, bucket: bucket, key: key, metadata: ["Client-ID": "acme", "rows": "42"], contentType: "text/csv")
        #expect(uploaded.size == 300_000)

        let head = try #require(try await client.head(bucket: bucket, key: key))
        #expect(head.size == 300_000)
        #expect(head.etag == uploaded.etag)
        #expect(head.metadata == ["client-id": "acme", "rows": "42"])

        let destination = scratch.file("back.bin")
        let downloaded = try await client.download(bucket: bucket, key: key, to: destination)
        #expect(downloaded.size == 300_000)
        #expect(downloaded.etag == uploaded.etag)
        #expect(try sha256(of: destination) == hash)
        let mode = try FileManager.default.attributesOfItem(atPath: destination.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try await client.list(bucket: bucket).map(\.key) == [key])
    }

    @Test func uploadsLargeFileInPartsAndDownloadsItBack() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client {
            $0.multipartThreshold = 5 << 20
            $0.partSize = 5 << 20
            $0.multipartConcurrency = 2
        }
        let bucket = try await moto.newBucket(client, "multipart")
        let scratch = try ScratchDirectory()
        let size = 11 << 20
        let (file, hash) = try scratch.randomFile("large.bin", size: size)
        let uploaded = try await client.upload(file, bucket: bucket, key: "big/large.bin", metadata: ["kind": "test"])
        #expect(uploaded.etag.hasSuffix("-3"), "three parts: 5 + 5 + 1 MiB, etag \(uploaded.etag)")
        let head = try #require(try await client.head(bucket: bucket, key: "big/large.bin"))
        #expect(head.size == Int64(size))
        #expect(head.metadata["kind"] == "test")
        let destination = scratch.file("large.back")
        try await client.download(bucket: bucket, key: "big/large.bin", to: destination)
        #expect(try sha256(of: destination) == hash)
    }

    @Test func readsSmallObjectsAndNilForMissingOnes() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client()
        let bucket = try await moto.newBucket(client, "read")
        try await client.put(Data("hello, bakery".utf8), bucket: bucket, key: "note.txt")
        #expect(try await client.read(bucket: bucket, key: "note.txt") == Data("hello, bakery".utf8))
        #expect(try await client.read(bucket: bucket, key: "missing.txt") == nil)
        #expect(try await client.head(bucket: bucket, key: "missing.txt") == nil)
        let tooLarge = await s3Error { _ = try await client.read(bucket: bucket, key: "note.txt", limit: 5) }
        guard case .objectTooLarge(5, _) = tooLarge else { Issue.record("got \(String(describing: tooLarge))"); return }
    }

    @Test func copiesAndDeletes() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client()
        let bucket = try await moto.newBucket(client, "copy")
        let original = try await client.put(Data("payload".utf8), bucket: bucket, key: "from/a b.txt", metadata: ["m": "1"])
        let copy = try await client.copy(bucket: bucket, from: "from/a b.txt", to: "to/a~b.txt")
        #expect(copy.etag == original.etag)
        #expect(copy.size == 7)
        #expect(copy.metadata == ["m": "1"])
        #expect(try await client.read(bucket: bucket, key: "to/a~b.txt") == Data("payload".utf8))

        try await client.delete(bucket: bucket, key: "from/a b.txt")
        #expect(try await client.head(bucket: bucket, key: "from/a b.txt") == nil)
        try await client.delete(bucket: bucket, key: "from/a b.txt")
        try await client.delete(bucket: bucket, key: "never/existed")
        #expect(try await client.list(bucket: bucket).map(\.key) == ["to/a~b.txt"])

        let missingSource = await s3Error { try await client.copy(bucket: bucket, from: "nope", to: "x") }
        guard case .noSuchKey = missingSource else { Issue.record("got \(String(describing: missingSource))"); return }
    }

    @Test func headBucketAndCreateBucketAreIdempotent() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client()
        let bucket = try await moto.newBucket(client, "head")
        try await client.headBucket(bucket)
        try await client.createBucket(bucket)
        try await client.deleteBucket(bucket)
        let gone = await s3Error { try await client.headBucket(bucket) }
        guard case .noSuchBucket = gone else { Issue.record("got \(String(describing: gone))"); return }
    }

    @Test func missingBucketIsNoSuchBucket() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client()
        let bucket = "bakery-missing-\(UUID().uuidString.prefix(8).lowercased())"
        for operation in [
            { _ = try await client.list(bucket: bucket) },
            { _ = try await client.read(bucket: bucket, key: "k") },
            { try await client.headBucket(bucket) },
            { _ = try await client.put(Data("x".utf8), bucket: bucket, key: "k") },
        ] as [() async throws -> Void] {
            let error = await s3Error(operation)
            guard case .noSuchBucket(let context) = error else { Issue.record("got \(String(describing: error))"); continue }
            #expect(context.bucket == bucket)
            #expect("\(error!)".contains(bucket) && "\(error!)".contains(moto.endpoint.absoluteString))
        }
    }

    @Test func downloadOfMissingKeyLeavesNoFile() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try moto.client()
        let bucket = try await moto.newBucket(client, "nokey")
        let scratch = try ScratchDirectory()
        let destination = scratch.file("never.bin")
        let error = await s3Error { try await client.download(bucket: bucket, key: "missing", to: destination) }
        guard case .noSuchKey(let context) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(context.key == "missing")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).isEmpty)
    }

    @Test func wrongSecretIsSignatureDoesNotMatch() async throws {
        let moto = try MotoServer.fromEnvironment()
        let wrongSecret = moto.credentials.secretAccessKey + "x"
        let client = try S3Client(
            endpoint: moto.endpoint, region: moto.region,
            credentials: S3Credentials(accessKeyID: moto.credentials.accessKeyID, secretAccessKey: wrongSecret))
        let error = await s3Error { _ = try await client.list(bucket: "any-bucket") }
        guard case .signatureDoesNotMatch = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(!"\(error!)".contains(wrongSecret))
        #expect(!"\(error!)".contains(moto.credentials.secretAccessKey))
    }

    @Test func unknownAccessKeyIsInvalidCredentials() async throws {
        let moto = try MotoServer.fromEnvironment()
        let client = try S3Client(
            endpoint: moto.endpoint, region: moto.region,
            credentials: S3Credentials(accessKeyID: "AKIANOSUCHKEY0000000", secretAccessKey: "whatever"))
        let error = await s3Error { _ = try await client.list(bucket: "any-bucket") }
        guard case .invalidCredentials(let code, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(code == "InvalidAccessKeyId")
    }

    @Test func httpsToPlainHTTPPortIsTLSFailure() async throws {
        let moto = try MotoServer.fromEnvironment()
        let https = try #require(URL(string: "https://" + moto.endpoint.absoluteString.dropFirst("http://".count)))
        let client = try S3Client(endpoint: https, region: moto.region, credentials: moto.credentials)
        let error = await s3Error { _ = try await client.list(bucket: "any-bucket") }
        guard case .tlsFailed(let reason, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(!reason.contains("/"), "no build paths in the reason: \(reason)")
    }
}
