import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// Streams an object into a local file and returns its size, etag and metadata.
    ///
    /// The bytes go to a hidden file next to `destination`, created with mode 0600, which replaces `destination`
    /// only once complete; on any failure it is removed and `destination` is left as it was. The object is never
    /// held whole in memory. A dropped connection restarts the download (under ``Configuration/retry``).
    @discardableResult
    public func download(bucket: String, key: String, to destination: URL) async throws -> S3Object {
        try validate(bucket: bucket, key: key, "GetObject")
        let request = S3Request(operation: "GetObject", method: .GET, bucket: bucket, key: key, isTransfer: true)
        return try await perform(request) { response in
            let info = try objectInfo(key: key, response.headers, request)
            let file = try PartialFile(destination: destination)
            do {
                for try await buffer in response.body { try file.write(buffer) }
                guard file.written == info.size else {
                    throw S3Error.connectionReset(context(request))
                }
                try file.commit()
            } catch {
                file.discard()
                throw error
            }
            return info
        }
    }

    /// Uploads a local file, streamed (never whole in memory), and returns the new object's size and etag.
    ///
    /// Files up to ``Configuration/multipartThreshold`` bytes go in one PutObject; larger ones in a multipart
    /// upload of ``Configuration/partSize`` parts, aborted on failure so no parts are left behind. `metadata`
    /// becomes `x-amz-meta-*` headers: names of letters, digits, `-` and `_`; values of printable ASCII.
    @discardableResult
    public func upload(
        _ file: URL, bucket: String, key: String, metadata: [String: String] = [:], contentType: String? = nil
    ) async throws -> S3Object {
        try validate(bucket: bucket, key: key, "PutObject")
        var headers = try metadataHeaders(metadata, context("PutObject", bucket: bucket, key: key))
        headers.append(("content-type", contentType ?? "application/octet-stream"))
        let size: Int64
        do {
            size = try ReadableFile(file).size
        } catch {
            throw S3Error.localFile(path: error.path, reason: error.reason, context("PutObject", bucket: bucket, key: key))
        }
        if size > configuration.multipartThreshold && size > Self.minimumPartSize {
            return try await uploadInParts(file, size: size, bucket: bucket, key: key, headers: headers, metadata: metadata)
        }
        let request = S3Request(
            operation: "PutObject", method: .PUT, bucket: bucket, key: key, headers: headers,
            body: .file(file, offset: 0, length: size), isTransfer: true)
        let etag = try await perform(request) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw ParseFailure("the PutObject response has no ETag header")
            }
            return S3Object.unquoted(etag)
        }
        return S3Object(key: key, size: size, etag: etag, lastModified: nil, metadata: lowercased(metadata))
    }

    /// Uploads bytes already in memory (small objects) in one PutObject with a signed payload hash.
    @discardableResult
    public func put(
        _ data: Data, bucket: String, key: String, metadata: [String: String] = [:], contentType: String? = nil
    ) async throws -> S3Object {
        try validate(bucket: bucket, key: key, "PutObject")
        var headers = try metadataHeaders(metadata, context("PutObject", bucket: bucket, key: key))
        headers.append(("content-type", contentType ?? "application/octet-stream"))
        let request = S3Request(
            operation: "PutObject", method: .PUT, bucket: bucket, key: key, headers: headers, body: .data(data))
        let etag = try await perform(request) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw ParseFailure("the PutObject response has no ETag header")
            }
            return S3Object.unquoted(etag)
        }
        return S3Object(key: key, size: Int64(data.count), etag: etag, lastModified: nil, metadata: lowercased(metadata))
    }

    /// `x-amz-meta-<name>` headers, refusing names and values HTTP or S3 cannot carry.
    func metadataHeaders(_ metadata: [String: String], _ context: S3Error.Context) throws(S3Error) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = []
        for (name, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") })
            else { throw .invalidArgument("metadata name '\(name)' must be ASCII letters, digits, '-' or '_'", context) }
            guard value.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) else {
                throw .invalidArgument("the value of metadata '\(name)' must be printable ASCII", context)
            }
            headers.append(("x-amz-meta-" + name.lowercased(), value))
        }
        return headers
    }

    func lowercased(_ metadata: [String: String]) -> [String: String] {
        Dictionary(metadata.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }
}
