/// The kinds of personal identifier a CRM record can carry. Every value is stored only as a SHA-256 hash.
public enum IdentifierKind: String, CaseIterable, Codable, Sendable, Comparable {
    case email
    case phone
    case address
    /// A national personal id; today the Swedish personnummer.
    case personalID = "personal_id"
    /// Android advertising id.
    case aaid
    /// Apple identifier for advertisers.
    case idfa

    /// Lower-case label for tables and reports.
    public var label: String {
        switch self {
        case .email: "email"
        case .phone: "phone"
        case .address: "address"
        case .personalID: "personal id"
        case .aaid: "AAID"
        case .idfa: "IDFA"
        }
    }

    /// The order identifiers are considered in when one must be chosen as a record's primary identifier.
    public var rank: Int { IdentifierKind.allCases.firstIndex(of: self)! }

    public static func < (lhs: IdentifierKind, rhs: IdentifierKind) -> Bool { lhs.rank < rhs.rank }
}
