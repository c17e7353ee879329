import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

/// A small S3 client: list, read, head, copy and delete objects, and stream files up and down.
///
/// Requests are signed with SigV4 (``SigV4Signer``). Bodies are streamed from and to files, never held whole in
/// memory; uploads larger than ``Configuration/multipartThreshold`` use a multipart upload. Failed requests are
/// retried under ``Configuration/retry`` when ``S3Error/isRetryable``. Every failure is an ``S3Error`` (task
/// cancellation aside, which throws `CancellationError`).
///
/// The client is a value holding its configuration and an `HTTPClient`; it owns no resources and needs no shutdown
/// (an `HTTPClient` passed in stays the caller's to shut down; the default, ``defaultHTTPClient``, never is).
public struct S3Client: Sendable {
    /// How buckets appear in request URLs.
    public enum Addressing: Sendable, Equatable {
        /// `https://endpoint/bucket/key`: works with any bucket name and with S3-compatible servers.
        case pathStyle
        /// `https://bucket.endpoint/key`: AWS's preferred form; bucket names with dots break TLS host checks.
        case virtualHosted
    }

    /// Everything the client needs to know; all tunables have production defaults.
    public struct Configuration: Sendable {
        /// The endpoint, e.g. `http://127.0.0.1:9000`; nil for AWS: `https://s3.{region}.amazonaws.com`.
        public var endpoint: URL?
        /// The region requests are signed for, e.g. `eu-west-1`.
        public var region: String
        /// Path-style or virtual-hosted bucket addressing.
        public var addressing: Addressing
        /// The key pair requests are signed with.
        public var credentials: S3Credentials
        /// Retries of failed requests.
        public var retry: RetryPolicy = .default
        /// Files larger than this many bytes are uploaded in parts (default 64 MiB).
        public var multipartThreshold: Int64 = 64 << 20
        /// The size of each part but the last (default 16 MiB). S3 refuses parts under 5 MiB but the last, so
        /// smaller values are raised to 5 MiB; it is also raised when a file would need more than 10,000 parts.
        public var partSize: Int64 = 16 << 20
        /// How many parts are sent at once.
        public var multipartConcurrency: Int = 4
        /// Keys asked for per ListObjectsV2 page (S3's maximum and default is 1000).
        public var listPageSize: Int = 1000
        /// The deadline of each request that streams no file (listing, HEAD, small reads, copy, …).
        public var requestTimeout: Duration = .seconds(60)
        /// The deadline of each request that streams a file (a download, a single upload, one part).
        public var transferTimeout: Duration = .seconds(3600)
        /// The size of the buffers a file is read in while it is sent.
        public var streamChunkSize: Int = 256 << 10

        /// Creates a configuration; `addressing` defaults to virtual-hosted for AWS and path-style otherwise.
        public init(
            endpoint: URL?, region: String, addressing: Addressing? = nil, credentials: S3Credentials
        ) {
            self.endpoint = endpoint
            self.region = region
            self.addressing = addressing ?? (endpoint == nil ? .virtualHosted : .pathStyle)
            self.credentials = credentials
        }
    }

    /// The configuration the client was made with.
    public let configuration: Configuration
    let httpClient: HTTPClient
    let endpoint: Endpoint
    let signer: SigV4Signer

    /// The `HTTPClient` clients use unless given one: like `HTTPClient.shared` (the same event loops, never shut
    /// down), but set for S3. It does not follow redirects (a signed request must not go elsewhere) nor decompress
    /// bodies (a download must be the object's bytes), connects within 10 s, gives up on a connection that sends
    /// nothing for 60 s, and fails a request as soon as its connection cannot be made, instead of trying again
    /// until the request's deadline: so an unknown host or a closed port is reported in milliseconds, and
    /// retrying is left to ``RetryPolicy``. A client built on `HTTPClient.shared` works too, but takes the whole
    /// ``Configuration/requestTimeout`` to report that it cannot connect.
    public static let defaultHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(60))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Creates a client. Throws ``S3Error/invalidArgument(_:_:)`` for an endpoint that is not an `http` or `https`
    /// URL with a host and no query, an empty region or empty credentials.
    public init(configuration: Configuration, httpClient: HTTPClient = S3Client.defaultHTTPClient) throws(S3Error) {
        let url = configuration.endpoint ?? URL(string: "https://s3.\(configuration.region).amazonaws.com")
        let described = configuration.endpoint?.absoluteString ?? "https://s3.\(configuration.region).amazonaws.com"
        let context = S3Error.Context(operation: "Configure", endpoint: described)
        guard !configuration.region.isEmpty, !configuration.region.contains(where: { $0 == "/" || $0.isWhitespace })
        else { throw .invalidArgument("the region must be a name such as us-east-1", context) }
        guard let url, let endpoint = Endpoint(url) else {
            throw .invalidArgument("the endpoint must be an http or https URL with a host, like https://s3.example.com", context)
        }
        guard !configuration.credentials.accessKeyID.isEmpty, !configuration.credentials.secretAccessKey.isEmpty else {
            throw .invalidArgument("the access key ID and the secret access key must not be empty", context)
        }
        self.configuration = configuration
        self.httpClient = httpClient
        self.endpoint = endpoint
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region)
    }

    /// Creates a client from the usual settings; see ``Configuration``.
    public init(
        endpoint: URL?, region: String, addressing: Addressing? = nil, credentials: S3Credentials,
        httpClient: HTTPClient = S3Client.defaultHTTPClient
    ) throws(S3Error) {
        try self.init(
            configuration: Configuration(endpoint: endpoint, region: region, addressing: addressing, credentials: credentials),
            httpClient: httpClient)
    }
}

