/// What an operator may do, from least to most. Each role may do everything the roles below it may.
///
/// | Role | Who | May |
/// |---|---|---|
/// | `viewer` | account managers | see everything; change nothing |
/// | `support` | support | also dry runs, export previews and sync lookups; no client data changes |
/// | `ops` | operations | also uploads, graph imports, the drop zone and exports |
/// | `admin` | administrators | everything, including client changes, the demo dataset and erasure |
public enum Role: String, CaseIterable, Codable, Sendable, Comparable, CustomStringConvertible {
    case viewer, support, ops, admin

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int { Role.allCases.firstIndex(of: self)! }

    public var description: String { rawValue }

    /// Everything this role may do.
    public var permissions: [Permission] { Permission.allCases.filter { $0.minimumRole <= self } }

    /// The role names for messages: `viewer, support, ops or admin`.
    public static let names = "viewer, support, ops or admin"
}

/// Something a role may or may not do. Front ends show what is refused and why; the core services refuse it
/// whatever the front end shows (see ``Operator/require(_:to:clientID:auditingIn:)``).
public enum Permission: String, CaseIterable, Codable, Sendable {
    /// Dry-run uploads and export previews: they read and count, and store nothing.
    case preview
    /// Looking up one cookie or DA id: `sync lookup`, the sync table's search.
    case lookup
    /// Applying CRM uploads, graph imports and drop-zone files.
    case upload
    /// Writing exports, by hand, as a retry or from the nightly scheduler; retention purges, which only remove what
    /// the retention policy no longer keeps.
    case export
    /// Adding and removing clients, building the demo dataset, data-subject erasure.
    case administer

    /// The least role that has this permission.
    public var minimumRole: Role {
        switch self {
        case .preview, .lookup: .support
        case .upload, .export: .ops
        case .administer: .admin
        }
    }

    /// What it lets an operator do, for messages: "apply uploads".
    public var summary: String {
        switch self {
        case .preview: "run dry runs and export previews"
        case .lookup: "look up cookies and DA ids"
        case .upload: "apply uploads and imports"
        case .export: "run exports and retention purges"
        case .administer: "change clients and erase data subjects"
        }
    }
}
