import Foundation

/// An operator action worth answering "who did what, when, with what outcome" for: uploads and dry runs, graph
/// imports, exports, client changes, erasures, refused actions.
///
/// The core words every entry (``AuditEntry/upload(_:_:)`` and its siblings), and a store writes the entry of a
/// change in the same transaction as the change, so the log and the data cannot disagree.
public struct AuditEntry: Hashable, Codable, Sendable {
    /// How the action ended.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case succeeded, failed, denied
    }

    /// Assigned by the store; nil until stored.
    public var id: Int64?
    public var at: Date
    /// Who: an operator's user name, or `scheduler`, `watch`, `demo`.
    public var actor: String
    /// The role the actor acted in; nil for entries older than roles.
    public var role: Role?
    /// What, as a dotted verb (see ``AuditAction``): `client.add`, `upload.apply`, `export.run`.
    public var action: String
    public var clientID: String?
    public var outcome: Outcome
    /// Free text without personal data.
    public var detail: String

    public init(
        id: Int64? = nil, at: Date = Date(), actor: String, role: Role? = nil, action: String, clientID: String? = nil,
        outcome: Outcome = .succeeded, detail: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.role = role
        self.action = action
        self.clientID = clientID
        self.outcome = outcome
        self.detail = detail
    }

    /// An entry for `action` by `actor`.
    public init(
        _ action: AuditAction, by actor: Operator, clientID: String? = nil, at: Date = Date(),
        outcome: Outcome = .succeeded, detail: String
    ) {
        self.init(
            at: at, actor: actor.name, role: actor.role, action: action.rawValue, clientID: clientID, outcome: outcome,
            detail: detail)
    }
}

/// The actions Bakery writes to the audit log.
public enum AuditAction: String, CaseIterable, Codable, Sendable {
    case clientAdd = "client.add"
    case clientRemove = "client.remove"
    case uploadApply = "upload.apply"
    case uploadDryRun = "upload.dry_run"
    case uploadFileDelete = "upload.delete_file"
    case graphImport = "graph.import"
    case exportRun = "export.run"
    case exportDeliver = "export.deliver"
    case storageAdd = "storage.add"
    case storageRemove = "storage.remove"
    case demoBuild = "demo.build"
    case roleDenied = "role.denied"
    case privacyPurge = "privacy.purge"
    case privacyErase = "privacy.erase"
}
