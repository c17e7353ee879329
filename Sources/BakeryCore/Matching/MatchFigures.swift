/// What matches for a client, by Bakery's matching rule:
///
/// an **active** CRM record matches when one of its identifier hashes is linked in the identity graph to a
/// **DA id** that has a sync pair with one of **that client's** partners. A DMP cookie matches when its DA id
/// is linked to a hash of at least one active record of the client. Removed records and other clients' pairs
/// never count.
public struct MatchFigures: Hashable, Codable, Sendable {
    /// Active records with at least one matching identifier.
    public var matchedRecords: Int
    /// Active records that match through an identifier of each kind (a record can count for several kinds).
    public var matchedByKind: [IdentifierKind: Int]
    /// Distinct DMP cookie ids of the client whose DA id reaches an active record.
    public var matchedCookies: Int

    public init(matchedRecords: Int = 0, matchedByKind: [IdentifierKind: Int] = [:], matchedCookies: Int = 0) {
        self.matchedRecords = matchedRecords
        self.matchedByKind = matchedByKind
        self.matchedCookies = matchedCookies
    }
}
