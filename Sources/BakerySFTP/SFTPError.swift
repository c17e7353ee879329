import Foundation

/// What failed in an SFTP operation, where, and what sftp or ssh said about it.
///
/// ``kind`` classifies the failure (parsed from the exit status and standard error of `sftp`/`ssh`);
/// ``description`` names the operation, `user@host:port` and the remote path. Neither ever holds a
/// secret: ssh's messages name key *files*, never key contents.
public struct SFTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The classes of failure a caller may want to tell apart.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The host name does not resolve (DNS).
        case hostNotResolved
        /// Nothing listens on that host and port.
        case connectionRefused
        /// No TCP connection, or no SSH banner, within the connect timeout.
        case connectionTimedOut
        /// The server's host key is not in the known-hosts file (or that file does not exist).
        case hostKeyUnknown
        /// The server's host key differs from the one in the known-hosts file: refused, as a
        /// man-in-the-middle would look the same.
        case hostKeyChanged
        /// The server refused the key (`Permission denied (publickey)`).
        case authenticationFailed
        /// The private key file is missing, unreadable, not a key, or readable by others (ssh ignores
        /// such a key: "UNPROTECTED PRIVATE KEY FILE").
        case keyFileUnusable
        /// The server refused access to a remote path.
        case permissionDenied
        /// A remote file or folder does not exist (or a folder in the path is a file).
        case noSuchFile
        /// The session took longer than the configured timeout; the process was killed.
        case timedOut
        /// The remote file is larger than the limit given to ``SFTPClient/read(_:limit:)``.
        case tooLarge
        /// A path given to the client cannot be used (absolute, `..`, a control character, …).
        case invalidPath
        /// The configuration cannot be used (empty host, bad port, sftp binary missing, …).
        case invalidConfiguration
        /// A local file could not be read or written.
        case localFileError
        /// Anything else; ``SFTPError/detail`` holds sftp's first lines of error output.
        case failed
    }

    /// The class of failure.
    public var kind: Kind
    /// What was being done: "list", "upload", "download", "read", "remove", "rename", "mkdir", "check".
    public var operation: String
    /// `user@host:port`.
    public var endpoint: String
    /// The full remote path concerned, when there is one.
    public var path: String?
    /// sftp's or ssh's own words (first lines, trimmed), or the reason for a local refusal.
    public var detail: String

    public init(_ kind: Kind, operation: String, endpoint: String, path: String? = nil, detail: String = "") {
        self.kind = kind
        self.operation = operation
        self.endpoint = endpoint
        self.path = path
        self.detail = detail
    }

    public var description: String {
        var text = "SFTP \(operation) on \(endpoint)"
        if let path { text += " \"\(path)\"" }
        text += ": \(summary)"
        if !detail.isEmpty { text += " (\(detail))" }
        return text
    }

    /// A sentence for the kind.
    private var summary: String {
        switch kind {
        case .hostNotResolved: "the host name could not be resolved"
        case .connectionRefused: "connection refused (nothing listens on that port)"
        case .connectionTimedOut: "the connection timed out"
        case .hostKeyUnknown: "the server's host key is unknown (not in the known-hosts file); refused"
        case .hostKeyChanged:
            "the server's host key has CHANGED (differs from the known-hosts file); refused, as it may be a man-in-the-middle"
        case .authenticationFailed: "authentication failed (the server did not accept the key)"
        case .keyFileUnusable: "the private key file is missing, unreadable, invalid or readable by others"
        case .permissionDenied: "permission denied"
        case .noSuchFile: "no such file or folder"
        case .timedOut: "timed out; the sftp process was killed"
        case .tooLarge: "the file is larger than allowed"
        case .invalidPath: "invalid path"
        case .invalidConfiguration: "invalid configuration"
        case .localFileError: "local file error"
        case .failed: "failed"
        }
    }
}
