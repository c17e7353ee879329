import Foundation

/// A client's storage location: where its CRM files are picked up (`intake`) or where its nightly exports are
/// delivered (`delivery`). It holds where and how to connect, never a secret: S3 keys come from the environment or a
/// credentials file, SSH keys from a key file (see docs/storage.md).
public struct StorageLocation: Hashable, Codable, Sendable {
    public enum Role: String, Hashable, Codable, Sendable, CaseIterable {
        /// Polled for CRM files under `onboard/audience={id}/{opt-in|opt-out|replace}/`.
        case intake
        /// Receives the nightly export: data file, manifest, marker.
        case delivery
    }

    /// Assigned by the store.
    public var id: Int64?
    public var clientID: String
    public var role: Role
    public var address: StorageAddress
    /// S3: a server other than AWS (`http://127.0.0.1:9000`); nil for AWS's regional endpoint.
    public var endpoint: String?
    /// S3: the bucket's region (default `eu-central-1`).
    public var region: String?
    /// S3: address the bucket in the path (`endpoint/bucket/key`) rather than the host name.
    public var pathStyle: Bool
    /// S3: a credentials file (mode 0600); SFTP: the private key file. Its path only.
    public var keyFile: String?
    /// SFTP: the known-hosts file that must hold the server's host key.
    public var knownHosts: String?
    /// S3: the names of the environment variables holding the key id and the secret, when not the standard ones.
    public var accessKeyVariable: String?
    public var secretKeyVariable: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, clientID: String, role: Role, address: StorageAddress, endpoint: String? = nil,
        region: String? = nil, pathStyle: Bool = false, keyFile: String? = nil, knownHosts: String? = nil,
        accessKeyVariable: String? = nil, secretKeyVariable: String? = nil, createdAt: Date = Date()
    ) {
        self.id = id
        self.clientID = clientID
        self.role = role
        self.address = address
        self.endpoint = endpoint
        self.region = region
        self.pathStyle = pathStyle
        self.keyFile = keyFile
        self.knownHosts = knownHosts
        self.accessKeyVariable = accessKeyVariable
        self.secretKeyVariable = secretKeyVariable
        self.createdAt = createdAt
    }

    /// The location as one line: `acme intake s3://bucket/prefix/ (eu-central-1)`.
    public var summary: String {
        var text = "\(clientID) \(role.rawValue) \(address)"
        if let endpoint { text += " via \(endpoint)" }
        if address.kind == .s3 { text += " (\(region ?? StorageAddress.defaultRegion)\(pathStyle ? ", path-style" : ""))" }
        return text
    }

    /// Checks the options against the kind of address: what each kind takes, and that files named exist.
    public func validated() throws -> StorageLocation {
        switch address.kind {
        case .s3:
            if knownHosts != nil { throw BakeryError.invalidInput("--known-hosts is for sftp:// locations, not s3://") }
            if (accessKeyVariable == nil) != (secretKeyVariable == nil) {
                throw BakeryError.invalidInput("name both the key id and the secret variable, or neither")
            }
            if let endpoint {
                guard let url = URL(string: endpoint), ["http", "https"].contains(url.scheme ?? ""), url.host != nil
                else { throw BakeryError.invalidInput("--endpoint must be an http:// or https:// URL, got '\(endpoint)'") }
            }
            if let region, region.isEmpty || !region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
                throw BakeryError.invalidInput("--region must be a region name such as eu-central-1, got '\(region)'")
            }
        case .sftp, .file:
            if endpoint != nil || region != nil || pathStyle || accessKeyVariable != nil || secretKeyVariable != nil {
                throw BakeryError.invalidInput("--endpoint, --region, --path-style and key variables are for s3:// only")
            }
            if address.kind == .file, keyFile != nil || knownHosts != nil {
                throw BakeryError.invalidInput("a local folder takes no --key-file or --known-hosts")
            }
        }
        for (option, path) in [("--key-file", keyFile), ("--known-hosts", knownHosts)] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                throw BakeryError.invalidInput("\(option) \(path): no readable file there")
            }
        }
        return self
    }
}

