import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is acting, and in which role: the name goes into the audit log, the role decides what the core services
/// allow. Every front end (CLI, console, server, drop zone) hands one to the services that change data.
///
/// ```swift
/// let anna = Operator(name: "anna", role: .support)
/// try await anna.require(.upload, to: "upload crm.csv", clientID: "acme", auditingIn: store)  // throws, audited
/// ```
public struct Operator: Hashable, Codable, Sendable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    /// Whether the role has `permission`.
    public func may(_ permission: Permission) -> Bool { permission.minimumRole <= role }

    /// Why `permission` is refused, for a disabled control or a message; nil when it is allowed.
    /// `"needs the ops role (you are support)"`.
    public func refusal(_ permission: Permission) -> String? {
        may(permission) ? nil : "needs the \(permission.minimumRole) role (you are \(role))"
    }

    /// Throws ``BakeryError/notPermitted(role:permission:action:)`` unless the role has `permission`, after writing
    /// a `role.denied` entry to the audit log (a failure to write it does not turn the refusal into a permission).
    /// - Parameters:
    ///   - action: what was attempted, in words: `"upload crm.csv"`.
    ///   - clientID: the client it was for, if any.
    public func require(
        _ permission: Permission, to action: String, clientID: String? = nil, auditingIn store: any Store
    ) async throws {
        guard !may(permission) else { return }
        await store.appendAuditEvenIfCancelled(.denied(self, permission: permission, action: action, clientID: clientID))
        throw BakeryError.notPermitted(role: role, permission: permission, action: action)
    }

    /// The OS account this process runs as (from the password database, not `$USER`, which anyone can set).
    public static func osUserName() -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid-\(geteuid())"
    }
}
