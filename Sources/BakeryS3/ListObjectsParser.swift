import Foundation

/// Reads one page of a ListObjectsV2 response (`ListBucketResult`).
struct ListObjectsPage: Sendable, Equatable {
    var objects: [S3Object]
    var isTruncated: Bool
    var nextContinuationToken: String?

    /// Parses the XML body; throws a message saying what is wrong when it is not a ListBucketResult.
    static func parse(_ data: Data) throws(ParseFailure) -> ListObjectsPage {
        guard let root = XMLNode.parse(data) else { throw ParseFailure("the ListObjectsV2 response is not XML") }
        guard root.name == "ListBucketResult" else {
            throw ParseFailure("expected ListBucketResult, got \(root.name)")
        }
        var objects: [S3Object] = []
        for entry in root.children("Contents") {
            guard let key = entry.text("Key") else { throw ParseFailure("a Contents entry has no Key") }
            guard let sizeText = entry.text("Size"), let size = Int64(sizeText.trimmingCharacters(in: .whitespacesAndNewlines))
            else { throw ParseFailure("the entry for \(key) has no valid Size") }
            objects.append(
                S3Object(
                    key: key, size: size, etag: S3Object.unquoted(entry.text("ETag") ?? ""),
                    lastModified: entry.text("LastModified").flatMap(S3Object.parseISO8601)))
        }
        let truncated = root.text("IsTruncated")?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "true"
        let token = root.text("NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && token == nil { throw ParseFailure("the page is truncated but has no NextContinuationToken") }
        return ListObjectsPage(objects: objects, isTruncated: truncated, nextContinuationToken: token)
    }
}

/// What S3 says in an `<Error>` body.
struct S3ErrorBody: Sendable, Equatable {
    var code: String?
    var message: String?
    var requestID: String?

    /// Nil unless `data` is an `<Error>` document.
    static func parse(_ data: Data) -> S3ErrorBody? {
        guard !data.isEmpty, let root = XMLNode.parse(data), root.name == "Error" else { return nil }
        func text(_ name: String) -> String? {
            root.text(name)?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfEmpty
        }
        return S3ErrorBody(code: text("Code"), message: text("Message"), requestID: text("RequestId"))
    }
}

/// A response body that does not say what S3 says it should.
struct ParseFailure: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
