import Foundation

/// A file as a location lists it.
public struct StoredFile: Sendable, Hashable, Codable {
    /// The key below the location's root, `/`-separated, never starting with `/`.
    public var key: String
    public var size: Int
    public var modified: Date?
    /// The server's entity tag, where it has one (S3).
    public var etag: String?

    public init(key: String, size: Int, modified: Date? = nil, etag: String? = nil) {
        self.key = key
        self.size = size
        self.modified = modified
        self.etag = etag
    }

    /// What tells this version of the file from another under the same key: the entity tag where the server
    /// gives one, otherwise size and modification time. The intake ledger keys on it.
    public var version: String {
        if let etag { return "etag:\(etag)" }
        let seconds = modified.map { String(Int64($0.timeIntervalSince1970.rounded(.down))) } ?? "-"
        return "size:\(size),mtime:\(seconds)"
    }
}

/// Where CRM files come from: a local folder, an S3 prefix, an SFTP folder. Keys are relative to the location.
public protocol FileSource: Sendable {
    /// The location, without secrets (`file:///…`, `s3://bucket/prefix/`, `sftp://user@host:port/path/`).
    var uri: String { get }
    /// True when a file appears whole at once (an S3 PUT): no need to wait until its size stops changing.
    var appearsWhole: Bool { get }
    /// Every visible file below `prefix` (a key prefix ending in `/`, or empty), hidden names (`.x`) left out.
    func list(under prefix: String) async throws -> [StoredFile]
    /// The file's content as a local file: the file itself for a local folder, otherwise a private (0600) copy in
    /// `folder` that the caller removes.
    func fetch(_ key: String, into folder: URL) async throws -> FetchedFile
    /// Puts a local file under `key`, whole or not at all (a report or receipt beside an upload).
    func put(_ local: URL, as key: String) async throws
    /// Moves a file to another key of the same location.
    func move(_ key: String, to newKey: String) async throws
    /// Removes a file; removing one that is already gone succeeds.
    func remove(_ key: String) async throws
    /// Makes a file readable and writable by its owner only, where the location has file modes (a local or SFTP
    /// folder). An S3 object has no mode of its own — the bucket's policy decides who reads it — so there it does
    /// nothing.
    func restrict(_ key: String) async throws
    /// Removes a file that may hold plain personal data. A local folder overwrites it with zeros and syncs that
    /// before unlinking it; elsewhere it is removed, and what the server keeps (S3 object versions, an SFTP server's
    /// backups) is the server's own (docs/privacy.md). Shredding one that is already gone succeeds.
    func shred(_ key: String) async throws
}

extension FileSource {
    public func restrict(_ key: String) async throws {}
    public func shred(_ key: String) async throws { try await remove(key) }
}

/// Where exports go: a local folder, an S3 prefix, an SFTP folder.
public protocol FileDestination: Sendable {
    var uri: String { get }
    /// Puts a local file under `key`, whole or not at all: a reader never sees part of it under that key.
    func put(_ local: URL, as key: String) async throws
    /// A small file's bytes (a manifest), or nil when there is none under `key`.
    func read(_ key: String, limit: Int) async throws -> Data?
    /// Removes a file; removing one that is already gone succeeds.
    func remove(_ key: String) async throws
}

/// A fetched file and whether it is a private copy to remove when done.
public struct FetchedFile: Sendable {
    public var url: URL
    public var isCopy: Bool

    public init(url: URL, isCopy: Bool) {
        self.url = url
        self.isCopy = isCopy
    }

    /// Removes the copy; leaves a local folder's own file alone.
    public func discard() {
        if isCopy { try? FileManager.default.removeItem(at: url) }
    }
}
