import Foundation

/// One object as listed, or as `HEAD`, `GET` or an upload reported it.
public struct S3Object: Sendable, Equatable {
    /// The object key.
    public var key: String
    /// Size in bytes.
    public var size: Int64
    /// The entity tag without its quotes: the MD5 hex for single-part uploads, `hex-N` for multipart ones.
    public var etag: String
    /// When the object was last written, if the response said.
    public var lastModified: Date?
    /// User metadata (`x-amz-meta-*` without the prefix, names lower-case); only `HEAD` and downloads fill it.
    public var metadata: [String: String]

    /// Creates an object description.
    public init(key: String, size: Int64, etag: String, lastModified: Date?, metadata: [String: String] = [:]) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.metadata = metadata
    }

    /// `"abc"` → `abc`; also drops a weak-validator prefix.
    static func unquoted(_ etag: String) -> String {
        var value = Substring(etag.trimmingCharacters(in: .whitespaces))
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = value.dropFirst().dropLast() }
        return String(value)
    }

    /// ISO 8601 as in listings (`2024-05-01T10:00:00.000Z`), with or without fractional seconds.
    static func parseISO8601(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let date = try? Date(trimmed, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)) {
            return date
        }
        return try? Date(trimmed, strategy: .iso8601)
    }

    /// RFC 1123 as in `Last-Modified` (`Wed, 21 Oct 2015 07:28:00 GMT`).
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text.trimmingCharacters(in: .whitespaces))
    }
}
