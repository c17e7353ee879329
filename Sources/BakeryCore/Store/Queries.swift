import Foundation

/// Which of a client's sync pairs to page through, and in which order.
public struct SyncPairQuery: Hashable, Sendable {
    /// The order of the pages; a prefix search applies to the order's own column.
    public enum Order: String, Hashable, Sendable, CaseIterable {
        /// Most recently seen first.
        case lastSeen = "last_seen"
        /// DMP cookie id, ascending (byte order, as stored).
        case cookieID = "cookie_id"
        /// DA id, ascending.
        case daID = "da_id"
    }

    public var clientID: String
    public var order: Order
    /// With ``Order/cookieID`` or ``Order/daID``: only pairs whose id in that column starts with this. Ignored for
    /// ``Order/lastSeen``.
    public var prefix: String?

    public init(clientID: String, order: Order = .lastSeen, prefix: String? = nil) {
        self.clientID = clientID
        self.order = order
        self.prefix = prefix.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The prefix in force: nil for ``Order/lastSeen``.
    public var effectivePrefix: String? { order == .lastSeen ? nil : prefix }
}

/// Which uploads to page through, newest first.
public struct UploadQuery: Hashable, Sendable {
    public var clientID: String?

    public init(clientID: String? = nil) { self.clientID = clientID }
}

/// Which export runs to page through, newest first.
public struct ExportRunQuery: Hashable, Sendable {
    public var clientID: String?
    /// Only runs exporting this day.
    public var day: Day?
    public var outcome: ExportRun.Outcome?
    /// Only runs whose delivery failed.
    public var undelivered: Bool

    public init(clientID: String? = nil, day: Day? = nil, outcome: ExportRun.Outcome? = nil, undelivered: Bool = false) {
        self.clientID = clientID
        self.day = day
        self.outcome = outcome
        self.undelivered = undelivered
    }
}

/// Which audit entries to page through, newest first.
public struct AuditQuery: Hashable, Sendable {
    public var clientID: String?
    /// An action (`upload.apply`) or an action family (`upload`: every `upload.*`).
    public var action: String?
    public var actor: String?

    public init(clientID: String? = nil, action: String? = nil, actor: String? = nil) {
        self.clientID = clientID.flatMap { $0.isEmpty ? nil : $0 }
        self.action = action.flatMap { $0.isEmpty ? nil : $0 }
        self.actor = actor.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether `entry` passes the filter; stores use the same rule in their queries.
    public func matches(_ entry: AuditEntry) -> Bool {
        if let clientID, entry.clientID != clientID { return false }
        if let actor, entry.actor != actor { return false }
        if let action, entry.action != action, !entry.action.hasPrefix(action + ".") { return false }
        return true
    }
}

/// A CRM record of a client that holds one of the hashes asked about: what the lineage panel shows.
public struct RecordMatch: Hashable, Sendable {
    public var recordID: String
    /// The identifier of the record that holds the hash.
    public var identifier: Identifier
    public var active: Bool
    public var updatedAt: Date
    /// The upload that last added, changed or removed the record; nil when it came in another way (the demo) or
    /// that upload's ledger row is gone.
    public var upload: Upload?

    public init(recordID: String, identifier: Identifier, active: Bool, updatedAt: Date, upload: Upload?) {
        self.recordID = recordID
        self.identifier = identifier
        self.active = active
        self.updatedAt = updatedAt
        self.upload = upload
    }
}