/// Where a location is: `s3://BUCKET/PREFIX/`, `sftp://USER@HOST[:PORT]/PATH/` or `file:///PATH/`.
/// Its text never holds a secret (a password in the URL is refused).
public struct StorageAddress: Hashable, Sendable, CustomStringConvertible, Codable {
    public enum Kind: String, Hashable, Sendable, Codable { case s3, sftp, file }

    public static let defaultRegion = "eu-central-1"

    public var kind: Kind
    /// The bucket (S3) or host name (SFTP); empty for a local folder.
    public var host: String
    public var user: String?
    public var port: Int?
    /// The key prefix (S3) or folder (SFTP, local): empty or ending in `/`. SFTP and local paths start with `/`.
    public var path: String

    public init(parsing text: String) throws {
        // A password someone put into the URL is never repeated back.
        let shown = text.replacingOccurrences(of: "://([^/@:]*):[^/@]*@", with: "://$1:***@", options: .regularExpression)
        func bad(_ why: String) -> BakeryError {
            BakeryError.invalidInput(
                "'\(shown)' is not a storage location: \(why); use s3://BUCKET/PREFIX/, sftp://USER@HOST[:PORT]/PATH/ "
                    + "or file:///PATH/")
        }
        guard let schemeEnd = text.range(of: "://") else { throw bad("no scheme") }
        guard let kind = Kind(rawValue: String(text[..<schemeEnd.lowerBound]).lowercased()) else {
            throw bad("the scheme must be s3, sftp or file")
        }
        guard !text.contains(where: { $0.isWhitespace || $0.isNewline || $0 == "?" || $0 == "#" }) else {
            throw bad("it holds spaces, a query or a fragment")
        }
        let rest = String(text[schemeEnd.upperBound...])
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        var path = String(rest[slash...])
        if !path.isEmpty, !path.hasSuffix("/") { path += "/" }
        guard !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
            throw bad("'.' and '..' are not allowed in the path")
        }
        self.kind = kind
        switch kind {
        case .file:
            guard authority.isEmpty, path.hasPrefix("/") else { throw bad("a local folder is file:///ABSOLUTE/PATH/") }
            host = ""
            self.path = path
        case .s3:
            guard !authority.contains("@"), !authority.contains(":") else { throw bad("an S3 bucket takes no user or port") }
            guard Self.isBucketName(authority) else {
                throw bad("'\(authority)' is not a bucket name (3-63 of a-z, 0-9, '.', '-')")
            }
            host = authority
            self.path = String(path.drop(while: { $0 == "/" }))
        case .sftp:
            guard let at = authority.lastIndex(of: "@") else { throw bad("an SFTP location names its user: sftp://USER@HOST/") }
            let userPart = String(authority[..<at])
            guard !userPart.isEmpty, !userPart.contains(":") else {
                throw bad("the user part must be a user name; a password never goes into the URL")
            }
            authority = String(authority[authority.index(after: at)...])
            if let colon = authority.lastIndex(of: ":") {
                guard let port = Int(authority[authority.index(after: colon)...]), (1...65_535).contains(port) else {
                    throw bad("the port must be 1-65535")
                }
                self.port = port
                authority = String(authority[..<colon])
            }
            guard !authority.isEmpty, authority.allSatisfy({ $0.isLetter || $0.isNumber || "-._[]".contains($0) }) else {
                throw bad("'\(authority)' is not a host name")
            }
            user = userPart
            host = authority
            self.path = path.isEmpty ? "/" : path
        }
    }

    static func isBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count) && name.allSatisfy { ("a"..."z").contains($0) || $0.isNumber || $0 == "." || $0 == "-" }
            && name.first != "." && name.first != "-"
    }

    public var description: String {
        switch kind {
        case .file: "file://\(path)"
        case .s3: "s3://\(host)/\(path)"
        case .sftp: "sftp://\(user ?? "")@\(host)\(port.map { ":\($0)" } ?? "")\(path)"
        }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
