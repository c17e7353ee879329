import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension S3Client {
    /// S3's limits: parts of at least 5 MiB (but the last), at most 10,000 of them.
    static let minimumPartSize: Int64 = 5 << 20
    static let maximumPartCount: Int64 = 10_000

    /// The part size used for a file of `size` bytes: the configured one, raised to S3's minimum and so that the
    /// file fits in 10,000 parts.
    func effectivePartSize(for size: Int64) -> Int64 {
        let fitting = (size + Self.maximumPartCount - 1) / Self.maximumPartCount
        return max(configuration.partSize, Self.minimumPartSize, fitting)
    }

    /// CreateMultipartUpload, the parts (a few at once), CompleteMultipartUpload; AbortMultipartUpload on any
    /// failure, cancellation included, so S3 keeps no orphaned parts.
    func uploadInParts(
        _ file: URL, size: Int64, bucket: String, key: String, headers: [(name: String, value: String)],
        metadata: [String: String]
    ) async throws -> S3Object {
        let uploadID = try await createMultipartUpload(bucket: bucket, key: key, headers: headers)
        do {
            let etags = try await uploadParts(file, size: size, bucket: bucket, key: key, uploadID: uploadID)
            let etag = try await completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, etags: etags)
            return S3Object(key: key, size: size, etag: etag, lastModified: nil, metadata: lowercased(metadata))
        } catch {
            // A fresh task: if this one was cancelled, the abort must still go out.
            let client = self
            await Task { try? await client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID) }.value
            throw error
        }
    }

    private func createMultipartUpload(bucket: String, key: String, headers: [(name: String, value: String)]) async throws -> String {
        let request = S3Request(
            operation: "CreateMultipartUpload", method: .POST, bucket: bucket, key: key, query: [("uploads", "")],
            headers: headers)
        return try await perform(request) { response in
            let data = try await body(response, limit: 1 << 20)
            guard let root = XMLNode.parse(data), root.name == "InitiateMultipartUploadResult",
                let id = root.text("UploadId")?.trimmingCharacters(in: .whitespacesAndNewlines), !id.isEmpty
            else { throw ParseFailure("expected an InitiateMultipartUploadResult with an UploadId") }
            return id
        }
    }

    /// Sends every part, at most ``Configuration/multipartConcurrency`` at a time; returns the etags in part order.
    private func uploadParts(_ file: URL, size: Int64, bucket: String, key: String, uploadID: String) async throws -> [String] {
        let partSize = effectivePartSize(for: size)
        let count = Int((size + partSize - 1) / partSize)
        let concurrency = max(1, configuration.multipartConcurrency)
        var etags = [String](repeating: "", count: count)
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            var next = 0
            func addPart(_ index: Int) {
                let offset = Int64(index) * partSize
                let length = min(partSize, size - offset)
                group.addTask {
                    let etag = try await uploadPart(
                        file, offset: offset, length: length, number: index + 1, bucket: bucket, key: key,
                        uploadID: uploadID)
                    return (index, etag)
                }
            }
            while next < min(concurrency, count) {
                addPart(next)
                next += 1
            }
            while let (index, etag) = try await group.next() {
                etags[index] = etag
                if next < count {
                    addPart(next)
                    next += 1
                }
            }
        }
        return etags
    }

    private func uploadPart(
        _ file: URL, offset: Int64, length: Int64, number: Int, bucket: String, key: String, uploadID: String
    ) async throws -> String {
        let request = S3Request(
            operation: "UploadPart", method: .PUT, bucket: bucket, key: key,
            query: [("partNumber", String(number)), ("uploadId", uploadID)],
            body: .file(file, offset: offset, length: length), isTransfer: true)
        return try await perform(request) { response in
            guard let etag = response.headers.first(name: "etag") else {
                throw ParseFailure("the UploadPart response for part \(number) has no ETag header")
            }
            return etag
        }
    }

    private func completeMultipartUpload(bucket: String, key: String, uploadID: String, etags: [String]) async throws -> String {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (index, etag) in etags.enumerated() {
            let quoted = etag.hasPrefix("\"") ? etag : "\"\(etag)\""
            xml += "<Part><PartNumber>\(index + 1)</PartNumber><ETag>\(xmlEscaped(quoted))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        let request = S3Request(
            operation: "CompleteMultipartUpload", method: .POST, bucket: bucket, key: key,
            query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")], body: .data(Data(xml.utf8)))
        return try await perform(request) { response in
            let data = try await body(response, limit: 1 << 20)
            // S3 answers 200 at once and may report a failure in the body minutes later.
            if let error = S3ErrorBody.parse(data) {
                throw Self.error(status: 200, body: error, request: request, context(request))
            }
            // moto names the root CompleteMultipartUploadResponse; S3 names it ...Result.
            guard let root = XMLNode.parse(data),
                root.name == "CompleteMultipartUploadResult" || root.name == "CompleteMultipartUploadResponse",
                let etag = root.text("ETag")
            else { throw ParseFailure("expected a CompleteMultipartUploadResult with an ETag") }
            return S3Object.unquoted(etag)
        }
    }

    private func abortMultipartUpload(bucket: String, key: String, uploadID: String) async throws {
        let request = S3Request(
            operation: "AbortMultipartUpload", method: .DELETE, bucket: bucket, key: key, query: [("uploadId", uploadID)])
        try await perform(request) { _ in }
    }
}