// MARK: - Requests

/// The scheme, host, port and path prefix requests go to.
struct Endpoint: Sendable {
    var scheme: String
    var host: String
    var port: Int?
    var basePath: String

    init?(_ url: URL) {
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { return nil }
        self.scheme = scheme
        self.host = host.hasPrefix("[") || !host.contains(":") ? host : "[\(host)]"
        self.port = url.port
        var path = url.path(percentEncoded: true)
        while path.hasSuffix("/") { path.removeLast() }
        self.basePath = path
    }

    /// `https://host:port`, for messages.
    var description: String { "\(scheme)://\(host)" + (port.map { ":\($0)" } ?? "") }

    /// The `Host` header for `host`: the port only when it is not the scheme's default.
    func hostHeader(_ host: String) -> String {
        guard let port, !(scheme == "http" && port == 80), !(scheme == "https" && port == 443) else { return host }
        return "\(host):\(port)"
    }
}

/// One S3 API call before signing.
struct S3Request: Sendable {
    enum Body: Sendable {
        case none
        case data(Data)
        /// Bytes `offset ..< offset + length` of a file, sent as `UNSIGNED-PAYLOAD`.
        case file(URL, offset: Int64, length: Int64)
    }

    var operation: String
    var method: HTTPMethod
    var bucket: String?
    var key: String?
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body: Body = .none
}

extension S3Client {
    func context(_ request: S3Request) -> S3Error.Context {
        S3Error.Context(operation: request.operation, endpoint: endpoint.description, bucket: request.bucket, key: request.key)
    }

    func context(_ operation: String, bucket: String?, key: String? = nil) -> S3Error.Context {
        S3Error.Context(operation: operation, endpoint: endpoint.description, bucket: bucket, key: key)
    }

    /// Sends `request` until it succeeds or fails for good, and hands a response whose status `accept`s to
    /// `handle`. A retryable error thrown by `handle` (say, the connection dropping mid-body) retries the request.
    func perform<T: Sendable>(
        _ request: S3Request,
        accept: (HTTPResponseStatus) -> Bool = { (200..<300).contains($0.code) },
        handle: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let context = self.context(request)
        var attempt = 1
        while true {
            do {
                let prepared = try prepare(request, context: context)
                let timeout: Duration
                if case .file = request.body { timeout = configuration.transferTimeout } else {
                    timeout = configuration.requestTimeout
                }
                let response = try await httpClient.execute(prepared, timeout: timeout.timeAmount)
                guard accept(response.status) else { throw await failure(response, request, context) }
                return try await handle(response)
            } catch {
                if Task.isCancelled { throw CancellationError() }
                let failure = classify(error, context)
                guard failure.isRetryable, attempt < configuration.retry.maxAttempts else { throw failure }
                try await Task.sleep(for: configuration.retry.delay(beforeRetry: attempt))
                attempt += 1
            }
        }
    }

    /// Any error as an S3Error with this request's context.
    func classify(_ error: any Error, _ context: S3Error.Context) -> S3Error {
        if let failure = error as? LocalFileFailure { return .localFile(path: failure.path, reason: failure.reason, context) }
        if let failure = error as? ParseFailure { return .malformedResponse(failure.message, context) }
        return S3Error.transport(error, host: endpoint.host, context)
            ?? .connectionFailed(reason: String(describing: error), context)
    }

