import Foundation

/// A client's figures as account managers read them: records and how many match, overall and per identifier
/// kind, and the cookies synced and matched.
public struct ClientStatistics: Hashable, Sendable {
    public var client: Client
    public var counts: ClientCounts
    public var match: MatchFigures

    public init(client: Client, counts: ClientCounts, match: MatchFigures) {
        self.client = client
        self.counts = counts
        self.match = match
    }

    /// Loads the figures of one client from the store.
    public static func load(_ client: Client, from store: any Store, now: Date) async throws -> ClientStatistics {
        async let counts = store.counts(clientID: client.id, now: now)
        async let match = store.matchFigures(clientID: client.id)
        return ClientStatistics(client: client, counts: try await counts, match: try await match)
    }

    /// Matched active records / active records; 0 without records.
    public var matchRate: Double { Self.rate(match.matchedRecords, of: counts.activeRecords) }

    /// Matched cookies / synced cookies; 0 without cookies.
    public var matchedCookieShare: Double { Self.rate(match.matchedCookies, of: counts.syncedCookies) }

    /// Per identifier kind the client has records of: records, matched, rate.
    public var byKind: [IdentifierKind: KindFigures] {
        Dictionary(
            uniqueKeysWithValues: counts.recordsByKind.map { kind, records in
                (kind, KindFigures(records: records, matched: match.matchedByKind[kind] ?? 0))
            })
    }

    /// Today's figures as a snapshot for the daily history.
    public func snapshot(on day: Day) -> MatchSnapshot {
        MatchSnapshot(
            clientID: client.id, day: day, records: counts.activeRecords, matchedRecords: match.matchedRecords,
            syncedCookies: counts.syncedCookies, matchedCookies: match.matchedCookies, byKind: byKind)
    }

    static func rate(_ part: Int, of whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}
