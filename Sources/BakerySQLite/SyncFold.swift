import BakeryCore
import Foundation

/// Folds a batch of sync hits into one change per pair, so a cookie that fired many times in a batch costs one
/// upsert. The result is the same as applying the hits one by one.
struct SyncFold {
    struct Pair {
        var partner: String
        var cookieID: String
        var daID: String
        /// The site of the latest hit that named one.
        var site: String?
        var siteSeen: Date?
        var firstSeen: Date
        var lastSeen: Date
        var hits: Int
        /// Hits per UTC day number, in order of first appearance (a pair rarely spans more than two days).
        var days: [(day: Int, hits: Int)]
    }

    struct Key: Hashable {
        var partner: String
        var cookieID: String
        var daID: String
    }

    /// Pairs in order of first appearance.
    private(set) var pairs: [Pair] = []

    init(_ hits: [SyncHit]) throws {
        var index: [Key: Int] = [:]
        for hit in hits {
            guard !hit.cookieID.isEmpty, !hit.daID.isEmpty, hit.hits > 0 else {
                throw BakeryError.invalidInput(
                    "a sync hit for partner '\(hit.partner)' has an empty cookie id or DA id, or no hits")
            }
            let key = Key(partner: hit.partner, cookieID: hit.cookieID, daID: hit.daID)
            let day = Day(hit.at).number
            guard let position = index[key] else {
                index[key] = pairs.count
                pairs.append(Pair(
                    partner: hit.partner, cookieID: hit.cookieID, daID: hit.daID, site: hit.site,
                    siteSeen: hit.site == nil ? nil : hit.at, firstSeen: hit.at, lastSeen: hit.at, hits: hit.hits,
                    days: [(day, hit.hits)]))
                continue
            }
            var pair = pairs[position]
            pair.firstSeen = min(pair.firstSeen, hit.at)
            pair.lastSeen = max(pair.lastSeen, hit.at)
            pair.hits += hit.hits
            if let slot = pair.days.firstIndex(where: { $0.day == day }) {
                pair.days[slot].hits += hit.hits
            } else {
                pair.days.append((day, hit.hits))
            }
            if let site = hit.site, pair.siteSeen.map({ hit.at >= $0 }) ?? true {
                pair.site = site
                pair.siteSeen = hit.at
            }
            pairs[position] = pair
        }
    }
}