    /// URL, signed headers and body for one attempt. A file body is opened again for every attempt.
    private func prepare(_ request: S3Request, context: S3Error.Context) throws -> HTTPClientRequest {
        var host = endpoint.host
        var path = endpoint.basePath
        if let bucket = request.bucket {
            switch configuration.addressing {
            case .pathStyle: path += "/" + URIEncoding.encode(bucket, keepingSlash: false)
            case .virtualHosted: host = bucket + "." + host
            }
        }
        path += "/" + (request.key.map { URIEncoding.encode($0, keepingSlash: true) } ?? "")
        let wireQuery = request.query.map {
            let name = URIEncoding.encode($0.name, keepingSlash: false)
            return $0.value.isEmpty ? name : name + "=" + URIEncoding.encode($0.value, keepingSlash: false)
        }.joined(separator: "&")

        let hostHeader = endpoint.hostHeader(host)
        var headers = request.headers
        headers.append(("host", hostHeader))

        let payload: SigV4Signer.Payload
        let body: HTTPClientRequest.Body?
        switch request.body {
        case .none:
            payload = .empty
            body = nil
        case .data(let data):
            payload = .hashing(data)
            body = .bytes(ByteBuffer(data: data))
        case .file(let url, let offset, let length):
            let file = try ReadableFile(url)
            guard offset + length <= file.size else {
                throw LocalFileFailure(path: file.path, reason: "the file is shorter than when the upload started")
            }
            payload = .unsigned
            body = .stream(
                FileChunks(file: file, offset: offset, length: length, chunkSize: configuration.streamChunkSize),
                length: .known(length))
        }

        let signature = signer.sign(
            method: request.method.rawValue, path: path, query: request.query, headers: headers, payload: payload)
        var prepared = HTTPClientRequest(
            url: "\(endpoint.scheme)://\(hostHeader)\(path)" + (wireQuery.isEmpty ? "" : "?" + wireQuery))
        prepared.method = request.method
        for header in headers + signature.headersToAdd { prepared.headers.add(name: header.name, value: header.value) }
        prepared.body = body
        return prepared
    }

    /// The S3Error an unaccepted response stands for, read from its `<Error>` body when it has one.
    private func failure(_ response: HTTPClientResponse, _ request: S3Request, _ context: S3Error.Context) async -> S3Error {
        var context = context
        context.requestID = response.headers.first(name: "x-amz-request-id")
        let body = try? await response.body.collect(upTo: 256 << 10)
        let parsed = body.flatMap { S3ErrorBody.parse(Data(buffer: $0)) }
        if let id = parsed?.requestID, context.requestID == nil { context.requestID = id }
        return Self.error(status: Int(response.status.code), body: parsed, request: request, context)
    }

    /// Maps an error response to a case. Bodiless ones (HEAD) are told apart by status alone.
    static func error(status: Int, body: S3ErrorBody?, request: S3Request, _ context: S3Error.Context) -> S3Error {
        switch body?.code {
        case "SignatureDoesNotMatch": return .signatureDoesNotMatch(context)
        case let code? where invalidCredentialCodes.contains(code): return .invalidCredentials(code: code, context)
        case "AccessDenied", "AllAccessDisabled": return .accessDenied(message: body?.message, context)
        case "NoSuchBucket": return .noSuchBucket(context)
        case "NoSuchKey": return .noSuchKey(context)
        case nil where status == 404 && request.method == .HEAD:
            return request.key == nil ? .noSuchBucket(context) : .noSuchKey(context)
        case nil where status == 403 && request.method == .HEAD:
            return .accessDenied(message: nil, context)
        default: return .server(status: status, code: body?.code, message: body?.message, context)
        }
    }

    static let invalidCredentialCodes: Set<String> = [
        "InvalidAccessKeyId", "InvalidToken", "ExpiredToken", "InvalidSecurity", "InvalidClientTokenId",
        "TokenRefreshRequired",
    ]

    /// Refuses bucket names and keys S3 cannot take before anything is sent.
    func validate(bucket: String, key: String? = nil, _ operation: String) throws(S3Error) {
        let context = self.context(operation, bucket: bucket, key: key)
        guard !bucket.isEmpty, bucket.utf8.count <= 255, !bucket.contains("/"),
            !bucket.contains(where: { $0.isWhitespace || $0.isNewline })
        else { throw .invalidArgument("'\(bucket)' is not a valid bucket name", context) }
        if let key {
            guard !key.isEmpty, key.utf8.count <= 1024 else {
                throw .invalidArgument("an object key must be 1 to 1024 bytes long", context)
            }
        }
    }
}

extension Duration {
    var timeAmount: TimeAmount { .nanoseconds(nanoseconds) }
}
