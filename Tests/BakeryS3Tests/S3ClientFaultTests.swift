import BakeryS3
import Foundation
import Testing

/// Retries, transport failures and bad input, against a fake server on loopback or none at all.
@Suite("S3Client faults and retries")
struct S3ClientFaultTests {
    static let credentials = S3Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake-secret-do-not-print")

    func client(_ port: Int, retry: RetryPolicy = .fast, host: String = "127.0.0.1") throws -> S3Client {
        var configuration = S3Client.Configuration(
            endpoint: URL(string: "http://\(host):\(port)")!, region: "us-east-1", credentials: Self.credentials)
        configuration.retry = retry
        return try S3Client(configuration: configuration)
    }

    @Test func retriesSlowDownThenSucceeds() async throws {
        let server = try FakeHTTPServer { number, _ in
            number < 2 ? .s3Error(503, "SlowDown") : .init(status: 200, headers: ["etag": "\"e\""], body: Data("hello".utf8))
        }
        defer { server.stop() }
        let data = try await client(server.port).read(bucket: "b", key: "k")
        #expect(data == Data("hello".utf8))
        #expect(server.requests.count == 3)
        // Every attempt is signed afresh.
        #expect(server.requests.allSatisfy { $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDFAKE/") == true })
    }

    @Test func retriesThrottlingAndServerErrorsUntilAttemptsRunOut() async throws {
        for (status, code) in [(503, "SlowDown"), (500, "InternalError"), (429, "TooManyRequests"), (400, "Throttling")] {
            let server = try FakeHTTPServer { _, _ in .s3Error(status, code) }
            defer { server.stop() }
            let error = await s3Error { _ = try await client(server.port).list(bucket: "b") }
            guard case .server(status, code, _, let context) = error else {
                Issue.record("\(status) \(code): got \(String(describing: error))")
                continue
            }
            #expect(context.requestID == "FAKE1")
            #expect(server.requests.count == 3, "\(status) \(code) is retried")
        }
    }

    @Test func doesNotRetryOtherClientErrors() async throws {
        for (status, code) in [(403, "AccessDenied"), (403, "SignatureDoesNotMatch"), (404, "NoSuchBucket"), (400, "InvalidArgument")] {
            let server = try FakeHTTPServer { _, _ in .s3Error(status, code) }
            defer { server.stop() }
            let error = await s3Error { _ = try await client(server.port).list(bucket: "b") }
            #expect(error != nil)
            #expect(error?.isRetryable == false)
            #expect(server.requests.count == 1, "\(status) \(code) is not retried")
        }
        let server = try FakeHTTPServer { _, _ in .s3Error(403, "AccessDenied") }
        defer { server.stop() }
        let error = await s3Error { _ = try await client(server.port).read(bucket: "b", key: "k") }
        guard case .accessDenied(let message, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message == "fake AccessDenied")
    }

    @Test func retriedUploadSendsTheWholeFileAgain() async throws {
        let server = try FakeHTTPServer { number, _ in
            number == 0 ? .s3Error(503, "SlowDown") : .init(status: 200, headers: ["etag": "\"abc\""])
        }
        defer { server.stop() }
        let scratch = try ScratchDirectory()
        let (file, _) = try scratch.randomFile("up.bin", size: 700_000)
        let uploaded = try await client(server.port).upload(file, bucket: "b", key: "k")
        #expect(uploaded.etag == "abc")
        let bytes = try Data(contentsOf: file)
        #expect(server.requests.count == 2)
        #expect(server.requests.allSatisfy { $0.body == bytes })
        #expect(server.requests.allSatisfy { $0.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD" })
    }

    @Test func droppedDownloadIsRetriedAndLeavesNoPartialFile() async throws {
        let body = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        let flaky = try FakeHTTPServer { number, _ in
            .init(status: 200, headers: ["etag": "\"e1\""], body: body, cutAfter: number == 0 ? 1000 : nil)
        }
        defer { flaky.stop() }
        let scratch = try ScratchDirectory()
        let destination = scratch.file("d.bin")
        let info = try await client(flaky.port).download(bucket: "b", key: "k", to: destination)
        #expect(info.size == 200_000 && info.etag == "e1")
        #expect(try Data(contentsOf: destination) == body)
        #expect(flaky.requests.count == 2)

        let broken = try FakeHTTPServer { _, _ in .init(status: 200, headers: ["etag": "\"e\""], body: body, cutAfter: 1000) }
        defer { broken.stop() }
        let other = scratch.file("never.bin")
        let error = await s3Error { try await client(broken.port).download(bucket: "b", key: "k", to: other) }
        guard case .connectionReset = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(broken.requests.count == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["d.bin"])
    }

