/// Why an S3 operation failed, with where it was going: ``Context`` names the operation, endpoint, bucket and key.
///
/// No case and no description ever contains a secret key, a session token or a signature.
public enum S3Error: Error, Sendable {
    /// A bad argument or configuration found before anything was sent: bad endpoint URL, empty bucket name, …
    case invalidArgument(String, Context)
    /// A local file could not be opened, read, created or written.
    case localFile(path: String, reason: String, Context)
    /// The endpoint's host name does not resolve.
    case dnsResolutionFailed(host: String, Context)
    /// Nothing listens on the endpoint's port.
    case connectionRefused(Context)
    /// The server (or something between) closed or reset the connection mid-request.
    case connectionReset(Context)
    /// Connecting, or waiting for the server, took longer than allowed.
    case timedOut(Context)
    /// Another network failure (host or network unreachable, …).
    case connectionFailed(reason: String, Context)
    /// The TLS handshake failed: not a TLS server, untrusted certificate, wrong host name, …
    case tlsFailed(reason: String, Context)
    /// S3's `SignatureDoesNotMatch`: the secret key is wrong (or the request was altered in transit).
    case signatureDoesNotMatch(Context)
    /// The access key ID is unknown, or the session token is invalid or expired (`InvalidAccessKeyId`,
    /// `InvalidToken`, `ExpiredToken`, …); `code` is S3's.
    case invalidCredentials(code: String, Context)
    /// `AccessDenied`: the credentials are valid but not allowed to do this.
    case accessDenied(message: String?, Context)
    /// `NoSuchBucket`.
    case noSuchBucket(Context)
    /// `NoSuchKey`.
    case noSuchKey(Context)
    /// The object is larger than the caller's limit (``S3Client/read(bucket:key:limit:)``).
    case objectTooLarge(limit: Int, Context)
    /// Any other error response: HTTP status, S3 error code and message when the body had them.
    case server(status: Int, code: String?, message: String?, Context)
    /// The server answered something that is not a valid S3 response (bad XML, missing fields, short body).
    case malformedResponse(String, Context)

    /// Where the failing request was going.
    public struct Context: Sendable, Equatable, CustomStringConvertible {
        /// The S3 API operation, e.g. `PutObject`, `ListObjectsV2`.
        public var operation: String
        /// The endpoint's scheme, host and port, e.g. `https://s3.eu-west-1.amazonaws.com`.
        public var endpoint: String
        /// The bucket, if the operation has one.
        public var bucket: String?
        /// The object key, if the operation has one.
        public var key: String?
        /// S3's request ID, when the response had one.
        public var requestID: String?

        /// Creates a context.
        public init(operation: String, endpoint: String, bucket: String? = nil, key: String? = nil, requestID: String? = nil) {
            self.operation = operation
            self.endpoint = endpoint
            self.bucket = bucket
            self.key = key
            self.requestID = requestID
        }

        /// `PutObject s3://bucket/key at https://host`
        public var description: String {
            var target = ""
            if let bucket {
                target = " s3://\(bucket)"
                if let key { target += "/\(key)" }
            }
            let request = requestID.map { " (request ID \($0))" } ?? ""
            return "\(operation)\(target) at \(endpoint)\(request)"
        }
    }

    /// Where the failing request was going.
    public var context: Context {
        switch self {
        case .invalidArgument(_, let c), .localFile(_, _, let c), .dnsResolutionFailed(_, let c),
            .connectionRefused(let c), .connectionReset(let c), .timedOut(let c), .connectionFailed(_, let c),
            .tlsFailed(_, let c), .signatureDoesNotMatch(let c), .invalidCredentials(_, let c),
            .accessDenied(_, let c), .noSuchBucket(let c), .noSuchKey(let c), .objectTooLarge(_, let c),
            .server(_, _, _, let c), .malformedResponse(_, let c):
            return c
        }
    }

    /// Whether trying the same request again may succeed: 5xx, throttling, and connection resets or timeouts.
    /// DNS, TLS, credential and other 4xx failures are not retried.
    public var isRetryable: Bool {
        switch self {
        case .connectionRefused, .connectionReset, .timedOut, .connectionFailed:
            return true
        case .server(let status, let code, _, _):
            if status >= 500 || status == 429 { return true }
            return code.map(Self.transientCodes.contains) ?? false
        case .invalidArgument, .localFile, .dnsResolutionFailed, .tlsFailed, .signatureDoesNotMatch,
            .invalidCredentials, .accessDenied, .noSuchBucket, .noSuchKey, .objectTooLarge, .malformedResponse:
            return false
        }
    }

    /// S3 and AWS error codes that mean "slow down" or "try again", whatever the status they come with.
    static let transientCodes: Set<String> = [
        "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled",
        "RequestLimitExceeded", "TooManyRequestsException", "RequestTimeout", "InternalError", "ServiceUnavailable",
    ]
}

extension S3Error: CustomStringConvertible {
    /// What failed and where, e.g. `S3 GetObject s3://b/k at http://127.0.0.1:9000: connection refused`.
    public var description: String {
        let what: String
        switch self {
        case .invalidArgument(let message, _): what = "invalid argument: \(message)"
        case .localFile(let path, let reason, _): what = "local file \(path): \(reason)"
        case .dnsResolutionFailed(let host, _): what = "host name \(host) does not resolve (DNS)"
        case .connectionRefused: what = "connection refused (is the endpoint's host and port right?)"
        case .connectionReset: what = "connection closed or reset by the server"
        case .timedOut: what = "timed out"
        case .connectionFailed(let reason, _): what = "connection failed: \(reason)"
        case .tlsFailed(let reason, _): what = "TLS failed: \(reason) (does the endpoint speak https?)"
        case .signatureDoesNotMatch:
            what = "SignatureDoesNotMatch: the secret access key is wrong for this access key ID"
        case .invalidCredentials(let code, _): what = "\(code): the access key ID or session token is not valid"
        case .accessDenied(let message, _): what = "AccessDenied" + (message.map { ": \($0)" } ?? "")
        case .noSuchBucket: what = "NoSuchBucket: the bucket does not exist"
        case .noSuchKey: what = "NoSuchKey: the object does not exist"
        case .objectTooLarge(let limit, _): what = "the object is larger than the limit of \(limit) bytes"
        case .server(let status, let code, let message, _):
            what = "HTTP \(status)" + (code.map { " \($0)" } ?? "") + (message.map { ": \($0)" } ?? "")
        case .malformedResponse(let message, _): what = "malformed response: \(message)"
        }
        return "S3 \(context): \(what)"
    }
}
