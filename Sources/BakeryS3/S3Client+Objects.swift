import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOFoundationCompat

extension S3Client {
    /// Every object whose key starts with `prefix` (all objects if nil), in key order, following ListObjectsV2
    /// continuation tokens page by page (``Configuration/listPageSize`` keys a page).
    public func list(bucket: String, prefix: String? = nil) async throws -> [S3Object] {
        try validate(bucket: bucket, "ListObjectsV2")
        var objects: [S3Object] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [
                ("list-type", "2"), ("max-keys", String(max(1, configuration.listPageSize))),
            ]
            if let prefix { query.append(("prefix", prefix)) }
            if let token { query.append(("continuation-token", token)) }
            let request = S3Request(operation: "ListObjectsV2", method: .GET, bucket: bucket, query: query)
            let page = try await perform(request) { response in
                try ListObjectsPage.parse(try await body(response, limit: 64 << 20))
            }
            objects += page.objects
            token = page.isTruncated ? page.nextContinuationToken : nil
        } while token != nil
        return objects
    }

    /// The whole object as bytes, or nil if there is no such key (a missing bucket still throws
    /// ``S3Error/noSuchBucket(_:)``). Throws ``S3Error/objectTooLarge(limit:_:)`` past `limit` bytes: this is for
    /// small objects; stream larger ones with ``download(bucket:key:to:)``.
    public func read(bucket: String, key: String, limit: Int = 16 << 20) async throws -> Data? {
        try validate(bucket: bucket, key: key, "GetObject")
        let request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key)
        do {
            return try await perform(request) { response in
                if let length = response.headers.first(name: "content-length").flatMap(Int64.init), length > limit {
                    throw S3Error.objectTooLarge(limit: limit, context(request))
                }
                do {
                    return Data(buffer: try await response.body.collect(upTo: limit))
                } catch is NIOTooManyBytesError {
                    throw S3Error.objectTooLarge(limit: limit, context(request))
                }
            }
        } catch S3Error.noSuchKey {
            return nil
        }
    }

    /// Size, etag, modification time and user metadata of an object, or nil if there is none. S3 answers a HEAD
    /// on a missing bucket with a bare 404 too, so that also gives nil; use ``headBucket(_:)`` to tell.
    public func head(bucket: String, key: String) async throws -> S3Object? {
        try validate(bucket: bucket, key: key, "HeadObject")
        let request = S3Request(operation: "HeadObject", method: .HEAD, bucket: bucket, key: key)
        do {
            return try await perform(request) { response in try objectInfo(key: key, response.headers, request) }
        } catch S3Error.noSuchKey {
            return nil
        } catch S3Error.noSuchBucket {
            return nil
        }
    }

    /// Succeeds if the bucket exists and these credentials may use it; otherwise throws
    /// ``S3Error/noSuchBucket(_:)``, ``S3Error/accessDenied(message:_:)`` or another error.
    public func headBucket(_ bucket: String) async throws {
        try validate(bucket: bucket, "HeadBucket")
        try await perform(S3Request(operation: "HeadBucket", method: .HEAD, bucket: bucket)) { _ in }
    }

    /// Creates a bucket in the client's region; succeeds if these credentials already own it.
    public func createBucket(_ bucket: String) async throws {
        try validate(bucket: bucket, "CreateBucket")
        var request = S3Request(operation: "CreateBucket", method: .PUT, bucket: bucket)
        if configuration.region != "us-east-1" {
            let xml = """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
                <LocationConstraint>\(xmlEscaped(configuration.region))</LocationConstraint>\
                </CreateBucketConfiguration>
                """
            request.body = .data(Data(xml.utf8))
        }
        do {
            try await perform(request) { _ in }
        } catch S3Error.server(_, "BucketAlreadyOwnedByYou", _, _) {
            return
        }
    }

    /// Deletes an empty bucket.
    public func deleteBucket(_ bucket: String) async throws {
        try validate(bucket: bucket, "DeleteBucket")
        try await perform(S3Request(operation: "DeleteBucket", method: .DELETE, bucket: bucket)) { _ in }
    }

    /// Deletes an object. Deleting a key that does not exist succeeds, as in S3.
    public func delete(bucket: String, key: String) async throws {
        try validate(bucket: bucket, key: key, "DeleteObject")
        do {
            try await perform(S3Request(operation: "DeleteObject", method: .DELETE, bucket: bucket, key: key)) { _ in }
        } catch S3Error.noSuchKey {
            return
        }
    }

    /// Copies `source` to `destination` inside `bucket` on the server side, metadata included, and returns the
    /// new object. S3 copies objects up to 5 GB this way.
    @discardableResult
    public func copy(bucket: String, from source: String, to destination: String) async throws -> S3Object {
        try validate(bucket: bucket, key: source, "CopyObject")
        try validate(bucket: bucket, key: destination, "CopyObject")
        let request = S3Request(
            operation: "CopyObject", method: .PUT, bucket: bucket, key: destination,
            headers: [("x-amz-copy-source", "/" + URIEncoding.encode(bucket + "/" + source, keepingSlash: true))])
        let (etag, modified) = try await perform(request) { response in
            let data = try await body(response, limit: 1 << 20)
            // S3 may answer 200 and still fail, with an <Error> body.
            if let error = S3ErrorBody.parse(data) {
                throw Self.error(status: 200, body: error, request: request, context(request))
            }
            guard let root = XMLNode.parse(data), root.name == "CopyObjectResult", let etag = root.text("ETag") else {
                throw ParseFailure("expected a CopyObjectResult with an ETag")
            }
            return (S3Object.unquoted(etag), root.text("LastModified").flatMap(S3Object.parseISO8601))
        }
        guard let copied = try await head(bucket: bucket, key: destination) else {
            throw S3Error.malformedResponse("the copy succeeded but the new object is not there", context(request))
        }
        return S3Object(
            key: destination, size: copied.size, etag: etag, lastModified: modified ?? copied.lastModified,
            metadata: copied.metadata)
    }

    // MARK: - Helpers

    /// Reads a whole (small) response body.
    func body(_ response: HTTPClientResponse, limit: Int) async throws -> Data {
        do {
            return Data(buffer: try await response.body.collect(upTo: limit))
        } catch is NIOTooManyBytesError {
            throw ParseFailure("the response body is over \(limit) bytes")
        }
    }

    /// Object info from response headers; `etag` and `content-length` are required.
    func objectInfo(key: String, _ headers: HTTPHeaders, _ request: S3Request) throws -> S3Object {
        guard let etag = headers.first(name: "etag") else { throw ParseFailure("the response has no ETag header") }
        guard let size = headers.first(name: "content-length").flatMap(Int64.init) else {
            throw ParseFailure("the response has no valid Content-Length header")
        }
        var metadata: [String: String] = [:]
        for header in headers where header.name.lowercased().hasPrefix("x-amz-meta-") {
            metadata[String(header.name.lowercased().dropFirst("x-amz-meta-".count))] = header.value
        }
        return S3Object(
            key: key, size: size, etag: S3Object.unquoted(etag),
            lastModified: headers.first(name: "last-modified").flatMap(S3Object.parseHTTPDate), metadata: metadata)
    }

    func xmlEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
