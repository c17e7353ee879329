import Foundation

/// Why a storage location could not be used, in the terms an operator acts on. Every backend maps its own errors
/// to one of these; the message says what failed and where, never a secret.
public struct StorageFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The host name does not resolve.
        case dns
        /// Nothing answers, or the connection broke or timed out.
        case connection
        /// The TLS handshake failed.
        case tls
        /// The server refused who we are: wrong key id or secret, bad signature, SSH key not accepted.
        case credentials
        /// The SSH host key is unknown or changed.
        case hostKey
        /// Known, but not allowed to do this.
        case permission
        /// The bucket or remote folder does not exist.
        case missingLocation
        /// The file does not exist.
        case missingFile
        /// Our own configuration: a secret not set, a key file readable by others.
        case configuration
        /// The server answered with an error of its own (5xx, or anything else not above).
        case server
    }

    public var kind: Kind
    /// What failed and where: `s3://bucket/prefix/: SignatureDoesNotMatch (…)`.
    public var message: String
    /// True when trying again later may succeed (connections, 5xx); false for credentials, permissions, missing.
    public var isTransient: Bool

    public init(_ kind: Kind, _ message: String, transient: Bool? = nil) {
        self.kind = kind
        self.message = message
        isTransient = transient ?? [.dns, .connection, .server].contains(kind)
    }

    public var description: String { message }
}

extension StorageFailure: LocalizedError {
    public var errorDescription: String? { message }
}
