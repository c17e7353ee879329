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
        /// Files larger than this many bytes (and than 5 MiB, S3's smallest part) are uploaded in parts
        /// (default 64 MiB).
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
        /// The size of the buffers a file is read in while it is sent (at least 4 KiB).
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
