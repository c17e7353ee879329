/// A client's match figures at the end of one UTC day; the daily history behind the 30-day trend.
public struct MatchSnapshot: Hashable, Codable, Sendable {
    public var clientID: String
    public var day: Day
    public var records: Int
    public var matchedRecords: Int
    public var syncedCookies: Int
    public var matchedCookies: Int
    /// Records and matched records per identifier kind (a record counts once for each kind it carries).
    public var byKind: [IdentifierKind: KindFigures]

    public init(
        clientID: String, day: Day, records: Int, matchedRecords: Int, syncedCookies: Int, matchedCookies: Int,
        byKind: [IdentifierKind: KindFigures] = [:]
    ) {
        self.clientID = clientID
        self.day = day
        self.records = records
        self.matchedRecords = matchedRecords
        self.syncedCookies = syncedCookies
        self.matchedCookies = matchedCookies
        self.byKind = byKind
    }

    /// Matched active records / active records; 0 when there are none.
    public var matchRate: Double { records == 0 ? 0 : Double(matchedRecords) / Double(records) }
}

/// Records carrying one identifier kind, and how many of them matched.
public struct KindFigures: Hashable, Codable, Sendable {
    public var records: Int
    public var matched: Int

    public init(records: Int, matched: Int) {
        self.records = records
        self.matched = matched
    }

    public var rate: Double { records == 0 ? 0 : Double(matched) / Double(records) }
}
