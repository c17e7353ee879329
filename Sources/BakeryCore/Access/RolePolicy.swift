import Foundation

/// Which roles each OS user may take, from the roles file an administrator keeps:
///
/// ```toml
/// version = 1
/// default = "viewer"      # OS users not listed below; without it they may not use Bakery at all
///
/// [users]
/// anna = "admin"
/// piet = "ops"
/// sanne = "support"
/// ```
///
/// The file is `/etc/bakery/roles.toml`. Where there is none, `$BAKERY_ROLES` may name one (tests, a machine
/// whose administrator keeps it elsewhere), and with neither every OS user may take every role: a single-user
/// machine (a laptop, the demo) needs no set-up. Where the system file exists `$BAKERY_ROLES` is ignored, since
/// any user can set it and would otherwise grant themselves any role. A `--role` above what the
/// file allows is refused; without `--role` the operator gets the most the file allows; `--read-only` always gives
/// `viewer`.
public struct RolePolicy: Sendable, Equatable {
    public static let defaultPath = "/etc/bakery/roles.toml"
    public static let currentVersion = 1

    /// The role of OS users the file does not list; nil refuses them.
    public var defaultRole: Role?
    public var users: [String: Role]
    /// The file this came from; nil when there is none and every role is open to everyone.
    public var file: String?

    public init(defaultRole: Role?, users: [String: Role], file: String?) {
        self.defaultRole = defaultRole
        self.users = users
        self.file = file
    }

    /// No roles file: every OS user may take every role.
    public static let unrestricted = RolePolicy(defaultRole: .admin, users: [:], file: nil)

    /// The most `user` may be; nil when the file does not let them in at all.
    public func allowedRole(for user: String) -> Role? { users[user] ?? defaultRole }

    /// The operator a command runs as.
    /// - Parameters:
    ///   - requested: `--role`, if given.
    ///   - readOnly: `--read-only`: `viewer` whatever else was asked.
    ///   - user: the OS account (``Operator/osUserName()``).
    ///   - environment: `BAKERY_OPERATOR` names the operator in the audit log instead of the OS account, but only
    ///     without a roles file: where roles are enforced, the log names the account that acted.
    public func resolve(requested: Role?, readOnly: Bool, user: String, environment: [String: String]) throws
        -> Operator
    {
        guard let allowed = allowedRole(for: user) else {
            throw BakeryError.invalidInput(
                "OS user '\(user)' may not use Bakery: \(file ?? "the roles file") lists no role for it and sets no "
                    + "default; ask an administrator to add it under [users]")
        }
        let name =
            file == nil ? (environment["BAKERY_OPERATOR"].flatMap { $0.isEmpty ? nil : $0 } ?? user) : user
        if readOnly { return Operator(name: name, role: .viewer) }
        if let requested, requested > allowed {
            throw BakeryError.invalidInput(
                "--role \(requested) is refused: \(file ?? "the roles file") allows OS user '\(user)' at most "
                    + "'\(allowed)'")
        }
        return Operator(name: name, role: requested ?? allowed)
    }

    /// Reads the roles file at ``defaultPath``, else the one `$BAKERY_ROLES` names. Neither gives ``unrestricted``;
    /// a named file that is missing, or any file with a mistake, is an error naming file and line.
    /// - Parameter systemPath: the system file's place (tests pass another).
    public static func load(environment: [String: String], systemPath: String = defaultPath) throws -> RolePolicy {
        let explicit = environment["BAKERY_ROLES"].flatMap { $0.isEmpty ? nil : $0 }
        let systemFileExists = FileManager.default.fileExists(atPath: systemPath)
        let path = systemFileExists ? systemPath : explicit ?? systemPath
        guard FileManager.default.fileExists(atPath: path) else {
            if explicit != nil { throw BakeryError.invalidInput("roles file \(path) (from $BAKERY_ROLES) does not exist") }
            return .unrestricted
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BakeryError.invalidInput("roles file \(path) cannot be read")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses roles-file text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> RolePolicy {
        func failure(_ line: Int?, _ message: String) -> BakeryError {
            .invalidInput("roles file \(file)\(line.map { ":\($0)" } ?? ""): \(message)")
        }
        let document: TOMLDocument
        do { document = try TOMLDocument(parsing: text) } catch { throw failure(error.line, error.message) }
        func role(_ entry: TOMLDocument.Entry, _ key: String) throws -> Role {
            guard case .string(let name) = entry.value, let role = Role(rawValue: name) else {
                throw failure(entry.line, "\(key) must be one of \"viewer\", \"support\", \"ops\", \"admin\"")
            }
            return role
        }
        var policy = RolePolicy(defaultRole: nil, users: [:], file: file)
        var sawVersion = false
        for section in document.sections {
            switch section.name {
            case "":
                for (key, entry) in section.keys {
                    switch key {
                    case "version":
                        guard case .integer(let version) = entry.value, version == currentVersion else {
                            throw failure(entry.line, "version must be \(currentVersion)")
                        }
                        sawVersion = true
                    case "default": policy.defaultRole = try role(entry, "default")
                    default: throw failure(entry.line, "\(key) is not a setting (known: version, default, [users])")
                    }
                }
            case "users":
                for (user, entry) in section.keys { policy.users[user] = try role(entry, user) }
            default:
                throw failure(section.line, "[\(section.name)] is not a section (known: [users])")
            }
        }
        guard sawVersion else { throw failure(nil, "version = \(currentVersion) is missing") }
        return policy
    }
}
