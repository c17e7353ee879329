import BakeryCore
import Foundation

/// One client's figures as `stats --json` writes them; rates are fractions between 0 and 1.
struct StatsJSON: Encodable {
    struct Kind: Encodable {
        var records: Int
        var matched: Int
        var rate: Double
    }

    struct TrendDay: Encodable {
        var day: Day
        var records: Int
        var matchedRecords: Int
        var matchRate: Double

        enum CodingKeys: String, CodingKey {
            case day, records
            case matchedRecords = "matched_records"
            case matchRate = "match_rate"
        }
    }

    var client: String
    var name: String
    var records: Int
    var removedRecords: Int
    var matchedRecords: Int
    var matchRate: Double
    var byKind: [String: Kind]
    var syncedCookies: Int
    var syncedCookiesLastDay: Int
    var syncedCookiesLastWeek: Int
    var matchedCookies: Int
    var matchedCookieShare: Double
    /// The stored daily history of the last 30 days, oldest first.
    var trend: [TrendDay]

    enum CodingKeys: String, CodingKey {
        case client, name, records, trend
        case removedRecords = "removed_records"
        case matchedRecords = "matched_records"
        case matchRate = "match_rate"
        case byKind = "by_kind"
        case syncedCookies = "synced_cookies"
        case syncedCookiesLastDay = "synced_cookies_last_day"
        case syncedCookiesLastWeek = "synced_cookies_last_7_days"
        case matchedCookies = "matched_cookies"
        case matchedCookieShare = "matched_cookie_share"
    }

    init(_ statistics: ClientStatistics, trend: [MatchSnapshot]) {
        client = statistics.client.id
        name = statistics.client.name
        records = statistics.counts.activeRecords
        removedRecords = statistics.counts.removedRecords
        matchedRecords = statistics.match.matchedRecords
        matchRate = statistics.matchRate
        byKind = Dictionary(uniqueKeysWithValues: statistics.byKind.map { kind, figures in
            (kind.rawValue, Kind(records: figures.records, matched: figures.matched, rate: figures.rate))
        })
        syncedCookies = statistics.counts.syncedCookies
        syncedCookiesLastDay = statistics.counts.syncedCookiesLastDay
        syncedCookiesLastWeek = statistics.counts.syncedCookiesLastWeek
        matchedCookies = statistics.match.matchedCookies
        matchedCookieShare = statistics.matchedCookieShare
        self.trend = trend.map {
            TrendDay(day: $0.day, records: $0.records, matchedRecords: $0.matchedRecords, matchRate: $0.matchRate)
        }
    }
}
