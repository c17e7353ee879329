import Foundation

/// An operator action worth answering "who did what, when" for: uploads, exports, erasures, client changes.
public struct AuditEntry: Hashable, Codable, Sendable {
    /// Assigned by the store; nil until stored.
    public var id: Int64?
    public var at: Date
    /// Who: an operator's user name, or `scheduler`, `watch`, `server`.
    public var actor: String
    /// What, as a dotted verb: `client.add`, `upload.apply`, `export.run`, `erase.da_id`.
    public var action: String
    public var clientID: String?
    /// Free text without personal data.
    public var detail: String

    public init(
        id: Int64? = nil, at: Date = Date(), actor: String, action: String, clientID: String? = nil, detail: String
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.clientID = clientID
        self.detail = detail
    }
}