    @Test func malformedListingIsReported() async throws {
        let server = try FakeHTTPServer { _, _ in .init(status: 200, body: Data("<NotAList/>".utf8)) }
        defer { server.stop() }
        let error = await s3Error { _ = try await client(server.port).list(bucket: "b") }
        guard case .malformedResponse(let message, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(message.contains("ListBucketResult"))
        #expect(server.requests.count == 1)
    }

    @Test func multipartFailureAbortsTheUpload() async throws {
        let server = try FakeHTTPServer { _, request in
            switch (request.method, request.target) {
            case ("POST", let target) where target.hasSuffix("?uploads"):
                return .init(status: 200, body: Data("<InitiateMultipartUploadResult><UploadId>U1</UploadId></InitiateMultipartUploadResult>".utf8))
            case ("PUT", _): return .s3Error(400, "InvalidPart")
            default: return .init(status: 204)
            }
        }
        defer { server.stop() }
        var configuration = S3Client.Configuration(
            endpoint: URL(string: "http://127.0.0.1:\(server.port)")!, region: "us-east-1", credentials: Self.credentials)
        configuration.retry = .fast
        configuration.multipartThreshold = 5 << 20
        configuration.partSize = 5 << 20
        let scratch = try ScratchDirectory()
        let (file, _) = try scratch.randomFile("big.bin", size: (5 << 20) + 10)
        let error = await s3Error { _ = try await S3Client(configuration: configuration).upload(file, bucket: "b", key: "k") }
        guard case .server(400, "InvalidPart", _, let context) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(context.operation == "UploadPart")
        #expect(server.requests.last.map { $0.method == "DELETE" && $0.target.contains("uploadId=U1") } == true)
    }

    @Test func closedPortIsConnectionRefused() async throws {
        let port = try FakeHTTPServer { _, _ in .init(status: 200) }.closedPort()
        let error = await s3Error { _ = try await client(port).list(bucket: "b") }
        guard case .connectionRefused(let context) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(context.endpoint == "http://127.0.0.1:\(port)")
        #expect("\(error!)".contains("connection refused") && "\(error!)".contains("127.0.0.1:\(port)"))
    }

    @Test func unknownHostIsDNSFailure() async throws {
        let error = await s3Error { _ = try await client(80, host: "nonexistent.invalid").list(bucket: "b") }
        guard case .dnsResolutionFailed(let host, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(host == "nonexistent.invalid")
    }

    @Test(arguments: ["ftp://s3.example.com", "not a url", "https://", "http://host/?x=1"])
    func badEndpointIsRefusedUpFront(_ text: String) {
        let url = URL(string: text)
        #expect(throws: S3Error.self) {
            try S3Client(endpoint: url ?? URL(fileURLWithPath: "/"), region: "us-east-1", credentials: Self.credentials)
        }
    }

    @Test func badArgumentsAndLocalFilesAreClearErrors() async throws {
        let client = try client(9)
        let scratch = try ScratchDirectory()
        for (operation, expectation) in [
            ({ _ = try await client.list(bucket: "") }, "bucket name"),
            ({ _ = try await client.read(bucket: "b", key: "") }, "object key"),
            ({ _ = try await client.put(Data(), bucket: "b", key: "k", metadata: ["bad name": "v"]) }, "metadata name"),
            ({ _ = try await client.put(Data(), bucket: "b", key: "k", metadata: ["n": "line\nbreak"]) }, "printable"),
        ] as [(() async throws -> Void, String)] {
            let error = await s3Error(operation)
            guard case .invalidArgument(let message, _) = error else { Issue.record("got \(String(describing: error))"); continue }
            #expect(message.contains(expectation))
        }
        for source in [scratch.file("missing.bin"), scratch.url] {
            let error = await s3Error { _ = try await client.upload(source, bucket: "b", key: "k") }
            guard case .localFile(let path, _, _) = error else { Issue.record("got \(String(describing: error))"); continue }
            #expect(path == source.path)
        }
        let unreadable = scratch.file("locked.bin")
        _ = FileManager.default.createFile(atPath: unreadable.path, contents: Data("x".utf8), attributes: [.posixPermissions: 0])
        if getuid() != 0 {  // root reads anything
            let error = await s3Error { _ = try await client.upload(unreadable, bucket: "b", key: "k") }
            guard case .localFile = error else { Issue.record("got \(String(describing: error))"); return }
        }
        let server = try FakeHTTPServer { _, _ in .init(status: 200, headers: ["etag": "\"e\""], body: Data("body".utf8)) }
        defer { server.stop() }
        let destination = scratch.file("no/such/dir/file")
        let error = await s3Error { try await self.client(server.port).download(bucket: "b", key: "k", to: destination) }
        guard case .localFile(let path, _, _) = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == destination.path)
        #expect(server.requests.count == 1, "a local failure is not retried")
    }
}

extension FakeHTTPServer {
    /// A port that was just listening and is now closed: nothing answers there.
    func closedPort() -> Int {
        stop()
        return port
    }
}
