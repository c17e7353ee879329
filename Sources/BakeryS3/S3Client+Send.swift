import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

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
                let timeout = request.isTransfer ? configuration.transferTimeout : configuration.requestTimeout
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
                FileChunks(file: file, offset: offset, length: length, chunkSize: max(4096, configuration.streamChunkSize)),
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
